import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services.ts';
import type { UseCaseContext } from '../../../domain/auth/actor.ts';
import { DomainError } from '../../../domain/errors.ts';
import { formatLongDate, todayIn } from '../../../domain/calendar/index.ts';
import { EHE_STATUS_LABELS, type EheEvent, type EheStatus } from '../../../domain/ehe/lifecycle.ts';
import { CLOSE_REASONS, EVIDENCE_KINDS, INFORMATION_KINDS, OFFER_RESPONSES, OUTCOMES, RESPONSE_METHODS, SEN_ANSWERS, TEST_ANSWERS } from '../../../domain/ehe/schemas.ts';
import { CONSENT_GROUND_LABELS, CONSENT_STATUS_LABELS, type ConsentStatus } from '../../../domain/ehe/consent.ts';
import { bodyOf, formErrors, isValidationError, text, type FormErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { presentField, readFieldInput, type Field } from '../../step-forms.ts';
import { presentEpisodeFamilyItems } from '../family/enquiries/presenter.ts';

type EheView = Awaited<ReturnType<Services['viewEheEpisode']>>;

interface Action {
  slug: string;
  events: EheEvent[] | null;
  /** For the 2026 register's steps, which are not stages of the episode: when to offer them. */
  available?: (view: EheView) => boolean;
  title: string;
  intro?: (view: EheView) => string;
  submitText: string;
  fields: (view: EheView) => Field[];
  submit: (services: Services, ctx: UseCaseContext, episodeId: string, input: Record<string, unknown>) => Promise<unknown>;
  done: string;
}

const schoolOptions = (view: EheView) => Object.fromEntries(view.schools.map((s) => [s.id, `${s.name} (URN ${s.urn})`]));
const openStep = (view: EheView, kind: string) => view.steps.find((s) => s.kind === kind && s.status === 'open');
const namedSchools = (view: EheView): Record<string, string> => {
  const notice = openStep(view, 'notice-of-intention');
  const details = (notice?.details ?? {}) as { schools?: { id: string; name: string }[]; chosenSchool?: { id: string; name: string } };
  const list = details.chosenSchool ? [details.chosenSchool] : (details.schools ?? []);
  return Object.fromEntries(list.map((s) => [s.id, s.name]));
};

const ACTIONS: Action[] = [
  {
    slug: 'enquiry',
    events: ['send-informal-enquiry'],
    title: 'Send an informal enquiry',
    intro: () => 'Cairn writes to each parent with parental responsibility, by post or email as they prefer, asking about the child’s education and offering the ways they can show it. The letter gives a reply date.',
    submitText: 'Send the enquiry',
    fields: () => [],
    submit: (s, ctx, id, input) => s.sendInformalEnquiry(ctx, id, input),
    done: 'Informal enquiry sent',
  },
  {
    slug: 'information',
    events: ['record-information'],
    title: 'Record information received',
    intro: () => 'A declined visit is never by itself a reason to find education unsuitable. Record it, and offer another way for the family to show the education.',
    submitText: 'Save information',
    fields: () => [
      { type: 'radios', name: 'kind', label: 'What was received or arranged?', options: INFORMATION_KINDS },
      { type: 'radios', name: 'response', label: 'What happened?', hint: 'For a meeting or visit, say whether it was offered, accepted or declined', options: OFFER_RESPONSES },
      { type: 'date', name: 'receivedOn', label: 'Date', hint: 'For example, 3 11 2026' },
      { type: 'textarea', name: 'summary', label: 'Summary', hint: 'What the information shows, or what was agreed. If the family declined, record their reasons.' },
    ],
    submit: (s, ctx, id, input) => s.recordInformation(ctx, id, input),
    done: 'Information recorded',
  },
  {
    slug: 'judgement',
    events: ['judge-suitable', 'judge-not-suitable'],
    title: 'Record a suitability judgement',
    intro: () => 'Judge the education against the legal test in section 7 of the Education Act 1996. A “not suitable” or “not satisfied” outcome takes effect only when a second officer has moderated it.',
    submitText: 'Save judgement',
    fields: () => [
      { type: 'radios', name: 'efficient', label: 'Is the education efficient?', options: TEST_ANSWERS, inline: true },
      { type: 'radios', name: 'fullTime', label: 'Is it full-time?', options: TEST_ANSWERS, inline: true },
      { type: 'radios', name: 'suitableToAgeAbilityAptitude', label: 'Is it suitable to the child’s age, ability and aptitude?', options: TEST_ANSWERS, inline: true },
      { type: 'radios', name: 'suitableToSen', label: 'Is it suitable to any special educational needs?', options: SEN_ANSWERS },
      { type: 'checkboxes', name: 'evidence', label: 'Evidence considered', hint: 'Select all that apply', options: EVIDENCE_KINDS },
      { type: 'textarea', name: 'reasoning', label: 'Your reasons', hint: 'Explain the judgement against each part of the test' },
      { type: 'radios', name: 'outcome', label: 'Outcome', options: OUTCOMES },
      { type: 'textarea', name: 'familyResponse', label: 'The family’s response (optional)' },
      { type: 'textarea', name: 'childViews', label: 'The child’s views (optional)', hint: 'What the child said about their education, in their words where possible' },
    ],
    submit: (s, ctx, id, input) => s.recordJudgement(ctx, id, input),
    done: 'Judgement recorded',
  },
  {
    slug: 'moderation',
    events: ['confirm-judgement', 'return-judgement'],
    title: 'Moderate the judgement',
    intro: (view) => {
      const j = view.judgements.find((x) => x.status === 'awaiting-moderation');
      return j ? `${j.judgedByName} judged the education “${j.outcome.replace(/-/g, ' ')}” on ${formatLongDate(j.judgedOn)}. Their reasons: ${j.reasoning}` : '';
    },
    submitText: 'Save moderation',
    fields: () => [
      { type: 'radios', name: 'decision', label: 'Do you agree with the judgement?', options: { agree: 'Yes, it takes effect and the family is told', disagree: 'No, return it to the officer' } },
      { type: 'textarea', name: 'note', label: 'Moderation note', hint: 'Required if you do not agree' },
    ],
    submit: (s, ctx, id, input) => s.moderateJudgement(ctx, id, input),
    done: 'Moderation recorded',
  },
  {
    slug: 's437-notice',
    events: ['serve-s437-notice'],
    title: 'Serve a section 437(1) notice',
    intro: () => 'The notice requires the parent to satisfy the council that the child is receiving suitable education. It goes by first-class post and is treated as served on the second working day after posting; the period runs from then.',
    submitText: 'Serve the notice',
    fields: () => [{ type: 'textarea', name: 'concerns', label: 'The council’s concerns', hint: 'These are quoted in the notice' }],
    submit: (s, ctx, id, input) => s.serveS437Notice(ctx, id, input),
    done: 'Section 437(1) notice served',
  },
  {
    slug: 'satisfied',
    events: ['record-satisfied'],
    title: 'Record that the council is satisfied',
    submitText: 'Save',
    fields: () => [{ type: 'textarea', name: 'reasons', label: 'Why the council is now satisfied' }],
    submit: (s, ctx, id, input) => s.recordSatisfied(ctx, id, input),
    done: 'The council is satisfied; the next annual contact is scheduled',
  },
  {
    slug: 'notice-of-intention',
    events: ['serve-notice-of-intention'],
    title: 'Serve a notice of intention',
    intro: () => 'Name the schools the council may name in a School Attendance Order. The parent may choose one of them, or another school, within the choice period.',
    submitText: 'Serve the notice of intention',
    fields: (view) => [{ type: 'checkboxes', name: 'schoolIds', label: 'Schools to name', hint: 'Select up to 4', options: schoolOptions(view) }],
    submit: (s, ctx, id, input) => s.serveNoticeOfIntention(ctx, id, input),
    done: 'Notice of intention served',
  },
  {
    slug: 'school-choice',
    events: ['record-school-choice'],
    title: 'Record the parent’s choice of school',
    submitText: 'Save choice',
    fields: (view) => [
      { type: 'select', name: 'schoolId', label: 'School the parent chose', options: schoolOptions(view) },
      { type: 'date', name: 'receivedOn', label: 'Date the council received the choice' },
    ],
    submit: (s, ctx, id, input) => s.recordSchoolChoice(ctx, id, input),
    done: 'Choice of school recorded',
  },
  {
    slug: 'sao',
    events: ['serve-sao'],
    title: 'Serve a School Attendance Order',
    submitText: 'Serve the order',
    fields: (view) => [{ type: 'radios', name: 'schoolId', label: 'School the order names', options: namedSchools(view) }],
    submit: (s, ctx, id, input) => s.serveSchoolAttendanceOrder(ctx, id, input),
    done: 'School Attendance Order served',
  },
  {
    slug: 'sao-complied',
    events: ['record-sao-complied'],
    title: 'Record that the order has been complied with',
    intro: () => 'The child is added to the roll of the school the order names, and the episode closes.',
    submitText: 'Save and close the episode',
    fields: () => [{ type: 'date', name: 'startDate', label: 'Date the child started at the school' }],
    submit: (s, ctx, id, input) => s.recordSaoComplied(ctx, id, input),
    done: 'The order has been complied with; the episode is closed',
  },
  {
    slug: 'sao-revoked',
    events: ['revoke-sao'],
    title: 'Revoke the School Attendance Order',
    submitText: 'Revoke the order',
    fields: () => [{ type: 'textarea', name: 'reasons', label: 'Reasons', hint: 'These are given to the family in the letter' }],
    submit: (s, ctx, id, input) => s.revokeSao(ctx, id, input),
    done: 'The order is revoked; the episode is closed',
  },
  {
    slug: 'prosecution',
    events: ['refer-for-prosecution'],
    title: 'Refer for prosecution',
    submitText: 'Refer for prosecution',
    fields: () => [{ type: 'textarea', name: 'reasons', label: 'Reasons' }],
    submit: (s, ctx, id, input) => s.referForProsecution(ctx, id, input),
    done: 'Referred for prosecution',
  },
  {
    slug: 'close',
    events: ['close'],
    title: 'Close the episode',
    submitText: 'Close the episode',
    fields: () => [
      { type: 'radios', name: 'reason', label: 'Why is the episode closing?', hint: 'A child who joins a school roll is closed by the admission return', options: CLOSE_REASONS },
      { type: 'text', name: 'newCouncil', label: 'Council the family moved to (if they moved)' },
      { type: 'textarea', name: 'handOverNotes', label: 'Hand-over notes (optional)' },
    ],
    submit: (s, ctx, id, input) => s.closeEheEpisode(ctx, id, input),
    done: 'Episode closed',
  },
  {
    slug: 'register',
    events: null,
    available: (view) => view.register.inForce && view.register.state === 'not-registered' && !view.episode.closedOn,
    title: 'Register the child',
    intro: () => 'The children-not-in-school register records the items the Children’s Wellbeing and Schools Act 2026 asks for, as the council holds them now. Any missing items are asked for from the parents, and the home is to be considered within the council’s set number of days.',
    submitText: 'Register the child',
    fields: () => [],
    submit: (s, ctx, id) => s.registerChild(ctx, id),
    done: 'The child is registered',
  },
  {
    slug: 'home-considered',
    events: null,
    available: (view) => view.register.inForce && view.register.homeConsiderationDueOn !== null && !view.episode.closedOn,
    title: 'Record that the home has been considered',
    submitText: 'Save',
    fields: () => [
      { type: 'textarea', name: 'notes', label: 'What the council considered about the home environment' },
      { type: 'radios', name: 'visitAsked', label: 'Did the council ask to visit?', hint: 'The family may say no; saying no is recorded, never held against them on its own', options: { yes: 'Yes', no: 'No' }, inline: true },
    ],
    submit: (s, ctx, id, input) => s.recordHomeConsidered(ctx, id, input),
    done: 'Home consideration recorded',
  },
  {
    slug: 'provider-update-request',
    events: null,
    available: (view) => view.register.inForce && view.register.state !== 'not-registered' && !view.episode.closedOn,
    title: 'Ask for provider details',
    intro: (view) =>
      view.register.nextProviderRequestOn
        ? `Provider details were last requested on ${formatLongDate(view.register.lastProviderRequestOn!)}; they can be requested again from ${formatLongDate(view.register.nextProviderRequestOn)}.`
        : 'The parents are asked, in writing, to update the details of each other provider of the child’s education.',
    submitText: 'Send the request',
    fields: () => [],
    submit: (s, ctx, id) => s.requestProviderUpdate(ctx, id),
    done: 'Provider details requested',
  },
  {
    slug: 'register-update-received',
    events: null,
    available: (view) => view.register.inForce && view.steps.some((st) => (st.kind === 'register-items-request' || st.kind === 'provider-update-request') && st.status === 'open'),
    title: 'Record the register details received',
    submitText: 'Save',
    fields: () => [
      { type: 'radios', name: 'kind', label: 'What did the parent send?', options: { 'register-items-request': 'The missing register items', 'provider-update-request': 'Updated provider details' } },
      { type: 'textarea', name: 'summary', label: 'Summary', hint: 'Record the details themselves on the child’s education page' },
    ],
    submit: (s, ctx, id, input) => s.recordRegisterUpdateReceived(ctx, id, input),
    done: 'Register details recorded',
  },
  {
    slug: 'preliminary-notice',
    events: ['serve-preliminary-notice'],
    title: 'Serve a preliminary notice',
    intro: () => 'The parent has not registered the child or updated provider details by the date asked. Under the Children’s Wellbeing and Schools Act 2026 this is the first stage of the School Attendance Order process.',
    submitText: 'Serve the preliminary notice',
    fields: () => [{ type: 'textarea', name: 'reasons', label: 'Reasons', hint: 'These are given to the parent in the notice' }],
    submit: (s, ctx, id, input) => s.servePreliminaryNotice(ctx, id, input),
    done: 'Preliminary notice served',
  },
  {
    slug: 'response',
    events: null,
    title: 'Record the family’s response',
    submitText: 'Save response',
    fields: (view) => [
      { type: 'select', name: 'stepId', label: 'Which step does it answer?', options: { '': 'None in particular', ...Object.fromEntries(view.steps.filter((s) => s.kind !== 'information').map((s) => [s.id, `${STEP_LABELS[s.kind] ?? s.kind}, ${formatLongDate(s.startedOn)}`])) } },
      { type: 'date', name: 'receivedOn', label: 'Date received' },
      { type: 'radios', name: 'method', label: 'How did it come?', options: RESPONSE_METHODS, inline: true },
      { type: 'textarea', name: 'summary', label: 'What the family said', hint: 'Their words where possible' },
    ],
    submit: (s, ctx, id, input) => s.recordFamilyResponse(ctx, id, input),
    done: 'The family’s response recorded',
  },
];

export const STEP_LABELS: Record<string, string> = {
  'informal-enquiry': 'Informal enquiry',
  information: 'Information',
  moderation: 'Moderation',
  's437-notice': 'Section 437(1) notice',
  satisfied: 'Council satisfied',
  'notice-of-intention': 'Notice of intention',
  'school-choice': 'Parent’s choice of school',
  'school-attendance-order': 'School Attendance Order',
  'sao-complied': 'Order complied with',
  'sao-revoked': 'Order revoked',
  prosecution: 'Referred for prosecution',
  'annual-contact': 'Annual contact',
  'home-consideration': 'Home considered',
  'provider-update-request': 'Provider update requested',
  registration: 'Registered',
  'register-items-request': 'Register items requested',
  'preliminary-notice': 'Preliminary notice',
  closed: 'Closed',
};

const CLOCK_LABELS: Record<string, string> = {
  'informal-enquiry': 'Reply to the informal enquiry due',
  's437-notice': 'Notice period ends',
  'notice-of-intention': 'Choice of school due',
  'annual-contact': 'Next annual contact due',
  'home-consideration': 'Home consideration due',
  'register-items-request': 'Missing register items due',
  'provider-update-request': 'Provider details due',
  'preliminary-notice': 'Preliminary notice ends',
};

function describeStep(step: EheView['steps'][number]): string {
  const d = step.details as Record<string, unknown>;
  switch (step.kind) {
    case 'informal-enquiry':
      return `Reply asked for by ${formatLongDate(String(d['replyBy']))}`;
    case 'information':
      return `${INFORMATION_KINDS[d['kind'] as keyof typeof INFORMATION_KINDS] ?? String(d['kind'])} (${String(d['response'])}): ${String(d['summary'] ?? '')}`;
    case 's437-notice':
      return `Served ${formatLongDate(String(d['servedOn']))}; period ends ${formatLongDate(String(d['expiresOn']))}`;
    case 'notice-of-intention':
      return `Schools named: ${((d['schools'] as { name: string }[] | undefined) ?? []).map((s) => s.name).join(', ')}; choice due by ${formatLongDate(String(d['choiceEndsOn']))}${d['chosenSchool'] ? `; the parent chose ${(d['chosenSchool'] as { name: string }).name}` : ''}`;
    case 'school-attendance-order':
      return `Names ${(d['school'] as { name: string }).name}`;
    case 'school-choice':
      return `${(d['school'] as { name: string }).name}`;
    case 'satisfied':
    case 'sao-revoked':
    case 'prosecution':
      return String(d['reasons'] ?? '');
    case 'closed':
      return String(d['reason'] ?? '').replace(/-/g, ' ');
    default:
      return '';
  }
}

/** The home education officer's pages: the worklist, each episode, and the steps the law sets. */
const OPENED_BY_LABELS: Record<string, string> = {
  'deletion-return': 'The school’s deletion return',
  'parent-notification': 'The parent told the council',
  'partner-referral': 'A partner’s referral',
  officer: 'Found while missing education',
  'data-matching': 'A data-matching exercise',
};

export function registerHomeEducationRoutes(app: FastifyInstance, services: Services) {
  app.get<{ Querystring: { done?: string } }>(paths.homeEducation.work, async (request, reply) => {
    const ctx = request.context();
    const work = await services.listEheWork(ctx);
    const consents = await services.listConsentRequests(ctx);
    const row = (i: (typeof work.overdue)[number]) => ({
      href: paths.homeEducation.episode(i.episodeId),
      child: i.childName,
      step: i.kind === 'moderation' ? 'Judgement awaiting moderation' : (CLOCK_LABELS[i.kind] ?? STEP_LABELS[i.kind] ?? i.kind),
      due: i.dueOn ? formatLongDate(i.dueOn) : '',
    });
    return reply.render('home-education/work.njk', {
      pageTitle: 'Home education',
      flash: request.query.done,
      registerInForce: work.registerInForce,
      overdue: work.overdue.map(row),
      dueSoon: work.dueSoon.map(row),
      awaitingModeration: work.awaitingModeration.map(row),
      newlyNotified: work.newlyNotified.map((n) => ({
        href: paths.homeEducation.episode(n.episodeId),
        child: n.childName,
        openedOn: formatLongDate(n.openedOn),
        how: OPENED_BY_LABELS[n.openedBy] ?? 'Opened by the council',
      })),
      directions: work.directions.map((d) => ({ id: d.stepId, child: d.childName, text: d.text, due: d.dueOn ? formatLongDate(d.dueOn) : '', overdue: d.dueOn !== null && d.dueOn < work.today, href: d.episodeId ? paths.homeEducation.episode(d.episodeId) : paths.children.record(d.childId) })),
      consents: consents
        .filter((c) => c.status === 'requested' || c.status === 'under-consideration')
        .map((c) => ({ href: paths.homeEducation.consent(c.id), child: c.childName, school: c.schoolName, requestedOn: formatLongDate(c.requestedOn), status: CONSENT_STATUS_LABELS[c.status as ConsentStatus] })),
    });
  });

  app.get<{ Params: { episodeId: string }; Querystring: { done?: string } }>('/home-education/episodes/:episodeId', async (request, reply) => {
    const view = await services.viewEheEpisode(request.context(), request.params.episodeId);
    const contactPreferences = await services.viewContactPreferencesForChild(request.context(), view.child.id);
    const today = todayIn(new Date());
    const actionFor = (event: EheEvent) => ACTIONS.find((a) => a.events?.includes(event));
    const actions = view.allowed.act
      ? [...new Set([...view.availableEvents.map(actionFor), ...ACTIONS.filter((a) => a.available?.(view))].filter((a): a is Action => a !== undefined))].map((a, index) => ({ text: a.title, href: paths.homeEducation.action(view.episode.id, a.slug), classes: index === 0 ? '' : 'govuk-button--secondary' }))
      : [];
    return reply.render('home-education/episode.njk', {
      pageTitle: `Home education: ${view.child.firstName} ${view.child.lastName}`,
      flash: request.query.done,
      view,
      statusLabel: EHE_STATUS_LABELS[view.episode.status as EheStatus] ?? view.episode.status,
      actions,
      responseHref: view.allowed.act && !view.episode.closedOn ? paths.homeEducation.action(view.episode.id, 'response') : null,
      contactPreferences,
      plan: view.plan
        ? {
            title: view.plan.kind === 'cp-plan' ? 'Child protection plan' : 'Child in Need plan',
            rows: [
              { key: { text: 'Started' }, value: { text: formatLongDate(view.plan.startedOn) } },
              ...(view.plan.nextReviewOn ? [{ key: { text: 'Next review' }, value: { text: formatLongDate(view.plan.nextReviewOn) } }] : []),
              { key: { text: 'Education section' }, value: { text: view.plan.educationSection || 'Not recorded' } },
              ...view.plan.directions.map((d) => ({ key: { text: 'Direction' }, value: { text: `${d.text}${d.dueOn ? `, by ${formatLongDate(d.dueOn)}` : ''}${d.done ? ' (done)' : ''}` } })),
            ],
          }
        : null,
      registerRows: view.register.inForce
        ? [
            { key: { text: 'Register' }, value: { text: { 'not-registered': 'Not registered', registered: 'Registered; home not yet considered', active: 'Registered' }[view.register.state] } },
            ...(view.register.registeredOn ? [{ key: { text: 'Registered on' }, value: { text: formatLongDate(view.register.registeredOn) } }] : []),
            ...(view.register.missingItems.length ? [{ key: { text: 'Items missing at registration' }, value: { text: view.register.missingItems.join('; ') } }] : []),
            ...(view.register.nextProviderRequestOn ? [{ key: { text: 'Provider details can next be requested' }, value: { text: formatLongDate(view.register.nextProviderRequestOn) } }] : []),
          ]
        : null,
      clocks: view.openClocks.map((s) => ({ label: CLOCK_LABELS[s.kind] ?? STEP_LABELS[s.kind] ?? s.kind, due: formatLongDate(s.dueOn!), overdue: s.dueOn! < today })),
      stepRows: view.steps.map((s) => [{ text: formatLongDate(s.startedOn) }, { text: STEP_LABELS[s.kind] ?? s.kind }, { text: describeStep(s) }, { text: s.recordedByName ?? '' }]),
      judgements: view.judgements.map((j) => ({
        title: `${OUTCOMES[j.outcome as keyof typeof OUTCOMES]?.split(':')[0] ?? j.outcome}, ${formatLongDate(j.judgedOn)}`,
        rows: [
          { key: { text: 'Efficient' }, value: { text: TEST_ANSWERS[j.efficient as keyof typeof TEST_ANSWERS] ?? j.efficient } },
          { key: { text: 'Full-time' }, value: { text: TEST_ANSWERS[j.fullTime as keyof typeof TEST_ANSWERS] ?? j.fullTime } },
          { key: { text: 'Suitable to age, ability and aptitude' }, value: { text: TEST_ANSWERS[j.suitableToAgeAbilityAptitude as keyof typeof TEST_ANSWERS] ?? '' } },
          { key: { text: 'Suitable to any special educational needs' }, value: { text: SEN_ANSWERS[j.suitableToSen as keyof typeof SEN_ANSWERS] ?? '' } },
          { key: { text: 'Evidence considered' }, value: { text: (j.evidence as string[]).map((e) => EVIDENCE_KINDS[e as keyof typeof EVIDENCE_KINDS] ?? e).join(', ') } },
          { key: { text: 'Reasons' }, value: { text: j.reasoning } },
          { key: { text: 'Judged by' }, value: { text: j.judgedByName } },
          { key: { text: 'Moderation' }, value: { text: j.status === 'awaiting-moderation' ? 'Awaiting a second officer' : j.moderatedByName ? `${j.status === 'returned' ? 'Returned' : 'Agreed'} by ${j.moderatedByName}${j.moderationNote ? `: ${j.moderationNote}` : ''}` : 'Not needed' } },
          ...(j.familyResponse ? [{ key: { text: 'The family’s response' }, value: { text: j.familyResponse } }] : []),
          ...(j.childViews ? [{ key: { text: 'The child’s views' }, value: { text: j.childViews } }] : []),
        ],
      })),
      fromFamily: presentEpisodeFamilyItems(await services.listEheEpisodeFamilyItems(request.context(), view.episode.id)),
      responseRows: view.responses.map((r) => [{ text: formatLongDate(r.receivedOn) }, { text: RESPONSE_METHODS[r.method as keyof typeof RESPONSE_METHODS] ?? r.method }, { text: r.summary }]),
      letterRows: view.letters.map((l) => [
        { html: `<a class="govuk-link" href="/letters/${l.id}">${escape(l.subject)}</a>` },
        { text: l.recipientName },
        { text: l.channel === 'email' ? 'Email' : 'Post' },
        { text: l.status },
        { text: formatLongDate(l.createdAt.toISOString().slice(0, 10)) },
      ]),
    });
  });

  for (const action of ACTIONS) {
    const url = `/home-education/episodes/:episodeId/${action.slug}`;
    const render = async (request: FastifyRequest<{ Params: { episodeId: string } }>, reply: FastifyReply, values: Record<string, unknown>, errors: FormErrors | null, status = 200) => {
      const view = await services.viewEheEpisode(request.context(), request.params.episodeId);
      if (!view.allowed.act) throw new DomainError('forbidden', 'You do not have access to this.');
      const offered = action.events ? action.events.some((e) => view.availableEvents.includes(e)) : (action.available?.(view) ?? true);
      if (!offered && !errors) {
        throw new DomainError('validation', `You cannot do this now: the episode is at “${EHE_STATUS_LABELS[view.episode.status as EheStatus]}”.`);
      }
      const fields = action.fields(view).map((f) => presentField(f, values, errors));
      return reply.status(status).render('step-form.njk', {
        pageTitle: action.title,
        caption: `${view.child.firstName} ${view.child.lastName}`,
        backHref: paths.homeEducation.episode(view.episode.id),
        title: action.title,
        submitText: action.submitText,
        intro: action.intro?.(view) ?? '',
        fields,
        version: view.episode.version,
        formAction: paths.homeEducation.action(view.episode.id, action.slug),
        errors,
      });
    };
    app.get<{ Params: { episodeId: string } }>(url, (request, reply) => render(request, reply, {}, null));
    app.post<{ Params: { episodeId: string } }>(url, async (request, reply) => {
      const ctx = request.context();
      const body = bodyOf(request.body);
      const view = await services.viewEheEpisode(ctx, request.params.episodeId);
      const input: Record<string, unknown> = { version: text(body, 'version'), ...readFieldInput(action.fields(view), body) };
      try {
        await action.submit(services, ctx, request.params.episodeId, input);
        return reply.redirect(`${paths.homeEducation.episode(request.params.episodeId)}?done=${encodeURIComponent(action.done)}`, 303);
      } catch (error) {
        const stale = error instanceof DomainError && error.code === 'stale-version';
        if (!isValidationError(error) && !stale) throw error;
        const firstField = action.fields(view)[0];
        const ids = Object.fromEntries(action.fields(view).map((f) => [f.name, f.type === 'date' ? `${f.name}-day` : f.name]));
        const errors = stale ? { list: [{ text: error.message, href: firstField ? `#${ids[firstField.name]}` : '#main-content' }], fields: {} } : formErrors(error, ids);
        const values = Object.fromEntries(Object.entries(body).filter(([k]) => k !== '_csrf'));
        return render(request, reply, values, errors, stale ? 409 : 400);
      }
    });
  }

  app.post<{ Params: { directionId: string } }>('/home-education/directions/:directionId/done', async (request, reply) => {
    await services.completePlanDirection(request.context(), request.params.directionId, { note: text(bodyOf(request.body), 'note') }).catch((error: unknown) => {
      if (isValidationError(error)) throw new DomainError('validation', 'Enter what was done, then record the direction as done.');
      throw error;
    });
    return reply.redirect(`${paths.homeEducation.work}?done=${encodeURIComponent('Direction recorded as done')}`, 303);
  });

  app.post('/home-education/register-eligible', async (request, reply) => {
    const result = await services.registerEligibleChildren(request.context());
    const done = `${result.registered} ${result.registered === 1 ? 'child' : 'children'} registered${result.incomplete ? `; ${result.incomplete} with items still to ask the parents for` : ''}`;
    return reply.redirect(`${paths.homeEducation.work}?done=${encodeURIComponent(done)}`, 303);
  });

  app.get<{ Params: { requestId: string }; Querystring: { done?: string } }>('/home-education/consent/:requestId', async (request, reply) => renderConsent(request, reply, null, {}, 200));

  async function renderConsent(request: FastifyRequest<{ Params: { requestId: string }; Querystring?: { done?: string } }>, reply: FastifyReply, errors: FormErrors | null, values: Record<string, unknown>, status: number) {
    const view = await services.viewConsentRequest(request.context(), request.params.requestId);
    const r = view.request;
    const snapshot = r.protectionSnapshot as { protectionStatus: string; lookedAfter: boolean; childInNeed: boolean; takenOn: string } | null;
    const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value || 'Not recorded' } });
    const yesNo = (selected: unknown) => [
      { value: 'yes', text: 'Yes', checked: selected === 'yes' },
      { value: 'no', text: 'No', checked: selected === 'no' },
    ];
    const stored = (key: string, fallback: string | null) => (typeof values[key] === 'string' ? String(values[key]) : (fallback ?? ''));
    return reply.status(status).render('home-education/consent.njk', {
      pageTitle: `Consent to withdraw: ${view.child.firstName} ${view.child.lastName}`,
      flash: (request.query as { done?: string } | undefined)?.done,
      view,
      statusLabel: CONSENT_STATUS_LABELS[r.status as ConsentStatus],
      rows: [
        row('School', `${view.school.name} (URN ${view.school.urn})`),
        row('Requested', formatLongDate(r.requestedOn)),
        row('Why consent is needed', (r.grounds as string[]).map((g) => CONSENT_GROUND_LABELS[g] ?? g).join('; ')),
        row('Parents and carers', view.parents.map((p) => `${p.name}${p.parentalResponsibility ? ' (parental responsibility)' : ''}`).join(', ')),
        ...(view.deletionReturn ? [row('Proposed date of deletion', formatLongDate(view.deletionReturn.deletionDate)), row('School’s documented safeguarding concerns', view.deletionReturn.safeguardingConcerns ? `Yes: ${view.deletionReturn.concernsDetail ?? ''}` : 'No')] : []),
        ...(snapshot
          ? [row('Child protection status when consideration began', `${{ none: 'None', 's47-enquiry': 'Section 47 enquiries', 'cp-plan': 'Child protection plan' }[snapshot.protectionStatus] ?? snapshot.protectionStatus}; looked after: ${snapshot.lookedAfter ? 'yes' : 'no'}; child in need: ${snapshot.childInNeed ? 'yes' : 'no'} (taken from the record on ${formatLongDate(snapshot.takenOn)})`)]
          : []),
        ...(r.decidedOn ? [row('Decision', `${CONSENT_STATUS_LABELS[r.status as ConsentStatus]} on ${formatLongDate(r.decidedOn)} by ${view.decidedByName ?? ''}`), row('Reasons', r.decisionReasons ?? '')] : []),
      ],
      views: {
        parentViews: stored('parentViews', r.parentViews),
        childViews: stored('childViews', r.childViews),
        schoolView: stored('schoolView', r.schoolView),
        bestInterests: stored('bestInterests', r.bestInterests),
        inBestInterests: yesNo(typeof values['schoolAttendanceInBestInterests'] === 'string' ? values['schoolAttendanceInBestInterests'] : r.schoolAttendanceInBestInterests === null ? '' : r.schoolAttendanceInBestInterests ? 'yes' : 'no'),
      },
      decisionItems: [
        { value: 'grant', text: 'Give consent: the school may take the child off roll', checked: values['decision'] === 'grant' },
        { value: 'refuse', text: 'Refuse consent: the child stays on the school’s roll', checked: values['decision'] === 'refuse' },
      ],
      reasons: stored('reasons', null),
      errors,
    });
  }

  const consentPost = (slug: string, submit: (ctx: UseCaseContext, id: string, input: Record<string, unknown>) => Promise<unknown>, done: string) =>
    app.post<{ Params: { requestId: string } }>(`/home-education/consent/:requestId/${slug}`, async (request, reply) => {
      const body = bodyOf(request.body);
      const input = Object.fromEntries(Object.entries(body).filter(([k]) => k !== '_csrf'));
      try {
        await submit(request.context(), request.params.requestId, input);
        return reply.redirect(`${paths.homeEducation.consent(request.params.requestId)}?done=${encodeURIComponent(done)}`, 303);
      } catch (error) {
        const stale = error instanceof DomainError && error.code === 'stale-version';
        if (!isValidationError(error) && !stale) throw error;
        const errors = stale ? { list: [{ text: error.message, href: '#main-content' }], fields: {} } : formErrors(error, { schoolAttendanceInBestInterests: 'schoolAttendanceInBestInterests', decision: 'decision' });
        return renderConsent(request, reply, errors, input, stale ? 409 : 400);
      }
    });
  consentPost('start', (ctx, id, input) => services.startConsentConsideration(ctx, id, input), 'Consideration started');
  consentPost('views', (ctx, id, input) => services.recordConsentViews(ctx, id, input), 'Views and best-interests analysis saved');
  consentPost('decision', (ctx, id, input) => services.decideConsent(ctx, id, input), 'Decision recorded; the parents and the school have been written to');
}

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
