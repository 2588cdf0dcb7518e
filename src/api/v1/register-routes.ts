import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UseCaseContext } from '../../domain/auth/actor.ts';
import type { Services } from '../../services.ts';
import { educationArrangementResponseSchema, educationProviderResponseSchema, educationResponseSchema } from './schemas.ts';

export interface RegisterApiDeps {
  services: Services;
  /** The API's bearer-token authentication (registerApi's contextFor), passed in so it stays in one place. */
  contextFor(request: FastifyRequest): Promise<UseCaseContext>;
}

/**
 * Register endpoints of the JSON API. Registered by the lead inside the /api/v1 scope, e.g.
 * `registerRegisterApi(api, { services, contextFor })`, so the same problem bodies and headers apply.
 *
 * POST /admission-returns { childId, schoolUrn?, startDate } → 201 { enrolmentId, enrolled, closedEpisodeIds }
 * A school's client sends its own admissions (schoolUrn optional); a council client names the school.
 */
export function registerRegisterApi(api: FastifyInstance, deps: RegisterApiDeps) {
  api.post('/home-education-notifications', async (request, reply) => {
    const result = await deps.services.receiveHomeEducationNotification(await deps.contextFor(request), request.body ?? {});
    return reply.status(201).send(result);
  });

  api.get<{ Params: { childId: string } }>('/children/:childId/education', async (request) => {
    const found = await deps.services.viewEducation(await deps.contextFor(request), request.params.childId);
    return educationResponseSchema.parse(found);
  });

  api.post<{ Params: { childId: string } }>('/children/:childId/education/arrangements', async (request, reply) => {
    const saved = await deps.services.recordEducationArrangement(await deps.contextFor(request), request.params.childId, request.body ?? {});
    return reply.status(201).send(educationArrangementResponseSchema.parse(saved));
  });

  api.post<{ Params: { childId: string } }>('/children/:childId/education/providers', async (request, reply) => {
    const saved = await deps.services.addEducationProvider(await deps.contextFor(request), request.params.childId, request.body ?? {});
    return reply.status(201).send(educationProviderResponseSchema.parse(saved));
  });

  api.post<{ Params: { childId: string; providerId: string } }>('/children/:childId/education/providers/:providerId/end', async (request) => {
    const ended = await deps.services.endEducationProvider(await deps.contextFor(request), request.params.childId, request.params.providerId);
    return educationProviderResponseSchema.parse(ended);
  });

  api.post('/admission-returns', async (request, reply) => {
    const result = await deps.services.recordAdmission(await deps.contextFor(request), request.body ?? {});
    return reply.status(result.enrolled ? 201 : 200).send(result);
  });
}
