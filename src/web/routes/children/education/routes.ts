import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../../services.ts';
import { DomainError } from '../../../../domain/errors.ts';
import { INFORMATION_SOURCES, PROVIDER_TYPES } from '../../../../domain/register/education.ts';
import { bodyOf, formErrors, isValidationError, text, type FormErrors } from '../../../forms.ts';
import { paths } from '../../../paths.ts';

const sources = (selected: string) => Object.entries(INFORMATION_SOURCES).map(([value, label]) => ({ value, text: label, checked: value === selected }));
const types = (selected: string) => [{ value: '', text: 'Choose a type' }, ...Object.entries(PROVIDER_TYPES).map(([value, label]) => ({ value, text: label, selected: value === selected }))];

/** How a child is educated: the 2026 Act's register items, each with its source. */
export function registerEducationRoutes(app: FastifyInstance, services: Services) {
  async function page(
    request: FastifyRequest<{ Params: { childId: string } }>,
    reply: FastifyReply,
    state: { arrangement?: Record<string, string>; arrangementErrors?: FormErrors; provider?: Record<string, string>; providerErrors?: FormErrors } = {},
  ) {
    const record = await services.viewChildRecord(request.context(), request.params.childId);
    if (!record.allowed.edit || !record.staffDetails) throw new DomainError('forbidden', 'You do not have access to this.');
    const current = record.staffDetails.education;
    const arrangement = state.arrangement ?? { parentHoursPerWeek: current?.parentHoursPerWeek?.toString() ?? '', otherHoursPerWeek: current?.otherHoursPerWeek?.toString() ?? '', source: '' };
    const provider = state.provider ?? {};
    return reply.status(state.arrangementErrors || state.providerErrors ? 400 : 200).render('children/education/education.njk', {
      pageTitle: 'How the child is educated',
      child: record.child,
      arrangement,
      arrangementSources: sources(arrangement['source'] ?? ''),
      arrangementErrors: state.arrangementErrors,
      providers: record.staffDetails.providers.map((p) => ({ ...p, endAction: paths.children.endEducationProvider(record.child.id, p.id) })),
      provider,
      providerTypes: types(provider['type'] ?? ''),
      providerSources: sources(provider['source'] ?? ''),
      providerErrors: state.providerErrors,
      errors: state.arrangementErrors ?? state.providerErrors,
    });
  }

  app.get<{ Params: { childId: string } }>('/children/:childId/education', (request, reply) => page(request, reply));

  app.post<{ Params: { childId: string } }>('/children/:childId/education/arrangement', async (request, reply) => {
    const body = bodyOf(request.body);
    const input = { parentHoursPerWeek: text(body, 'parentHoursPerWeek'), otherHoursPerWeek: text(body, 'otherHoursPerWeek'), source: text(body, 'source') };
    try {
      await services.recordEducationArrangement(request.context(), request.params.childId, input);
      return reply.redirect(`${paths.children.record(request.params.childId)}?done=education`, 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      return page(request, reply, { arrangement: input, arrangementErrors: formErrors(error, { source: 'arrangement-source' }) });
    }
  });

  app.post<{ Params: { childId: string } }>('/children/:childId/education/providers', async (request, reply) => {
    const body = bodyOf(request.body);
    const input = {
      name: text(body, 'name'),
      type: text(body, 'type'),
      addressOrWebsite: text(body, 'addressOrWebsite'),
      hoursPerWeek: text(body, 'hoursPerWeek'),
      hoursWithoutParentPerWeek: text(body, 'hoursWithoutParentPerWeek'),
      source: text(body, 'source'),
    };
    try {
      await services.addEducationProvider(request.context(), request.params.childId, input);
      return reply.redirect(`${paths.children.record(request.params.childId)}?done=education`, 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      return page(request, reply, { provider: input, providerErrors: formErrors(error, { source: 'provider-source' }) });
    }
  });

  app.post<{ Params: { childId: string; providerId: string } }>('/children/:childId/education/providers/:providerId/end', async (request, reply) => {
    await services.endEducationProvider(request.context(), request.params.childId, request.params.providerId);
    return reply.redirect(`${paths.children.record(request.params.childId)}?done=education`, 303);
  });
}
