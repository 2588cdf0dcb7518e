import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../../services.ts';
import { formatLongDate } from '../../../../domain/calendar/index.ts';
import { DomainError, forbidden, notFound } from '../../../../domain/errors.ts';
import { describeStepForFamily } from '../../../../domain/family/social-care-stages.ts';
import { bodyOf, formErrors, isValidationError, text, type FormErrors } from '../../../forms.ts';
import { paths } from '../../../paths.ts';
import { STEP_LABELS } from '../../social-care/routes.ts';
import { familySocialCarePaths as p } from './paths.ts';

type StepRequest = FastifyRequest<{ Params: { episodeId: string; stepId: string } }>;

/**
 * The social worker's page for withholding one step of an episode from the family, where disclosing
 * it would put a child at risk, and for showing it to them again. Linked from each step on the
 * social care episode page; the rule and its audit live in the use case.
 */
export function registerWithholdRoutes(app: FastifyInstance, services: Services): void {
  const render = async (request: StepRequest, reply: FastifyReply, values: Record<string, string>, errors: FormErrors | null, status = 200) => {
    const view = await services.viewSocialCareEpisode(request.context(), request.params.episodeId);
    if (!view.allowed.withhold) throw forbidden('Only a social worker or team manager can withhold information from a family.');
    const step = view.steps.find((s) => s.id === request.params.stepId);
    if (!step) throw notFound('The step');
    const shown = describeStepForFamily({ ...step, withheldFromFamily: false });
    const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
    return reply.status(status).render('family/social-care/withhold.njk', {
      pageTitle: step.withheldFromFamily ? 'Show this step to the family again' : 'Withhold this step from the family',
      caption: `${view.child.firstName} ${view.child.lastName}`,
      backHref: paths.socialCare.episode(view.episode.id),
      formAction: p.withhold(view.episode.id, step.id),
      withheld: step.withheldFromFamily,
      version: view.episode.version,
      rows: [
        row('Date', formatLongDate(step.startedOn)),
        row('Step', STEP_LABELS[step.kind] ?? step.kind),
        row('Recorded by', step.recordedByName ?? 'Not recorded'),
        row('What the family sees', shown ? `${shown.label}. ${shown.text}` : 'Families never see this kind of step'),
        ...(step.withheldFromFamily ? [row('Why it is withheld', step.withheldReason ?? '')] : []),
      ],
      values,
      errors,
    });
  };

  app.get(p.withhold(':episodeId', ':stepId'), (request: StepRequest, reply) => render(request, reply, {}, null));
  app.post(p.withhold(':episodeId', ':stepId'), async (request: StepRequest, reply) => {
    const body = bodyOf(request.body);
    const values = { reason: text(body, 'reason') };
    const withhold = text(body, 'withhold') === 'yes' ? 'yes' : 'no';
    try {
      await services.setSocialCareStepWithheld(request.context(), request.params.episodeId, request.params.stepId, { version: text(body, 'version'), withhold, reason: values.reason });
      const done = withhold === 'yes' ? 'The step is withheld from the family' : 'The family can see the step again';
      return reply.redirect(`${paths.socialCare.episode(request.params.episodeId)}?done=${encodeURIComponent(done)}`, 303);
    } catch (error) {
      const stale = error instanceof DomainError && error.code === 'stale-version';
      if (!isValidationError(error) && !stale) throw error;
      const errors = stale ? { list: [{ text: error.message, href: '#main-content' }], fields: {} } : formErrors(error);
      return render(request, reply, values, errors, stale ? 409 : 400);
    }
  });
}
