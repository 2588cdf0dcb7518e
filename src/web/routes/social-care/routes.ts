import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services.ts';
import type { UseCaseContext } from '../../../domain/auth/actor.ts';
import { DomainError } from '../../../domain/errors.ts';
import { formatLongDate } from '../../../domain/calendar/index.ts';
import { CLOSURE_REASONS, REFERRAL_SOURCES, SOCIAL_CARE_STATUS_LABELS, type SocialCareEvent, type SocialCareStatus } from '../../../domain/social-care/lifecycle.ts';
import { AGENCIES, ASSESSMENT_OUTCOMES, CONCERN_KINDS, CONTACT_METHODS, CP_CATEGORIES, DECISIONS, PRIMARY_NEEDS, S17_STEPS } from '../../../domain/social-care/use-cases.ts';
import { bodyOf, formErrors, isValidationError, text, type FormErrors } from '../../forms.ts';
import { paths } from '../../paths.ts';
import { presentField, readFieldInput, type Field } from '../../step-forms.ts';
import { familyCell, presentFamilyForOfficer, viewsForStep } from '../family/social-care/officer.ts';

type View = Awaited<ReturnType<Services['viewSocialCareEpisode']>>;

interface Step {
  slug: string;
  title: string;
  submitText: string;
  intro?: (view: View) => string;
  /** When the step is offered on the episode page. */
  offered: (view: View) => boolean;
  fields: (view: View) => Field[];
  submit: (services: Services, ctx: UseCaseContext, episodeId: string, input: Record<string, unknown>) => Promise<unknown>;
  done: string;
}

const open = (view: View) => view.episode.closedOn === null;
const can = (view: View, ...events: SocialCareEvent[]) => events.some((e) => view.availableEvents.includes(e));

