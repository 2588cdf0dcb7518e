import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../../../services.ts';
import type { UseCaseContext } from '../../../domain/auth/actor.ts';
import { DomainError } from '../../../domain/errors.ts';
import { RETURN_OFFICER_ROLES, type DeletionReturnDraft, type DraftAnswers } from '../../../domain/register/match-returns.ts';
import { DELETION_GROUNDS, EHE_REASONS } from '../../../domain/register/reference-data.ts';
import { bodyOf, dateInputItems, dateParts, formErrors, isValidationError, readDateInput, text, type DateParts, type FormBody } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { presentCandidates } from '../../match-evidence.ts';
import { formatDate } from '../../setup/nunjucks.ts';
import {
  applicablePages,
  checkAnswersRows,
  eheReasonLabel,
  groundLabel,
  nextUrl,
  pageFor,
  pageOfField,
  previousUrl,
  STATUS_LABELS,
  validatePage,
  withoutStaleAnswers,
  type QuestionPage,
} from './journey.ts';

/** The radio value for "Not given", stored as an empty answer. */
const NOT_GIVEN = 'not-given';

const GROUND_ITEMS = Object.entries(DELETION_GROUNDS).map(([value, label]) => ({ value, text: `(${value}) ${label}` }));
const REASON_ITEMS = Object.entries(EHE_REASONS).map(([value, label]) => ({ value, text: label }));

const STATUS_FILTERS = [
  { value: '', text: 'All returns' },
  { value: 'awaiting-match', text: 'Waiting for a match' },
  { value: 'held', text: 'Held for consent' },
  { value: 'processed', text: 'Processed' },
];

const DONE_MESSAGES: Record<string, string> = { matched: 'Return matched to a child' };

/** What a page posted: its answers as strings (dates as ISO) and any date input parts, to show again. */
function readPage(page: QuestionPage, body: FormBody): { values: DraftAnswers; parts: Record<string, DateParts> } {
  const values: DraftAnswers = {};
  const parts: Record<string, DateParts> = {};
  for (const field of page.fields) {
    if (page.dates?.includes(field)) {
      const read = readDateInput(body, field);
      values[field] = read.iso;
      parts[field] = read.parts;
    } else {
      values[field] = text(body, field).trim();
    }
  }
  if (page.fields.includes('eheReason') && values['eheReason'] === NOT_GIVEN) values['eheReason'] = '';
  if (page.fields.includes('safeguardingConcerns') && values['safeguardingConcerns'] !== 'yes') {
    values['concernsDocumentedOn'] = '';
    values['concernsDetail'] = '';
    parts['concernsDocumentedOn'] = dateParts(null);
  }
  return { values, parts };
}

/** Where a page's form posts and its back link goes: in change mode both lead back to check answers. */
function pageLinks(page: QuestionPage, draft: DeletionReturnDraft, change: boolean) {
  return {
    action: `${paths.returns.question(page.slug)}${change ? '?change=1' : ''}`,
    backHref: change ? paths.returns.check : previousUrl(page, draft.answers, draft.choosesSchool),
  };
}

function renderQuestion(
  reply: FastifyReply,
  page: QuestionPage,
  draft: DeletionReturnDraft,
  change: boolean,
  values: DraftAnswers,
  parts: Record<string, DateParts>,
  errors: ReturnType<typeof formErrors> | null,
) {
  const dateItems = Object.fromEntries((page.dates ?? []).map((field) => [field, dateInputItems(field, parts[field] ?? dateParts(values[field]), Boolean(errors?.fields[field]))]));
  const reasonValue = 'eheReason' in values ? values['eheReason'] || NOT_GIVEN : undefined;
  return reply.status(errors ? 400 : 200).render(`returns/new/${page.slug}.njk`, {
    pageTitle: page.title,
    page,
    values: { ...values, eheReason: reasonValue },
    dateItems,
    errors,
    school: draft.school,
    groundItems: GROUND_ITEMS,
    reasonItems: [...REASON_ITEMS, { divider: 'or' }, { value: NOT_GIVEN, text: 'Not given' }],
    ...pageLinks(page, draft, change),
  });
}

const dateFieldIds = (page: QuestionPage) => Object.fromEntries((page.dates ?? []).map((f) => [f, `${f}-day`]));

const isOfficer = (ctx: UseCaseContext) => RETURN_OFFICER_ROLES.includes(ctx.actor.role);

