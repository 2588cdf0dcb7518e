import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UseCaseContext } from '../../domain/auth/actor.ts';
import type { Services } from '../../services.ts';

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
  api.post('/admission-returns', async (request, reply) => {
    const result = await deps.services.recordAdmission(await deps.contextFor(request), request.body ?? {});
    return reply.status(result.enrolled ? 201 : 200).send(result);
  });
}