const STEPS: Step[] = [
  {
    slug: 'contact',
    title: 'Record contact with the family',
    submitText: 'Save contact',
    intro: () => 'Contact at this stage is under section 17 of the Children Act 1989: it is voluntary. A home visit needs the parents’ consent; if they decline, record their reasons.',
    offered: open,
    fields: () => [
      { type: 'date', name: 'contactedOn', label: 'Date of contact' },
      { type: 'radios', name: 'method', label: 'How was the family contacted?', options: CONTACT_METHODS },
      { type: 'radios', name: 'visitConsent', label: 'For a visit: did the parents consent?', options: { given: 'Yes, they consented', declined: 'No, they declined' } },
      { type: 'radios', name: 'consentHow', label: 'How was consent given?', options: { 'in-writing': 'In writing', verbally: 'Verbally' }, inline: true },
      { type: 'textarea', name: 'declineReasons', label: 'The family’s reasons for declining (if they declined)' },
      { type: 'textarea', name: 'summary', label: 'Summary of the contact' },
      { type: 'textarea', name: 'parentViews', label: 'The parent’s views' },
      { type: 'textarea', name: 'childViews', label: 'The child’s views' },
      { type: 'radios', name: 'childSeenAlone', label: 'Was the child seen alone?', options: { yes: 'Yes', no: 'No', 'not-applicable': 'Not applicable' }, inline: true },
      { type: 'textarea', name: 'communicationNeeds', label: 'The child’s communication needs', hint: 'For example place, time, activities, a video call or email' },
      { type: 'text', name: 'supportivePerson', label: 'Supportive person present (optional)' },
    ],
    submit: (s, ctx, id, input) => s.recordSocialCareFamilyContact(ctx, id, input),
    done: 'Contact recorded',
  },
  {
    slug: 'information-request',
    title: 'Ask another agency for information',
    submitText: 'Send the request',
    intro: () => 'Schools and health visitors see the request in Cairn and answer it there. For a GP practice, the police or another agency, ask by the usual secure route and record their answer here. Share only what is necessary.',
    offered: open,
    fields: () => [
      { type: 'radios', name: 'agency', label: 'Agency', options: AGENCIES },
      { type: 'text', name: 'schoolUrn', label: 'School URN (for a school)', hint: '6 digits, like 999101' },
      { type: 'textarea', name: 'question', label: 'What are you asking?' },
    ],
    submit: (s, ctx, id, input) => s.sendInformationRequest(ctx, id, input),
    done: 'Information request sent',
  },
  {
    slug: 'decision',
    title: 'Decide what happens to the referral',
    submitText: 'Record the decision',
    intro: (view) =>
      view.episode.homeEducationOnly
        ? 'The only concern raised is that the child is home educated. Home education is not in itself a safeguarding concern: record why the referral proceeds, or close it.'
        : `The decision is due by ${formatLongDate(view.episode.decisionDueOn)}.`,
    offered: (view) => can(view, 'decide-nfa'),
    fields: () => [
      { type: 'radios', name: 'decision', label: 'Decision', options: DECISIONS },
      { type: 'textarea', name: 'reasons', label: 'Reasons', hint: 'These are given to the family' },
      { type: 'select', name: 'primaryNeedCode', label: 'Primary need', options: { '': 'Select the primary need', ...PRIMARY_NEEDS } },
      { type: 'textarea', name: 'proceedReason', label: 'Why the referral proceeds (if the only concern is home education)' },
    ],
    submit: (s, ctx, id, input) => s.decideSocialCareReferral(ctx, id, input),
    done: 'Decision recorded',
  },
  {
    slug: 'consent',
    title: 'Record the parents’ consent',
    submitText: 'Save',
    intro: () => 'Section 17 help is voluntary: the parents may consent, decline or withdraw consent. If the team believes declining leads to a safeguarding concern and escalates, the family is told in writing.',
    offered: (view) => open(view) && ['initial-enquiries', 'early-help', 'assessment', 'cin-plan'].includes(view.episode.status),
    fields: () => [
      { type: 'radios', name: 'step', label: 'Consent for', options: S17_STEPS },
      { type: 'radios', name: 'consent', label: 'The parents', options: { given: 'Consented', declined: 'Declined', withdrawn: 'Withdrew consent' } },
      { type: 'radios', name: 'how', label: 'How?', options: { 'in-writing': 'In writing', verbally: 'Verbally' }, inline: true },
      { type: 'date', name: 'recordedOn', label: 'Date' },
      { type: 'textarea', name: 'reasons', label: 'The family’s reasons (if they declined or withdrew)' },
      { type: 'radios', name: 'escalate', label: 'Does declining lead to a safeguarding concern, so the team escalates to a strategy discussion?', options: { no: 'No', yes: 'Yes: escalate and write to the family' }, inline: true },
      { type: 'textarea', name: 'escalationReasons', label: 'Why (if escalating)', hint: 'This is given to the family in the letter' },
    ],
    submit: (s, ctx, id, input) => s.recordS17Consent(ctx, id, input),
    done: 'Consent recorded',
  },
  {
    slug: 'assessment',
    title: 'Complete the assessment',
    submitText: 'Complete the assessment',
    intro: (view) => (view.episode.assessmentDueOn ? `The assessment is due by ${formatLongDate(view.episode.assessmentDueOn)}.` : ''),
    offered: (view) => can(view, 'complete-assessment-nfa'),
    fields: () => [
      { type: 'date', name: 'completedOn', label: 'Date completed' },
      { type: 'textarea', name: 'summary', label: 'What the assessment found' },
      { type: 'textarea', name: 'educationSection', label: 'Education', hint: 'Include education however it is provided, including where it is going well' },
      { type: 'text', name: 'factors', label: 'Factors identified (optional)' },
      { type: 'radios', name: 'disabledChildNeeds', label: 'Is this a disabled child’s needs assessment under section 17?', options: { no: 'No', yes: 'Yes' }, inline: true },
      { type: 'textarea', name: 'servicesOffered', label: 'Services offered (optional)', hint: 'For example short breaks, respite, support for siblings, a personal assistant' },
      ...VIEWS_FIELDS,
      { type: 'radios', name: 'outcome', label: 'Outcome', options: ASSESSMENT_OUTCOMES },
    ],
    submit: (s, ctx, id, input) => s.completeAssessment(ctx, id, input),
    done: 'Assessment completed',
  },
  {
    slug: 'authorise-assessment',
    title: 'Authorise the assessment',
    submitText: 'Authorise',
    intro: () => 'For team managers: authorising records the date the census asks for.',
    offered: (view) => view.steps.some((st) => st.kind === 'assessment' && !(st.details as { authorisedOn?: string | null }).authorisedOn),
    fields: () => [],
    submit: (s, ctx, id) => s.authoriseAssessment(ctx, id),
    done: 'Assessment authorised',
  },
  {
    slug: 'share-assessment',
    title: 'Send the parents a copy of the assessment',
    submitText: 'Send the copy',
    offered: (view) => view.steps.some((st) => st.kind === 'assessment' && !(st.details as { sharedOn?: string | null }).sharedOn),
    fields: () => [],
    submit: (s, ctx, id) => s.shareAssessment(ctx, id),
    done: 'A copy of the assessment was sent to the parents',
  },
  {
    slug: 'assessment-comments',
    title: 'Record the parents’ comments on the assessment',
    submitText: 'Save comments',
    offered: (view) => view.steps.some((st) => st.kind === 'assessment' && Boolean((st.details as { sharedOn?: string | null }).sharedOn)),
    fields: () => [{ type: 'textarea', name: 'comments', label: 'The parents’ comments' }],
    submit: (s, ctx, id, input) => s.recordAssessmentComments(ctx, id, input),
    done: 'Comments recorded',
  },
  {
    slug: 'strategy',
    title: 'Record the strategy discussion',
    submitText: 'Save',
    offered: (view) => can(view, 'start-s47'),
    fields: () => [
      { type: 'date', name: 'heldOn', label: 'Date held' },
      { type: 'textarea', name: 'attendees', label: 'Who took part' },
      { type: 'radios', name: 'outcome', label: 'Outcome', options: { s47: 'Start a section 47 enquiry', 'no-s47': 'No section 47 enquiry: child and family assessment' } },
      { type: 'textarea', name: 'reasons', label: 'Reasons' },
    ],
    submit: (s, ctx, id, input) => s.recordStrategyDiscussion(ctx, id, input),
    done: 'Strategy discussion recorded',
  },
  {
    slug: 'conference',
    title: 'Record the initial child protection conference',
    submitText: 'Save',
    intro: (view) => {
      const s47 = view.steps.find((st) => st.kind === 's47-enquiry' && st.status === 'open');
      return s47?.dueOn ? `The conference is due by ${formatLongDate(s47.dueOn)} (15 working days after the strategy discussion).` : '';
    },
    offered: (view) => can(view, 'icpc-plan'),
    fields: () => [
      { type: 'date', name: 'heldOn', label: 'Date held' },
      { type: 'text', name: 'chair', label: 'Conference chair' },
      { type: 'radios', name: 'outcome', label: 'Outcome', options: { plan: 'Child protection plan', 'no-plan': 'No plan: a Child in Need plan' } },
      { type: 'select', name: 'category', label: 'Category of plan', options: { '': 'Select the category', ...CP_CATEGORIES } },
      { type: 'textarea', name: 'educationSection', label: 'Education section of the plan' },
      { type: 'radios', name: 'supportivePersonPermission', label: 'Permission for a supportive person to attend', options: { given: 'Given', refused: 'Refused', 'not-asked': 'Not asked' }, inline: true },
      ...VIEWS_FIELDS,
    ],
    submit: (s, ctx, id, input) => s.recordInitialConference(ctx, id, input),
    done: 'Conference recorded',
  },
  {
    slug: 'review',
    title: 'Record a plan review',
    submitText: 'Save review',
    intro: (view) => {
      const plan = view.steps.find((st) => (st.kind === 'cp-plan' || st.kind === 'cin-plan') && st.status === 'open');
      const agenda = ((plan?.details ?? {}) as { agenda?: string[] }).agenda ?? [];
      return `${plan?.dueOn ? `The review is due by ${formatLongDate(plan.dueOn)}.` : ''}${agenda.length ? ` On the agenda: ${agenda.join('; ')}.` : ''}`;
    },
    offered: (view) => can(view, 'review-cp-plan', 'review-cin-plan'),
    fields: (view) => [
      { type: 'date', name: 'heldOn', label: 'Date held' },
      { type: 'textarea', name: 'summary', label: 'What the review found' },
      ...VIEWS_FIELDS,
      {
        type: 'radios',
        name: 'outcome',
        label: 'Outcome',
        options: view.episode.status === 'cp-plan' ? { continue: 'The plan continues', 'step-down-cin': 'Step down to a Child in Need plan', 'step-down-early-help': 'Step down to early help', close: 'Close' } : { continue: 'The plan continues', 'step-down-early-help': 'Step down to early help', close: 'Close' },
      },
    ],
    submit: (s, ctx, id, input) => s.recordPlanReview(ctx, id, input),
    done: 'Review recorded',
  },
  {
    slug: 'direction',
    title: 'Add a direction for the home education officer',
    submitText: 'Add the direction',
    intro: () => 'The direction appears in the home education officer’s worklist until they record it done.',
    offered: (view) => view.episode.status === 'cin-plan' || view.episode.status === 'cp-plan',
    fields: () => [
      { type: 'textarea', name: 'text', label: 'Direction', hint: 'For example, “EHE officer to visit termly”' },
      { type: 'date', name: 'dueOn', label: 'Due by' },
    ],
    submit: (s, ctx, id, input) => s.addPlanDirection(ctx, id, input),
    done: 'Direction added',
  },
  {
    slug: 'agency-answer',
    title: 'Record an agency’s answer',
    submitText: 'Save answer',
    offered: (view) => view.requests.some((r) => r.status === 'open' && !['school', 'health-visitor'].includes(r.agency)),
    fields: (view) => [
      { type: 'radios', name: 'requestId', label: 'Which request?', options: Object.fromEntries(view.requests.filter((r) => r.status === 'open' && !['school', 'health-visitor'].includes(r.agency)).map((r) => [r.id, `${AGENCIES[r.agency as keyof typeof AGENCIES] ?? r.agency}: ${r.question}`])) },
      { type: 'textarea', name: 'answer', label: 'Their answer' },
    ],
    submit: async (s, ctx, _id, input) => {
      if (!input['requestId']) throw new DomainError('validation', 'There is a problem', { requestId: 'Select the request' });
      return s.answerInformationRequest(ctx, String(input['requestId']), { answer: input['answer'] });
    },
    done: 'Answer recorded',
  },
  {
    slug: 'concern',
    title: 'Record an escalation or complaint from the family',
    submitText: 'Save',
    intro: () => 'The family can ask a team manager to look again, and can use the complaints procedure. Record it here; a team manager records the outcome.',
    offered: () => true,
    fields: () => [
      { type: 'radios', name: 'kind', label: 'What is it?', options: CONCERN_KINDS },
      { type: 'date', name: 'receivedOn', label: 'Date received' },
      { type: 'text', name: 'from', label: 'Who raised it?' },
      { type: 'textarea', name: 'summary', label: 'What the family raised', hint: 'In their words where possible' },
    ],
    submit: (s, ctx, id, input) => s.recordFamilyConcern(ctx, id, input),
    done: 'Recorded; a team manager will record the outcome',
  },
  {
    slug: 'concern-outcome',
    title: 'Record the outcome of an escalation or complaint',
    submitText: 'Save outcome',
    offered: (view) => view.steps.some((st) => (st.kind === 'escalation' || st.kind === 'complaint') && st.status === 'open'),
    fields: (view) => [
      {
        type: 'radios',
        name: 'stepId',
        label: 'Which one?',
        options: Object.fromEntries(view.steps.filter((st) => (st.kind === 'escalation' || st.kind === 'complaint') && st.status === 'open').map((st) => [st.id, `${CONCERN_KINDS[st.kind as keyof typeof CONCERN_KINDS]}, ${formatLongDate(st.startedOn)}`])),
      },
      { type: 'textarea', name: 'outcome', label: 'Outcome', hint: 'Tell the family the outcome in writing' },
    ],
    submit: (s, ctx, id, input) => s.recordConcernOutcome(ctx, id, input),
    done: 'Outcome recorded',
  },
  {
    slug: 'close',
    title: 'Close the case',
    submitText: 'Close the case',
    offered: (view) => open(view) && !can(view, 'decide-nfa'),
    fields: () => [
      { type: 'select', name: 'closureReason', label: 'Reason for closure', options: { '': 'Select the reason', ...CLOSURE_REASONS } },
      { type: 'textarea', name: 'reasons', label: 'Why the case is closing' },
    ],
    submit: (s, ctx, id, input) => s.closeSocialCareEpisode(ctx, id, input),
    done: 'Case closed',
  },
  {
    slug: 'tell-family',
    title: 'Tell the family the case is closed',
    submitText: 'Save',
    intro: () => 'Closure always reaches the family: a letter is sent now, or record the phone call.',
    offered: (view) => view.episode.closedOn !== null && view.episode.familyToldOn === null,
    fields: () => [
      { type: 'radios', name: 'method', label: 'How?', options: { letter: 'Send a letter now', phone: 'I told them by phone' } },
      { type: 'textarea', name: 'summary', label: 'What the family was told (for a phone call)' },
    ],
    submit: (s, ctx, id, input) => s.recordClosureCommunication(ctx, id, input),
    done: 'The family has been told',
  },
  {
    slug: 'written-closure',
    title: 'The family asked for written confirmation of closure',
    submitText: 'Send the letter',
    intro: () => 'A letter confirming that the case is closed is sent to each parent with parental responsibility.',
    offered: (view) => view.episode.closedOn !== null,
    fields: () => [],
    submit: (s, ctx, id, input) => s.requestWrittenClosure(ctx, id, input),
    done: 'Written confirmation sent',
  },
];