const OUTCOME_NEXT: Record<string, string> = {
  'ehe-episode-opened': 'The pupil has been taken off your roll. The council’s elective home education team has opened a home education record and will contact the family.',
  'cme-case-opened': 'The pupil has been taken off your roll. The council’s children missing education team has opened a case and will make enquiries with you to find the pupil.',
  'held-for-consent': 'The pupil stays on your roll for now. The council must consent before a pupil at a special school is taken off roll for home education; we will tell you its decision.',
  recorded: 'The pupil has been taken off your roll and the council has a record of the return.',
  'awaiting-match': 'The council could not be sure which child this is. An officer will match the return to the pupil’s record, and may contact you to check the details.',
};

/** School deletion returns: the school's form journey, the returns it has sent, and officers matching returns to children. */
export function registerReturnRoutes(app: FastifyInstance, services: Services) {
  app.get(paths.returns.list, async (request, reply) => {
    const ctx = request.context();
    const query = bodyOf(request.query);
    const status = STATUS_FILTERS.some((s) => s.value === text(query, 'status')) ? text(query, 'status') : '';
    const council = ctx.actor.role !== 'school_user';
    const rows = await services.listDeletionReturns(ctx, { status: council && status ? status : undefined });
    const returns = [...rows].reverse().map(({ r, schoolName, childFirstName, childLastName }) => ({
      id: r.id,
      href: council ? paths.returns.view(r.id) : paths.returns.sent(r.id),
      pupil: childFirstName ? `${childFirstName} ${childLastName ?? ''}`.trim() : `${r.pupilFirstName} ${r.pupilLastName}`,
      schoolName,
      ground: groundLabel(r.ground),
      deletionDate: formatDate(r.deletionDate),
      status: STATUS_LABELS[r.status] ?? { text: r.status, colour: 'govuk-tag--grey' },
    }));
    return reply.render('returns/list.njk', {
      pageTitle: council ? 'Deletion returns' : 'Your deletion returns',
      council,
      canSend: ctx.actor.role === 'school_user' || isOfficer(ctx),
      returns,
      status,
      statusItems: STATUS_FILTERS.map((s) => ({ ...s, selected: s.value === status })),
    });
  });

  app.get(paths.returns.start, async (request, reply) => {
    const draft = await services.loadDeletionReturnDraft(request.context());
    const first = applicablePages(draft.answers, draft.choosesSchool)[0]!;
    return reply.redirect(paths.returns.question(first.slug), 303);
  });

  app.get(paths.returns.check, async (request, reply) => {
    const draft = await services.loadDeletionReturnDraft(request.context());
    return renderCheck(reply, draft, null);
  });

  function renderCheck(reply: FastifyReply, draft: DeletionReturnDraft, errors: ReturnType<typeof formErrors> | null) {
    const pages = applicablePages(draft.answers, draft.choosesSchool);
    return reply.status(errors ? 400 : 200).render('returns/new/check.njk', {
      pageTitle: 'Check your answers before sending the return',
      rows: checkAnswersRows(draft.answers, draft.school, draft.choosesSchool),
      backHref: paths.returns.question(pages[pages.length - 1]!.slug),
      errors,
    });
  }

  app.post(paths.returns.check, async (request, reply) => {
    const ctx = request.context();
    const draft = await services.loadDeletionReturnDraft(ctx);
    try {
      const result = await services.submitDeletionReturn(ctx, draft.answers, 'form');
      await services.discardDeletionReturnDraft(ctx);
      return reply.redirect(paths.returns.sent(result.returnId), 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      const errors = formErrors(error);
      // Each message links to the page that asks the question, to change the answer there.
      errors.list = Object.entries(error.fields).map(([field, message]) => {
        const page = pageOfField(field);
        return { text: message, href: page ? `${paths.returns.question(page.slug)}?change=1` : '#main-content' };
      });
      return renderCheck(reply, draft, errors);
    }
  });

  app.get<{ Params: { slug: string }; Querystring: { change?: string } }>('/returns/new/:slug', async (request, reply) => {
    const page = pageFor(request.params.slug);
    if (!page) throw new DomainError('not-found', 'The page was not found.');
    const draft = await services.loadDeletionReturnDraft(request.context());
    if (!applicablePages(draft.answers, draft.choosesSchool).includes(page)) return reply.redirect(paths.returns.check, 303);
    return renderQuestion(reply, page, draft, request.query.change === '1', draft.answers, {}, null);
  });

  app.post<{ Params: { slug: string }; Querystring: { change?: string } }>('/returns/new/:slug', async (request, reply) => {
    const page = pageFor(request.params.slug);
    if (!page) throw new DomainError('not-found', 'The page was not found.');
    const ctx = request.context();
    const change = request.query.change === '1';
    const draft = await services.loadDeletionReturnDraft(ctx);
    if (!applicablePages(draft.answers, draft.choosesSchool).includes(page)) return reply.redirect(paths.returns.check, 303);
    const { values, parts } = readPage(page, bodyOf(request.body));
    const fields = page.officersOnly && !values['schoolUrn'] ? { schoolUrn: 'Enter the school’s URN' } : validatePage(page, draft.answers, values);
    const answers = withoutStaleAnswers({ ...draft.answers, ...values });
    try {
      if (Object.keys(fields).length > 0) throw new DomainError('validation', 'There is a problem', fields);
      await services.saveDeletionReturnDraft(ctx, answers);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      return renderQuestion(reply, page, draft, change, { ...draft.answers, ...values }, parts, formErrors(error, dateFieldIds(page)));
    }
    // Choosing ground f from check answers still asks for the parent's reason before going back.
    if (change && page.slug === 'ground' && answers['ground'] === 'f' && !('eheReason' in answers)) {
      return reply.redirect(`${paths.returns.question('home-education-reason')}?change=1`, 303);
    }
    return reply.redirect(change ? paths.returns.check : nextUrl(page, answers, draft.choosesSchool), 303);
  });

  app.get<{ Params: { returnId: string } }>('/returns/:returnId/sent', async (request, reply) => {
    const view = await services.viewDeletionReturn(request.context(), request.params.returnId);
    const r = view.deletionReturn;
    return reply.render('returns/confirmation.njk', {
      pageTitle: 'Deletion return sent',
      pupil: `${r.pupilFirstName} ${r.pupilLastName}`,
      school: view.school,
      outcome: view.outcome,
      whatNext: OUTCOME_NEXT[view.outcome],
      safeguardingConcerns: r.safeguardingConcerns,
    });
  });

  app.get<{ Params: { returnId: string }; Querystring: { done?: string } }>('/returns/:returnId', async (request, reply) => {
    const view = await services.viewDeletionReturn(request.context(), request.params.returnId);
    return renderView(reply, view, null, request.query.done ? DONE_MESSAGES[request.query.done] : undefined);
  });

  function renderView(reply: FastifyReply, view: Awaited<ReturnType<Services['viewDeletionReturn']>>, errors: ReturnType<typeof formErrors> | null, flash?: string) {
    const r = view.deletionReturn;
    const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
    const rows = [
      row('School', `${view.school.name} (URN ${view.school.urn})`),
      row('Pupil’s name', `${r.pupilFirstName} ${r.pupilLastName}`),
      row('Date of birth', formatDate(r.pupilDateOfBirth)),
      row('UPN', r.upn ?? 'Not given'),
      row('Parent the pupil normally lives with', r.parentName),
      row('Parent’s address', `${r.parentAddressLine1}, ${r.parentTown}, ${r.parentPostcode}`),
      row('Emergency telephone number', r.emergencyPhone),
      row('Future address', r.futureAddress ?? 'Not known'),
      row('Destination school', [r.destinationSchool, r.destinationStartDate ? `starting ${formatDate(r.destinationStartDate)}` : ''].filter(Boolean).join(', ') || 'Not known'),
      row('Ground for deletion', groundLabel(r.ground)),
      ...(r.ground === 'f' ? [row('Reason for home education', eheReasonLabel(r.eheReason))] : []),
      row('Date of deletion', formatDate(r.deletionDate)),
      row('Safeguarding concerns documented', r.safeguardingConcerns ? `Yes, on ${formatDate(r.concernsDocumentedOn)}: ${r.concernsDetail ?? ''}` : 'No'),
    ];
    const presented = presentCandidates(view.candidates, 'return');
    const candidateItems = presented.items;
    return reply.status(errors ? 400 : 200).render('returns/view.njk', {
      pageTitle: `Deletion return for ${r.pupilFirstName} ${r.pupilLastName}`,
      view,
      rows,
      status: STATUS_LABELS[r.status] ?? { text: r.status, colour: 'govuk-tag--grey' },
      matchItems: [...candidateItems, ...(candidateItems.length ? [{ divider: 'or' }] : []), { value: 'new', text: 'Add a new child from this return’s details' }],
      matchEvidence: presented.evidence,
      errors,
      flash,
    });
  }

  app.post<{ Params: { returnId: string } }>('/returns/:returnId/match', async (request, reply) => {
    const ctx = request.context();
    const choice = text(bodyOf(request.body), 'match');
    try {
      await services.matchDeletionReturn(ctx, request.params.returnId, choice === 'new' ? { create: true } : { childId: choice });
      return reply.redirect(`${paths.returns.view(request.params.returnId)}?done=matched`, 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      const view = await services.viewDeletionReturn(ctx, request.params.returnId);
      const errors = formErrors(new DomainError('validation', error.message, { match: Object.values(error.fields)[0] ?? error.message }));
      return renderView(reply, view, errors);
    }
  });
}
