import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../../../services.ts';
import type { CouncilSettingsView } from '../../../domain/council/use-cases.ts';
import { SETTINGS_PERIODS } from '../../../domain/council/use-cases.ts';
import { DomainError } from '../../../domain/errors.ts';
import { bodyOf, dateInputItems, dateParts, formErrors, isValidationError, readDateInput, text, type DateParts, type FormErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { parsePolicy } from './policy-blocks.ts';

const CONTACT_FIELDS = ['contactTeam', 'contactAddress', 'contactPhone', 'contactEmail', 'contactWebsite', 'socialCareTeam', 'socialCarePhone', 'socialCareEmail'] as const;

const SAVED_MESSAGES: Record<string, string> = {
  settings: 'Council settings saved',
  policy: 'Home education policy saved',
};

type Values = Record<string, string>;

/** The form's values for the settings as saved. */
function settingsValues(view: CouncilSettingsView): { values: Values; date: DateParts } {
  const { settings } = view;
  const values: Values = {
    version: String(view.version),
    registerRegimeEnabled: settings.registerRegime.enabled ? 'yes' : 'no',
    contactTeam: settings.contact.team,
    contactAddress: settings.contact.addressLines.join('\n'),
    contactPhone: settings.contact.phone,
    contactEmail: settings.contact.email,
    contactWebsite: settings.contact.website,
    socialCareTeam: settings.contact.socialCareTeam,
    socialCarePhone: settings.contact.socialCarePhone,
    socialCareEmail: settings.contact.socialCareEmail,
  };
  for (const period of SETTINGS_PERIODS) values[period.key] = String(settings.periods[period.key]);
  return { values, date: dateParts(settings.registerRegime.commencesOn) };
}

function renderSettings(reply: FastifyReply, view: CouncilSettingsView, state: { values: Values; date: DateParts; errors?: FormErrors; status?: number; flash?: string | undefined }) {
  const { values, errors } = state;
  const fieldError = (key: string) => errors?.fields[key];
  return reply.status(state.status ?? 200).render('admin/settings.njk', {
    pageTitle: 'Council settings',
    councilName: view.name,
    values,
    errors,
    flash: state.flash,
    dateItems: dateInputItems('commencesOn', state.date, Boolean(fieldError('commencesOn'))),
    periods: SETTINGS_PERIODS.map((period) => ({
      key: period.key,
      label: period.label,
      hint: period.hint,
      suffix: period.unit.many,
      value: values[period.key] ?? '',
      error: fieldError(period.key),
    })),
  });
}

function renderPolicy(reply: FastifyReply, state: { councilName: string; version: string; policy: string; errors?: FormErrors; status?: number; flash?: string | undefined; unsaved?: string }) {
  return reply.status(state.status ?? 200).render('admin/policy.njk', {
    pageTitle: 'Home education policy',
    councilName: state.councilName,
    values: { version: state.version, policy: state.policy },
    errors: state.errors,
    flash: state.flash,
    unsavedLines: state.unsaved === undefined ? null : state.unsaved.split(/\r\n|\r|\n/),
  });
}

const isStale = (error: unknown): error is DomainError => error instanceof DomainError && error.code === 'stale-version';

/**
 * The administrator's pages for the council's settings (register regime, periods, contact details)
 * and its home education policy, and the public page that publishes the policy.
 */
export function registerAdminRoutes(app: FastifyInstance, services: Services) {
  app.get<{ Querystring: { saved?: string } }>(paths.admin.settings, async (request, reply) => {
    const view = await services.viewCouncilSettings(request.context());
    const saved = request.query.saved ? SAVED_MESSAGES[request.query.saved] : undefined;
    return renderSettings(reply, view, { ...settingsValues(view), flash: saved });
  });

  app.post(paths.admin.settings, async (request, reply) => {
    const ctx = request.context();
    const body = bodyOf(request.body);
    const { parts, iso } = readDateInput(body, 'commencesOn');
    const input: Values = { version: text(body, 'version'), registerRegimeEnabled: text(body, 'registerRegimeEnabled'), commencesOn: iso };
    for (const period of SETTINGS_PERIODS) input[period.key] = text(body, period.key);
    for (const field of CONTACT_FIELDS) input[field] = text(body, field);
    try {
      await services.changeCouncilSettings(ctx, input);
      return reply.redirect(`${paths.admin.settings}?saved=settings`, 303);
    } catch (error) {
      const stale = isStale(error);
      if (!isValidationError(error) && !stale) throw error;
      const view = await services.viewCouncilSettings(ctx);
      // A stale save shows the settings as now saved, so the administrator sees the other change before redoing theirs.
      if (stale) return renderSettings(reply, view, { ...settingsValues(view), errors: { list: [{ text: error.message, href: '#registerRegimeEnabled' }], fields: {} }, status: 409 });
      return renderSettings(reply, view, { values: input, date: parts, errors: formErrors(error, { commencesOn: 'commencesOn-day' }), status: 400 });
    }
  });

  app.get<{ Querystring: { saved?: string } }>(paths.admin.policy, async (request, reply) => {
    const view = await services.viewCouncilSettings(request.context());
    const saved = request.query.saved ? SAVED_MESSAGES[request.query.saved] : undefined;
    return renderPolicy(reply, { councilName: view.name, version: String(view.version), policy: view.homeEducationPolicy, flash: saved });
  });

  app.post(paths.admin.policy, async (request, reply) => {
    const ctx = request.context();
    const body = bodyOf(request.body);
    const input = { version: text(body, 'version'), policy: text(body, 'policy') };
    try {
      await services.changeHomeEducationPolicy(ctx, input);
      return reply.redirect(`${paths.admin.policy}?saved=policy`, 303);
    } catch (error) {
      const stale = isStale(error);
      if (!isValidationError(error) && !stale) throw error;
      const view = await services.viewCouncilSettings(ctx);
      if (stale) {
        // The latest policy goes in the box; the text that was not saved is shown beside it to copy from.
        return renderPolicy(reply, { councilName: view.name, version: String(view.version), policy: view.homeEducationPolicy, errors: { list: [{ text: error.message, href: '#policy' }], fields: {} }, status: 409, unsaved: input.policy });
      }
      return renderPolicy(reply, { councilName: view.name, version: input.version, policy: input.policy, errors: formErrors(error), status: 400 });
    }
  });

  // Public: no sign-in needed, as families must be able to read the policy before they have an account.
  app.get(paths.homeEducationPolicy, async (request, reply) => {
    const { councilName, policy } = await services.viewHomeEducationPolicy({ correlationId: request.id, now: new Date() });
    return reply.render('admin/public-policy.njk', { pageTitle: 'Home education policy', councilName, blocks: parsePolicy(policy) });
  });
}