const VIEWS_FIELDS: Field[] = [
  { type: 'textarea', name: 'parentViews', label: 'The parent’s views' },
  { type: 'textarea', name: 'childViews', label: 'The child’s views', hint: 'In the child’s words where possible, or why they could not be given' },
  { type: 'radios', name: 'childSeenAlone', label: 'Was the child seen alone?', options: { yes: 'Yes', no: 'No' }, inline: true },
  { type: 'textarea', name: 'communicationNeeds', label: 'The child’s communication needs (optional)', hint: 'Place, time, activities, a video call or email' },
  { type: 'text', name: 'supportivePerson', label: 'Supportive person who attended (optional)' },
  { type: 'text', name: 'advocacyReferral', label: 'Advocacy referral, if made (optional)' },
];

export const STEP_LABELS: Record<string, string> = {
  escalation: 'Escalation to a team manager',
  complaint: 'Complaint',
  consent: 'Parents’ consent (section 17)',
  assessment: 'Child and family assessment',
  'strategy-discussion': 'Strategy discussion',
  's47-enquiry': 'Section 47 enquiry',
  icpc: 'Initial child protection conference',
  'cp-plan': 'Child protection plan',
  'cin-plan': 'Child in Need plan',
  'cp-review': 'Child protection review',
  'cin-review': 'Child in Need review',
  direction: 'Direction for the home education officer',
  'family-contact': 'Contact with the family',
  visit: 'Home visit (with consent)',
  'visit-declined': 'Home visit declined',
  decision: 'Decision',
  closure: 'Closure',
  'family-told-of-closure': 'Family told of closure',
};

