import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UseCaseContext } from '../../../domain/auth/actor.ts';
import { DomainError, forbidden, notFound } from '../../../domain/errors.ts';
import { isWorklist, type EpisodeView } from '../../../domain/register/episodes.ts';
import type { Services } from '../../../services.ts';
import { bodyOf, dateInputItems, dateParts, formErrors, isValidationError, readDateInput, text, type DateParts, type FormBody, type FormErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { METHOD_ITEMS, presentEpisode, presentEpisodeList, worklistTitle } from './presenter.ts';

const DONE_MESSAGES: Record<string, string> = {
  'enquiry-recorded': 'Enquiry recorded',
  'whereabouts-unknown': 'Whereabouts marked unknown; the referrals are recorded',
  located: 'Child recorded as found; the case is closed',
  allocated: 'Case allocated',
};

const FILTERS = ['kind', 'status', 'school', 'reason', 'officer'] as const;

type EpisodeParams = { Params: { episodeId: string } };

/** One of the case's forms: its template, the event it needs, its fields and the use case it calls. */
interface EpisodeForm {
  path: string;
  template: string;
  pageTitle: string;
  /** The lifecycle event the form carries out; null when it changes no status (allocation). */
  event: string | null;
  textFields: string[];
  dateFields: string[];
  done: string;
  submit(ctx: UseCaseContext, episodeId: string, input: Record<string, string>): Promise<unknown>;
  extra?(ctx: UseCaseContext, view: EpisodeView): Promise<Record<string, unknown>>;
  defaults?(view: EpisodeView): Record<string, string>;
}

/** The register: episodes and children-missing-education cases, their worklists and lifecycles. */
export function registerRegisterRoutes(app: FastifyInstance, services: Services) {
  async function renderList(request: FastifyRequest, reply: FastifyReply, worklist: string | null) {
    const ctx = request.context();
    const query = bodyOf(request.query);
    const filter: Record<string, string | undefined> = {};
    for (const key of FILTERS) filter[key] = text(query, key) || undefined;
    const input = worklist ? { worklist } : filter;
    let errors: FormErrors | null = null;
    let outcome: Awaited<ReturnType<Services['listEpisodes']>>;
    try {
      outcome = await services.listEpisodes(ctx, input);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      errors = formErrors(error);
      outcome = await services.listEpisodes(ctx, {});
    }
    const title = worklist && isWorklist(worklist) ? worklistTitle(worklist) : 'The register';
    return reply.status(errors ? 400 : 200).render('register/list.njk', {
      pageTitle: title,
      heading: title,
      worklist,
      values: filter,
      errors,
      total: outcome.items.length,
      limit: outcome.limit,
      ...presentEpisodeList(outcome.items, outcome.options, worklist ? {} : filter),
    });
  }

  app.get(paths.register.list, async (request, reply) => renderList(request, reply, null));

  app.get<{ Params: { name: string } }>('/register/worklists/:name', async (request, reply) => {
    if (!isWorklist(request.params.name)) throw notFound('The worklist');
    return renderList(request, reply, request.params.name);
  });

  app.get<EpisodeParams & { Querystring: { done?: string } }>('/register/episodes/:episodeId', async (request, reply) => {
    const view = await services.viewEpisode(request.context(), request.params.episodeId);
    const done = request.query.done ? DONE_MESSAGES[request.query.done] : undefined;
    const presented = presentEpisode(view);
    return reply.render('register/episode.njk', { pageTitle: `${presented.kindLabel}: ${view.child.firstName} ${view.child.lastName}`, flash: done, ...presented });
  });

  const forms: EpisodeForm[] = [
    {
      path: '/register/episodes/:episodeId/enquiries/new',
      template: 'register/enquiry.njk',
      pageTitle: 'Record an enquiry',
      event: 'record-enquiry',
      textFields: ['withWhom', 'method', 'outcome', 'jointWithSchool'],
      dateFields: ['madeOn'],
      done: 'enquiry-recorded',
      submit: (ctx, id, input) => services.recordCmeEnquiry(ctx, id, input),
      extra: async () => ({ methodItems: METHOD_ITEMS }),
    },
    {
      path: '/register/episodes/:episodeId/whereabouts-unknown',
      template: 'register/whereabouts-unknown.njk',
      pageTitle: 'Mark whereabouts unknown',
      event: 'mark-whereabouts-unknown',
      textFields: ['policeReference', 'socialCareReference'],
      dateFields: ['policeReferredOn', 'socialCareReferredOn'],
      done: 'whereabouts-unknown',
      submit: (ctx, id, input) => services.markWhereaboutsUnknown(ctx, id, input),
    },
    {
      path: '/register/episodes/:episodeId/located',
      template: 'register/located.njk',
      pageTitle: 'Record where the child was found',
      event: 'record-located',
      textFields: ['where', 'schoolName', 'councilName', 'laNumber', 'contact'],
      dateFields: ['handOverDate'],
      done: 'located',
      submit: (ctx, id, input) => services.recordChildLocated(ctx, id, input),
    },
    {
      path: '/register/episodes/:episodeId/allocate',
      template: 'register/allocate.njk',
      pageTitle: 'Allocate the case',
      event: null,
      textFields: ['officerId'],
      dateFields: [],
      done: 'allocated',
      submit: (ctx, id, input) => services.allocateEpisode(ctx, id, input),
      extra: async (ctx) => ({ officers: await services.listCouncilOfficers(ctx) }),
      defaults: (view) => ({ officerId: view.episode.allocatedTo ?? '' }),
    },
  ];

  /** Refuses the form when the actor may not act, or the lifecycle does not allow its event now. */
  function assertFormAllowed(form: EpisodeForm, view: EpisodeView) {
    if (!view.allowed.act) throw forbidden();
    const allowed = form.event ? view.availableEvents.includes(form.event) : !view.episode.closedOn;
    if (!allowed) throw new DomainError('validation', `This cannot be done to a case that is ${view.episode.status.replace(/-/g, ' ')}.`);
  }

  async function renderForm(reply: FastifyReply, ctx: UseCaseContext, form: EpisodeForm, view: EpisodeView, values: Record<string, string>, parts: Record<string, DateParts>, errors: FormErrors | null, status: number) {
    const dates = Object.fromEntries(form.dateFields.map((name) => [name, dateInputItems(name, parts[name] ?? dateParts(null), Boolean(errors?.fields[name]))]));
    return reply.status(status).render(form.template, {
      pageTitle: form.pageTitle,
      ...presentEpisode(view),
      action: form.path.replace(':episodeId', view.episode.id),
      values,
      dates,
      errors,
      ...(form.extra ? await form.extra(ctx, view) : {}),
    });
  }

  for (const form of forms) {
    app.get<EpisodeParams>(form.path, async (request, reply) => {
      const ctx = request.context();
      const view = await services.viewEpisode(ctx, request.params.episodeId);
      try {
        assertFormAllowed(form, view);
      } catch (error) {
        if (!isValidationError(error)) throw error;
        return reply.redirect(paths.register.episode(view.episode.id), 303);
      }
      return renderForm(reply, ctx, form, view, { version: String(view.episode.version), ...(form.defaults?.(view) ?? {}) }, {}, null, 200);
    });

    app.post<EpisodeParams>(form.path, async (request, reply) => {
      const ctx = request.context();
      const body: FormBody = bodyOf(request.body);
      const id = request.params.episodeId;
      const input: Record<string, string> = { version: text(body, 'version') };
      for (const field of form.textFields) input[field] = text(body, field);
      const parts: Record<string, DateParts> = {};
      for (const field of form.dateFields) {
        const read = readDateInput(body, field);
        parts[field] = read.parts;
        input[field] = read.iso;
      }
      try {
        await form.submit(ctx, id, input);
        return reply.redirect(`${paths.register.episode(id)}?done=${form.done}`, 303);
      } catch (error) {
        const stale = error instanceof DomainError && error.code === 'stale-version';
        if (!isValidationError(error) && !stale) throw error;
        const view = await services.viewEpisode(ctx, id);
        const fieldIds = Object.fromEntries(form.dateFields.map((f) => [f, `${f}-day`]));
        // A stale form keeps what was typed but takes the latest version, so the officer can check the case and send again.
        const errors = stale ? { list: [{ text: error.message, href: '#main-content' }], fields: {} } : formErrors(error, fieldIds);
        return renderForm(reply, ctx, form, view, stale ? { ...input, version: String(view.episode.version) } : input, parts, errors, stale ? 409 : 400);
      }
    });
  }
}