const REFERRAL_FIELDS: Field[] = [
  { type: 'date', name: 'referralDate', label: 'Date of the referral' },
  { type: 'radios', name: 'referralSource', label: 'Where did the referral come from?', options: REFERRAL_SOURCES },
  { type: 'text', name: 'referrerName', label: 'Who made the referral?' },
  { type: 'textarea', name: 'concerns', label: 'The concerns, in the referrer’s words' },
  { type: 'radios', name: 'homeEducationOnly', label: 'Is the only concern raised that the child is home educated?', options: { yes: 'Yes', no: 'No' }, inline: true },
  { type: 'radios', name: 'priorConcernDocumented', label: 'Had the referrer documented any concern before?', hint: 'For a school, Cairn takes this from its deletion return when there is one', options: { yes: 'Yes', no: 'No', 'not-known': 'Not known' }, inline: true },
  { type: 'textarea', name: 'priorConcernDetail', label: 'What was documented, and when (if known)' },
];

/** Children's social care pages: the intake worklist, a referral, an episode and its steps; agencies' information requests. */
export function registerSocialCareRoutes(app: FastifyInstance, services: Services) {
  app.get<{ Querystring: { done?: string } }>(paths.socialCare.work, async (request, reply) => {
    const work = await services.listMashWork(request.context());
    return reply.render('social-care/work.njk', {
      pageTitle: 'Children’s social care',
      flash: request.query.done,
      awaitingDecision: work.awaitingDecision.map((w) => ({ href: paths.socialCare.episode(w.episodeId), child: w.childName, due: formatLongDate(w.dueOn), overdue: w.overdue, homeEducationOnly: w.homeEducationOnly })),
      familyNotTold: work.familyNotTold.map((w) => ({ href: paths.socialCare.episode(w.episodeId), child: w.childName, due: formatLongDate(w.dueOn) })),
      dueSoon: work.dueSoon.map((w) => ({ href: paths.socialCare.episode(w.episodeId), child: w.childName, what: w.what, due: formatLongDate(w.dueOn), overdue: w.overdue })),
      overdueRequests: work.overdueRequests.map((w) => ({ href: paths.socialCare.episode(w.episodeId), child: w.childName, agency: AGENCIES[w.agency as keyof typeof AGENCIES] ?? w.agency, due: formatLongDate(w.dueOn) })),
    });
  });

  const renderReferral = async (request: FastifyRequest<{ Params: { childId: string } }>, reply: FastifyReply, values: Record<string, unknown>, errors: FormErrors | null) => {
    const record = await services.viewChildRecord(request.context(), request.params.childId);
    if (!record.allowed.editSocialCare) throw new DomainError('forbidden', 'You do not have access to this.');
    return reply.status(errors ? 400 : 200).render('step-form.njk', {
      pageTitle: 'Record a referral to children’s social care',
      caption: `${record.child.firstName} ${record.child.lastName}`,
      backHref: paths.children.record(record.child.id),
      title: 'Record a referral to children’s social care',
      submitText: 'Record the referral',
      intro: 'The decision on what happens next is due within one working day of the referral.',
      fields: REFERRAL_FIELDS.map((f) => presentField(f, values, errors)),
      formAction: paths.socialCare.newReferral(record.child.id),
      errors,
    });
  };
  app.get<{ Params: { childId: string } }>('/social-care/children/:childId/referral', (request, reply) => renderReferral(request, reply, {}, null));
  app.post<{ Params: { childId: string } }>('/social-care/children/:childId/referral', async (request, reply) => {
    const body = bodyOf(request.body);
    try {
      const episode = await services.receiveSocialCareReferral(request.context(), { childId: request.params.childId, ...readFieldInput(REFERRAL_FIELDS, body) });
      return reply.redirect(`${paths.socialCare.episode(episode.id)}?done=${encodeURIComponent('Referral recorded')}`, 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      const ids = Object.fromEntries(REFERRAL_FIELDS.map((f) => [f.name, f.type === 'date' ? `${f.name}-day` : f.name]));
      return renderReferral(request, reply, Object.fromEntries(Object.entries(body).filter(([k]) => k !== '_csrf')), formErrors(error, ids));
    }
  });

  app.get<{ Params: { episodeId: string }; Querystring: { done?: string } }>('/social-care/episodes/:episodeId', async (request, reply) => {
    const view = await services.viewSocialCareEpisode(request.context(), request.params.episodeId);
    const contactPreferences = await services.viewContactPreferencesForChild(request.context(), view.child.id);
    const e = view.episode;
    const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value || 'Not recorded' } });
    const steps = STEPS.filter((s) => s.offered(view));
    return reply.render('social-care/episode.njk', {
      pageTitle: `Children’s social care: ${view.child.firstName} ${view.child.lastName}`,
      flash: request.query.done,
      view,
      ...presentFamilyForOfficer(view),
      statusLabel: SOCIAL_CARE_STATUS_LABELS[e.status as SocialCareStatus] ?? e.status,
      contactPreferences,
      decisionOverdue: e.status === 'initial-enquiries' && e.decisionDueOn < view.today,
      familyNotToldOverdue: e.closedOn !== null && e.familyToldOn === null && e.closureNoticeDueOn !== null && e.closureNoticeDueOn < view.today,
      rows: [
        row('Referral date', formatLongDate(e.referralDate)),
        row('Source', `${REFERRAL_SOURCES[e.referralSource as keyof typeof REFERRAL_SOURCES] ?? e.referralSource}: ${e.referrerName}`),
        row('Concerns, in the referrer’s words', e.concerns),
        row('Had the referrer documented a concern before?', `${e.priorConcernDocumented ? 'Yes' : 'No'}${e.priorConcernDetail ? `. ${e.priorConcernDetail}` : ''}`),
        row('Decision due', formatLongDate(e.decisionDueOn)),
        ...(e.decision ? [row('Decision', `${DECISIONS[e.decision as keyof typeof DECISIONS] ?? e.decision}, ${formatLongDate(e.decidedOn!)}`)] : []),
        ...(e.proceedReason ? [row('Why it proceeds', e.proceedReason)] : []),
        ...(e.primaryNeedCode ? [row('Primary need', PRIMARY_NEEDS[e.primaryNeedCode as keyof typeof PRIMARY_NEEDS] ?? e.primaryNeedCode)] : []),
        ...(e.closedOn ? [row('Closed', `${formatLongDate(e.closedOn)}: ${CLOSURE_REASONS[e.closureReason as keyof typeof CLOSURE_REASONS] ?? e.closureReason ?? ''}`)] : []),
        ...(e.closedOn ? [row('Family told', e.familyToldOn ? `${formatLongDate(e.familyToldOn)} by ${e.familyToldHow === 'phone' ? 'phone' : 'letter'}` : `Not yet; due by ${formatLongDate(e.closureNoticeDueOn!)}`)] : []),
      ],
      actions: view.allowed.act ? steps.map((s, i) => ({ text: s.title, href: paths.socialCare.step(e.id, s.slug), classes: i === 0 ? '' : 'govuk-button--secondary' })) : [],
      stepRows: view.steps.map((s) => {
        const d = s.details as Record<string, unknown>;
        const detail = [
          d['consent'] ? `${String(d['step'])}: ${String(d['consent'])} (${String(d['how'])})` : '',
          d['summary'],
          d['text'],
          d['category'] ? `Category: ${String(d['category'])}` : '',
          s.dueOn && s.status === 'open' ? `Due ${formatLongDate(s.dueOn)}` : '',
          d['declineReasons'] ? `Reasons for declining: ${String(d['declineReasons'])}` : '',
          d['parentViews'] ? `Parent’s views: ${String(d['parentViews'])}` : '',
          d['childViews'] ? `Child’s views: ${String(d['childViews'])}` : '',
          d['parentComments'] ? `Parents’ comments: ${String(d['parentComments'])}` : '',
          d['from'] ? `From ${String(d['from'])}` : '',
          d['outcome'] && (s.kind === 'escalation' || s.kind === 'complaint') ? `Outcome: ${String(d['outcome'])}` : '',
          d['reasons'],
          d['childComments'] ? `Child’s comments: ${String(d['childComments'])}` : '',
          viewsForStep(view, s.id),
        ]
          .filter(Boolean)
          .map(String)
          .join(' · ');
        return [{ text: formatLongDate(s.startedOn) }, { text: STEP_LABELS[s.kind] ?? s.kind }, { text: detail }, { text: s.recordedByName ?? '' }, familyCell(view, s)];
      }),
      requestRows: view.requests.map((r) => [
        { text: AGENCIES[r.agency as keyof typeof AGENCIES] ?? r.agency },
        { text: r.question },
        { text: formatLongDate(r.dueOn) },
        { text: r.answer ?? (r.dueOn < view.today ? 'Overdue: no answer yet' : 'No answer yet') },
      ]),
      letterRows: view.letters.map((l) => [{ html: `<a class="govuk-link" href="${paths.letters.view(l.id)}">${escape(l.subject)}</a>` }, { text: l.recipientName }, { text: l.channel === 'email' ? 'Email' : 'Post' }, { text: l.status }]),
    });
  });

  for (const step of STEPS) {
    const url = `/social-care/episodes/:episodeId/${step.slug}`;
    const render = async (request: FastifyRequest<{ Params: { episodeId: string } }>, reply: FastifyReply, values: Record<string, unknown>, errors: FormErrors | null, status = 200) => {
      const view = await services.viewSocialCareEpisode(request.context(), request.params.episodeId);
      if (!step.offered(view) && !errors) throw new DomainError('validation', `You cannot do this now: the case is at “${SOCIAL_CARE_STATUS_LABELS[view.episode.status as SocialCareStatus]}”.`);
      return reply.status(status).render('step-form.njk', {
        pageTitle: step.title,
        caption: `${view.child.firstName} ${view.child.lastName}`,
        backHref: paths.socialCare.episode(view.episode.id),
        title: step.title,
        submitText: step.submitText,
        intro: step.intro?.(view) ?? '',
        fields: step.fields(view).map((f) => presentField(f, values, errors)),
        version: view.episode.version,
        formAction: paths.socialCare.step(view.episode.id, step.slug),
        errors,
      });
    };
    app.get<{ Params: { episodeId: string } }>(url, (request, reply) => render(request, reply, {}, null));
    app.post<{ Params: { episodeId: string } }>(url, async (request, reply) => {
      const ctx = request.context();
      const body = bodyOf(request.body);
      const view = await services.viewSocialCareEpisode(ctx, request.params.episodeId);
      const fields = step.fields(view);
      try {
        await step.submit(services, ctx, request.params.episodeId, { version: text(body, 'version'), ...readFieldInput(fields, body) });
        return reply.redirect(`${paths.socialCare.episode(request.params.episodeId)}?done=${encodeURIComponent(step.done)}`, 303);
      } catch (error) {
        const stale = error instanceof DomainError && error.code === 'stale-version';
        if (!isValidationError(error) && !stale) throw error;
        const ids = Object.fromEntries(fields.map((f) => [f.name, f.type === 'date' ? `${f.name}-day` : f.name]));
        const errors = stale ? { list: [{ text: error.message, href: '#main-content' }], fields: {} } : formErrors(error, ids);
        return render(request, reply, Object.fromEntries(Object.entries(body).filter(([k]) => k !== '_csrf')), errors, stale ? 409 : 400);
      }
    });
  }

  app.get<{ Querystring: { done?: string } }>(paths.informationRequests.list, async (request, reply) => {
    const requests = await services.listMyInformationRequests(request.context());
    return reply.render('social-care/requests.njk', {
      pageTitle: 'Information requests',
      flash: request.query.done,
      requests: requests.map((r) => ({ id: r.id, child: r.childName, born: formatLongDate(r.childDateOfBirth), question: r.question, due: formatLongDate(r.dueOn), answered: r.status === 'answered', answer: r.answer, href: paths.informationRequests.answer(r.id) })),
    });
  });

  app.post<{ Params: { requestId: string } }>('/information-requests/:requestId/answer', async (request, reply) => {
    const body = bodyOf(request.body);
    try {
      await services.answerInformationRequest(request.context(), request.params.requestId, { answer: text(body, 'answer') });
      return reply.redirect(`${paths.informationRequests.list}?done=${encodeURIComponent('Answer sent')}`, 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      const requests = await services.listMyInformationRequests(request.context());
      return reply.status(400).render('social-care/requests.njk', {
        pageTitle: 'Information requests',
        errors: { list: [{ text: Object.values(error.fields)[0] ?? error.message, href: `#answer-${request.params.requestId}` }], fields: {} },
        failedId: request.params.requestId,
        requests: requests.map((r) => ({ id: r.id, child: r.childName, born: formatLongDate(r.childDateOfBirth), question: r.question, due: formatLongDate(r.dueOn), answered: r.status === 'answered', answer: r.answer, href: paths.informationRequests.answer(r.id) })),
      });
    }
  });
}

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
