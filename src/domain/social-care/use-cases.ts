import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import type { RunInTransaction, UnitOfWork } from '../../db/unit-of-work.ts';
import { children, deletionReturns, episodes, familySubmissions, informationRequests, letters, schools, socialCareEpisodes, socialCareSteps, users } from '../../db/schema/index.ts';
import { familySubmissionsForEpisode, type EpisodeFamilySubmission } from '../family/social-care-officer.ts';
import { loadCouncilSettings } from '../../db/repositories/councils.ts';
import { loadWorkingDayCalendar } from '../../db/repositories/calendar.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { SOCIAL_CARE_ROLES } from '../auth/roles.ts';
import { formatLongDate, todayIn, type IsoDate } from '../calendar/index.ts';
import { isoDate } from '../children/schemas.ts';
import { DomainError, forbidden, notFound, staleVersion } from '../errors.ts';
import { queueLettersToParents } from '../letters/queue.ts';
import { availableEvents, nextStatus } from '../register/lifecycles.ts';
import { parseInput } from '../validation.ts';
import { assessmentDueOn, closureNoticeDueOn, icpcDueOn, informationRequestDueOn, nextCinReviewDueOn, nextCpReviewDueOn, referralDecisionDueOn } from './clocks.ts';
import { CLOSURE_REASONS, REFERRAL_SOURCES, SOCIAL_CARE_STATUS_LABELS, SOCIAL_CARE_TRANSITIONS, type SocialCareEvent, type SocialCareStatus } from './lifecycle.ts';

/**
 * Children's social care, from the intake team's side: a referral with its source, the concerns in
 * the referrer's words and whether they had documented any concern before; initial enquiries
 * (contact with the family — a visit under section 17 only with the parents' consent — and
 * information requests to other agencies, answered in Cairn); the decision within one working day;
 * and closure, which always reaches the family.
 */

export interface SocialCareDeps {
  runInTransaction: RunInTransaction;
  baseUrl?: string | undefined;
}

type EpisodeRow = typeof socialCareEpisodes.$inferSelect;

const UUID = z.uuid();
const version = z.coerce.number({ error: 'Reload the page and try again' }).int().min(1);
const required = (message: string, max = 10000) => z.string({ error: message }).trim().min(1, message).max(max, `Enter ${max.toLocaleString('en-GB')} characters or fewer`);
const optional = (max = 10000) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), z.string().max(max, `Enter ${max.toLocaleString('en-GB')} characters or fewer`).optional());
const yesNo = (message: string) => z.enum(['yes', 'no'], { error: message }).transform((v) => v === 'yes');

export const referralSchema = z.object({
  childId: z.uuid({ error: 'Select the child' }),
  referralDate: isoDate,
  referralSource: z.enum(Object.keys(REFERRAL_SOURCES) as [keyof typeof REFERRAL_SOURCES, ...(keyof typeof REFERRAL_SOURCES)[]], { error: 'Select where the referral came from' }),
  referrerName: required('Enter who made the referral', 200),
  concerns: required('Enter the concerns in the referrer’s words'),
  homeEducationOnly: yesNo('Select whether the only concern raised is that the child is home educated'),
  priorConcernDocumented: z.enum(['yes', 'no', 'not-known'], { error: 'Select whether the referrer had documented any concern before' }),
  priorConcernDetail: optional(),
});

export const CONTACT_METHODS = { phone: 'Telephone call', letter: 'Letter', visit: 'Home visit' } as const;

export const familyContactSchema = z
  .object({
    contactedOn: isoDate,
    method: z.enum(['phone', 'letter', 'visit'], { error: 'Select how the family was contacted' }),
    /** Section 17: a visit needs the parents' consent. */
    visitConsent: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['given', 'declined']).optional()),
    consentHow: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['in-writing', 'verbally']).optional()),
    declineReasons: optional(),
    summary: required('Enter a summary of the contact'),
    parentViews: optional(),
    childViews: optional(),
    childSeenAlone: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['yes', 'no', 'not-applicable']).optional()),
    communicationNeeds: optional(),
    supportivePerson: optional(500),
  })
  .superRefine((v, issue) => {
    if (v.method === 'visit' && !v.visitConsent) issue.addIssue({ code: 'custom', path: ['visitConsent'], message: 'A visit under section 17 needs the parents’ consent: record whether they gave it or declined' });
    if (v.method === 'visit' && v.visitConsent === 'given' && !v.consentHow) issue.addIssue({ code: 'custom', path: ['consentHow'], message: 'Select how the parents gave consent' });
    if (v.visitConsent === 'declined' && !v.declineReasons) issue.addIssue({ code: 'custom', path: ['declineReasons'], message: 'Record the family’s reasons for declining, in their words if they gave them' });
  });

export const AGENCIES = { school: 'School', 'health-visitor': 'Health visitor', gp: 'GP practice', police: 'Police', other: 'Another agency' } as const;
/** Agencies whose users answer in Cairn; others are asked by their usual secure route and the answer is recorded here. */
const IN_CAIRN_AGENCIES: readonly string[] = ['school', 'health-visitor'];

export const informationRequestSchema = z
  .object({
    agency: z.enum(['school', 'health-visitor', 'gp', 'police', 'other'], { error: 'Select the agency' }),
    schoolUrn: optional(6),
    question: required('Enter what you are asking the agency'),
  })
  .superRefine((v, issue) => {
    if (v.agency === 'school' && !/^\d{6}$/.test(v.schoolUrn ?? '')) issue.addIssue({ code: 'custom', path: ['schoolUrn'], message: 'Enter the school’s 6-digit URN, like 999101' });
  });

export const answerSchema = z.object({ answer: required('Enter your answer') });

export const DECISIONS = {
  nfa: 'No further action: close the referral',
  signposting: 'Signpost the family to other services and close',
  'early-help': 'Early help',
  assessment: 'Child and family assessment',
  'strategy-discussion': 'Strategy discussion',
} as const;
type Decision = keyof typeof DECISIONS;
const DECISION_EVENTS: Record<Decision, SocialCareEvent> = {
  nfa: 'decide-nfa',
  signposting: 'decide-signposting',
  'early-help': 'decide-early-help',
  assessment: 'decide-assessment',
  'strategy-discussion': 'decide-strategy',
};

export const PRIMARY_NEEDS = {
  N0: 'Not stated',
  N1: 'Abuse or neglect',
  N2: 'Child’s disability or illness',
  N3: 'Parental illness or disability',
  N4: 'Family in acute stress',
  N5: 'Family dysfunction',
  N6: 'Socially unacceptable behaviour',
  N7: 'Low income',
  N8: 'Absent parenting',
  N9: 'Cases other than children in need',
} as const;

export const decisionSchema = z.object({
  version,
  decision: z.enum(Object.keys(DECISIONS) as [Decision, ...Decision[]], { error: 'Select the decision' }),
  reasons: required('Enter the reasons for the decision'),
  primaryNeedCode: z.enum(Object.keys(PRIMARY_NEEDS) as [keyof typeof PRIMARY_NEEDS, ...(keyof typeof PRIMARY_NEEDS)[]], { error: 'Select the primary need' }),
  proceedReason: optional(),
});

export const closureCommunicationSchema = z.object({
  version,
  method: z.enum(['letter', 'phone'], { error: 'Select how the family was told' }),
  summary: optional(),
});

export const closeSchema = z.object({
  version,
  closureReason: z.enum(Object.keys(CLOSURE_REASONS) as [keyof typeof CLOSURE_REASONS, ...(keyof typeof CLOSURE_REASONS)[]], { error: 'Select the reason for closure' }),
  reasons: required('Enter why the case is closing'),
});

const isSocialCare = (ctx: UseCaseContext) => (SOCIAL_CARE_ROLES as readonly string[]).includes(ctx.actor.role);

async function refuse(deps: SocialCareDeps, ctx: UseCaseContext, action: string, id: string | null): Promise<never> {
  await deps.runInTransaction(ctx, async (uow) => uow.audit({ action: `${action}.refused`, recordType: 'social_care_episode', recordId: id && UUID.safeParse(id).success ? id : null, childId: null, details: { role: ctx.actor.role } }));
  throw forbidden();
}

async function load(tx: Tx, id: string): Promise<EpisodeRow> {
  if (!UUID.safeParse(id).success) throw notFound('The social care episode');
  const [row] = await tx.select().from(socialCareEpisodes).where(eq(socialCareEpisodes.id, id));
  if (!row) throw notFound('The social care episode');
  return row;
}

function next(episode: EpisodeRow, event: SocialCareEvent): SocialCareStatus {
  const to = nextStatus(SOCIAL_CARE_TRANSITIONS, episode.status as SocialCareStatus, event);
  if (!to) throw new DomainError('validation', `That step is not possible while the episode is at “${SOCIAL_CARE_STATUS_LABELS[episode.status as SocialCareStatus] ?? episode.status}”.`);
  return to;
}

async function save(tx: Tx, episode: EpisodeRow, expected: number, change: Partial<typeof socialCareEpisodes.$inferInsert>, now: Date): Promise<EpisodeRow> {
  if (episode.version !== expected) throw staleVersion('social care episode');
  const [updated] = await tx
    .update(socialCareEpisodes)
    .set({ ...change, version: expected + 1, updatedAt: now })
    .where(and(eq(socialCareEpisodes.id, episode.id), eq(socialCareEpisodes.version, expected)))
    .returning();
  if (!updated) throw staleVersion('social care episode');
  return updated;
}

function event(uow: UnitOfWork, episode: { id: string; childId: string }, type: string, summary: string) {
  // Social care detail is for social care staff only; others see their own channels.
  uow.event({ type, aggregateType: 'social_care_episode', aggregateId: episode.id, childId: episode.childId, summary, visibility: 'social-care' });
}

async function act<T>(deps: SocialCareDeps, ctx: UseCaseContext, action: string, episodeId: string, work: (uow: UnitOfWork, episode: EpisodeRow, env: { today: IsoDate; calendar: Awaited<ReturnType<typeof loadWorkingDayCalendar>> }) => Promise<T>): Promise<T> {
  if (!isSocialCare(ctx)) return refuse(deps, ctx, action, episodeId);
  return deps.runInTransaction(ctx, async (uow) => {
    const episode = await load(uow.tx, episodeId);
    const result = await work(uow, episode, { today: todayIn(ctx.now), calendar: await loadWorkingDayCalendar(uow.tx) });
    uow.audit({ action, recordType: 'social_care_episode', recordId: episode.id, childId: episode.childId });
    return result;
  });
}

function notFutureNotBefore(field: string, value: IsoDate, today: IsoDate, earliest: IsoDate, earliestMessage: string) {
  if (value > today) throw new DomainError('validation', 'There is a problem', { [field]: 'The date must be today or in the past' });
  if (value < earliest) throw new DomainError('validation', 'There is a problem', { [field]: earliestMessage });
}

/**
 * A contact or referral reaches the intake team. Whether the referrer had documented a concern before
 * is taken from their deletion return when there is one, so the worker sees it without asking.
 */
export async function receiveReferral(deps: SocialCareDeps, ctx: UseCaseContext, input: unknown) {
  if (!isSocialCare(ctx)) return refuse(deps, ctx, 'social-care.referral', null);
  const r = parseInput(referralSchema, input);
  return deps.runInTransaction(ctx, async (uow) => {
    const [child] = await uow.tx.select().from(children).where(eq(children.id, r.childId));
    if (!child) throw new DomainError('validation', 'There is a problem', { childId: 'Select the child' });
    const today = todayIn(ctx.now);
    notFutureNotBefore('referralDate', r.referralDate, today, child.dateOfBirth, 'The referral date must be after the child’s date of birth');
    const calendar = await loadWorkingDayCalendar(uow.tx);
    const [deletion] = await uow.tx.select().from(deletionReturns).where(eq(deletionReturns.childId, child.id)).orderBy(desc(deletionReturns.createdAt)).limit(1);
    const fromReturn = r.referralSource === 'school' && deletion !== undefined;
    const priorConcernDocumented = fromReturn ? deletion.safeguardingConcerns : r.priorConcernDocumented === 'yes';
    const priorConcernDetail = fromReturn
      ? deletion.safeguardingConcerns
        ? `From the school’s deletion return: documented on ${formatLongDate(deletion.concernsDocumentedOn!)}: ${deletion.concernsDetail ?? ''}`
        : 'The school’s deletion return said it had no documented safeguarding concerns.'
      : (r.priorConcernDetail ?? (r.priorConcernDocumented === 'not-known' ? 'Not known' : null));
    const [saved] = await uow.tx
      .insert(socialCareEpisodes)
      .values({
        childId: child.id,
        status: 'initial-enquiries',
        referralDate: r.referralDate,
        referralSource: r.referralSource,
        referrerName: r.referrerName,
        concerns: r.concerns,
        priorConcernDocumented,
        priorConcernDetail,
        homeEducationOnly: r.homeEducationOnly,
        decisionDueOn: referralDecisionDueOn(calendar, r.referralDate),
        allocatedTo: ctx.actor.id,
        createdBy: ctx.actor.id,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    event(uow, saved!, 'social-care.referral-received', `Referral to children’s social care received from ${REFERRAL_SOURCES[r.referralSource].toLowerCase()}`);
    uow.audit({ action: 'social-care.referral', recordType: 'social_care_episode', recordId: saved!.id, childId: child.id, details: { source: r.referralSource, homeEducationOnly: r.homeEducationOnly, priorConcernDocumented } });
    return saved!;
  });
}

/** Contact with the family during initial enquiries: a call, a letter, or a visit with consent (or its decline, with reasons). */
export async function recordFamilyContact(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const c = parseInput(familyContactSchema, input);
  return act(deps, ctx, 'social-care.family-contact', episodeId, async (uow, episode, env) => {
    if (episode.closedOn) throw new DomainError('validation', 'This episode is closed.');
    notFutureNotBefore('contactedOn', c.contactedOn, env.today, episode.referralDate, 'The contact cannot be before the referral');
    const visitDeclined = c.method === 'visit' && c.visitConsent === 'declined';
    const [step] = await uow.tx
      .insert(socialCareSteps)
      .values({
        episodeId: episode.id,
        childId: episode.childId,
        kind: visitDeclined ? 'visit-declined' : c.method === 'visit' ? 'visit' : 'family-contact',
        status: 'done',
        startedOn: c.contactedOn,
        completedOn: c.contactedOn,
        details: { ...c, section: 's17', voluntary: true },
        recordedBy: ctx.actor.id,
        createdAt: ctx.now,
      })
      .returning();
    event(uow, episode, 'social-care.family-contact', visitDeclined ? 'The family declined a section 17 visit; their reasons are recorded' : `Contact with the family: ${CONTACT_METHODS[c.method].toLowerCase()}`);
    return step!;
  });
}

/** Asks another agency what it knows; its users in Cairn see and answer it. */
export async function sendInformationRequest(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const q = parseInput(informationRequestSchema, input);
  return act(deps, ctx, 'social-care.information-request', episodeId, async (uow, episode, env) => {
    if (episode.closedOn) throw new DomainError('validation', 'This episode is closed.');
    let schoolId: string | null = null;
    if (q.agency === 'school') {
      const [school] = await uow.tx.select({ id: schools.id }).from(schools).where(eq(schools.urn, q.schoolUrn!));
      if (!school) throw new DomainError('validation', 'There is a problem', { schoolUrn: 'No school has that URN' });
      schoolId = school.id;
    }
    const [saved] = await uow.tx
      .insert(informationRequests)
      .values({
        episodeId: episode.id,
        childId: episode.childId,
        agency: q.agency,
        recipientSchoolId: schoolId,
        recipientRole: q.agency === 'school' ? 'school_user' : q.agency === 'health-visitor' ? 'health_visitor' : null,
        question: q.question,
        requestedOn: env.today,
        dueOn: informationRequestDueOn(env.calendar, env.today),
        status: 'open',
        requestedBy: ctx.actor.id,
        createdAt: ctx.now,
      })
      .returning();
    event(uow, episode, 'social-care.information-requested', `Information requested from ${AGENCIES[q.agency].toLowerCase()}`);
    return saved!;
  });
}

/** Who may answer a request: the school's users, or the role it was sent to. */
function mayAnswer(ctx: UseCaseContext, request: typeof informationRequests.$inferSelect): boolean {
  if (request.recipientSchoolId) return ctx.actor.role === 'school_user' && ctx.actor.schoolId === request.recipientSchoolId;
  if (!IN_CAIRN_AGENCIES.includes(request.agency)) return isSocialCare(ctx);
  return request.recipientRole === ctx.actor.role;
}

/** An agency's own requests: partners see only what was asked of them. */
export async function listMyInformationRequests(deps: SocialCareDeps, ctx: UseCaseContext) {
  if (ctx.actor.role !== 'school_user' && ctx.actor.role !== 'health_visitor') throw forbidden();
  return deps.runInTransaction(ctx, async (uow) => {
    const rows = await uow.tx
      .select({ r: informationRequests, firstName: children.firstName, lastName: children.lastName, dateOfBirth: children.dateOfBirth })
      .from(informationRequests)
      .innerJoin(children, eq(children.id, informationRequests.childId))
      .where(ctx.actor.role === 'school_user' ? eq(informationRequests.recipientSchoolId, ctx.actor.schoolId ?? '00000000-0000-0000-0000-000000000000') : eq(informationRequests.recipientRole, 'health_visitor'))
      .orderBy(asc(informationRequests.status), asc(informationRequests.dueOn));
    uow.audit({ action: 'information-request.list', recordType: 'information_request', recordId: null, childId: null, details: { returned: rows.length } });
    return rows.map(({ r, firstName, lastName, dateOfBirth }) => ({ ...r, childName: `${firstName} ${lastName}`, childDateOfBirth: dateOfBirth }));
  });
}

/** The agency answers; the answer appears in the enquiry. */
export async function answerInformationRequest(deps: SocialCareDeps, ctx: UseCaseContext, requestId: string, input: unknown) {
  const a = parseInput(answerSchema, input);
  if (!UUID.safeParse(requestId).success) throw notFound('The request');
  return deps.runInTransaction(ctx, async (uow) => {
    const [request] = await uow.tx.select().from(informationRequests).where(eq(informationRequests.id, requestId));
    if (!request) throw notFound('The request');
    if (!mayAnswer(ctx, request)) throw forbidden();
    if (request.status !== 'open') throw staleVersion('information request');
    const [answered] = await uow.tx
      .update(informationRequests)
      .set({ status: 'answered', answer: a.answer, answeredBy: ctx.actor.id, answeredOn: todayIn(ctx.now), version: request.version + 1 })
      .where(and(eq(informationRequests.id, request.id), eq(informationRequests.status, 'open')))
      .returning();
    if (!answered) throw staleVersion('information request');
    uow.event({ type: 'social-care.information-answered', aggregateType: 'social_care_episode', aggregateId: request.episodeId, childId: request.childId, summary: `${AGENCIES[request.agency as keyof typeof AGENCIES] ?? 'An agency'} answered an information request`, visibility: 'social-care' });
    uow.audit({ action: 'information-request.answer', recordType: 'information_request', recordId: request.id, childId: request.childId });
    return answered;
  });
}

/**
 * The decision on a referral (due within one working day). Home education is not in itself a
 * safeguarding concern: where it is the only concern raised, the worker must record why the referral
 * proceeds, or close it.
 */
export async function decideReferral(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const d = parseInput(decisionSchema, input);
  return act(deps, ctx, 'social-care.decision', episodeId, async (uow, episode, env) => {
    const to = next(episode, DECISION_EVENTS[d.decision]);
    const closing = to === 'closed';
    if (episode.homeEducationOnly && !closing && !d.proceedReason) {
      throw new DomainError('validation', 'There is a problem', {
        proceedReason: 'Home education is not in itself a safeguarding concern. Record why the referral proceeds, or close it',
      });
    }
    const settings = await loadCouncilSettings(uow.tx);
    const updated = await save(
      uow.tx,
      episode,
      d.version,
      {
        status: to,
        decision: d.decision,
        decidedOn: env.today,
        decidedBy: ctx.actor.id,
        primaryNeedCode: d.primaryNeedCode,
        proceedReason: d.proceedReason ?? null,
        ...(d.decision === 'assessment' ? { assessmentDueOn: assessmentDueOn(env.calendar, episode.referralDate) } : {}),
        ...(closing ? { closedOn: env.today, closureReason: 'RC7', closureNoticeDueOn: closureNoticeDueOn(env.calendar, settings.periods, env.today) } : {}),
      },
      ctx.now,
    );
    await uow.tx.insert(socialCareSteps).values({
      episodeId: episode.id,
      childId: episode.childId,
      kind: 'decision',
      status: 'done',
      startedOn: env.today,
      completedOn: env.today,
      details: { decision: d.decision, reasons: d.reasons, proceedReason: d.proceedReason ?? null, dueOn: episode.decisionDueOn, late: env.today > episode.decisionDueOn },
      recordedBy: ctx.actor.id,
      createdAt: ctx.now,
    });
    event(uow, episode, 'social-care.decision', `Decision on the referral: ${DECISIONS[d.decision].split(':')[0]!.toLowerCase()}`);
    return updated;
  });
}

/** Closes an open episode with the census reason. The family must then be told. */
export async function closeSocialCareEpisode(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const c = parseInput(closeSchema, input);
  return act(deps, ctx, 'social-care.close', episodeId, async (uow, episode, env) => {
    const to = next(episode, 'close');
    const settings = await loadCouncilSettings(uow.tx);
    const updated = await save(uow.tx, episode, c.version, { status: to, closedOn: env.today, closureReason: c.closureReason, closureNoticeDueOn: closureNoticeDueOn(env.calendar, settings.periods, env.today) }, ctx.now);
    await uow.tx.insert(socialCareSteps).values({ episodeId: episode.id, childId: episode.childId, kind: 'closure', status: 'done', startedOn: env.today, completedOn: env.today, details: { reason: c.closureReason, reasons: c.reasons }, recordedBy: ctx.actor.id, createdAt: ctx.now });
    event(uow, episode, 'social-care.closed', 'Children’s social care closed the case');
    return updated;
  });
}

async function queueClosureLetter(deps: SocialCareDeps, uow: UnitOfWork, episode: EpisodeRow) {
  const [decision] = await uow.tx.select().from(socialCareSteps).where(and(eq(socialCareSteps.episodeId, episode.id), or(eq(socialCareSteps.kind, 'decision'), eq(socialCareSteps.kind, 'closure')))).orderBy(desc(socialCareSteps.createdAt)).limit(1);
  const details = (decision?.details ?? {}) as { reasons?: string; decision?: string };
  const [ehe] = await uow.tx.select({ id: episodes.id }).from(episodes).where(and(eq(episodes.childId, episode.childId), eq(episodes.kind, 'ehe'), isNull(episodes.closedOn))).limit(1);
  await queueLettersToParents(
    uow,
    {
      childId: episode.childId,
      socialCareEpisodeId: episode.id,
      templateKey: 'social-care-closure',
      data: {
        referralDate: formatLongDate(episode.referralDate),
        closedOn: formatLongDate(episode.closedOn!),
        outcome: details.decision === 'signposting' ? 'We have given you details of other services that may help, and closed the case.' : 'We found no reason for children’s social care to be involved, and closed the case.',
        reasons: details.reasons ?? '',
        homeEducated: ehe !== undefined || episode.homeEducationOnly,
      },
    },
    { baseUrl: deps.baseUrl, service: 'social-care' },
  );
}

/** Closure always reaches the family: a letter (queued now), or a phone call logged. */
export async function recordClosureCommunication(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const c = parseInput(closureCommunicationSchema, input);
  return act(deps, ctx, 'social-care.closure-communication', episodeId, async (uow, episode, env) => {
    if (!episode.closedOn) throw new DomainError('validation', 'The family is told once the case is closed.');
    if (c.method === 'phone' && !c.summary) throw new DomainError('validation', 'There is a problem', { summary: 'Record what the family was told on the phone' });
    if (c.method === 'letter') await queueClosureLetter(deps, uow, episode);
    const updated = await save(uow.tx, episode, c.version, { familyToldOn: env.today, familyToldHow: c.method }, ctx.now);
    await uow.tx.insert(socialCareSteps).values({ episodeId: episode.id, childId: episode.childId, kind: 'family-told-of-closure', status: 'done', startedOn: env.today, completedOn: env.today, details: { method: c.method, summary: c.summary ?? null }, recordedBy: ctx.actor.id, createdAt: ctx.now });
    event(uow, episode, 'social-care.family-told', c.method === 'letter' ? 'The family was sent a letter confirming the case is closed' : 'The family was told by phone that the case is closed');
    return updated;
  });
}

/** The family asks for written confirmation that the case is closed: a letter is produced. */
export async function requestWrittenClosure(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const { version: expected } = parseInput(z.object({ version }), input);
  return act(deps, ctx, 'social-care.written-closure', episodeId, async (uow, episode, env) => {
    if (!episode.closedOn) throw new DomainError('validation', 'The case is not closed yet.');
    await queueClosureLetter(deps, uow, episode);
    const updated = await save(uow.tx, episode, expected, { writtenClosureRequestedOn: env.today, familyToldOn: episode.familyToldOn ?? env.today, familyToldHow: episode.familyToldHow ?? 'letter' }, ctx.now);
    await answerFamilyClosureRequests(uow, episode, env.today);
    event(uow, episode, 'social-care.written-closure', 'The family asked for written confirmation of closure; a letter was sent');
    return updated;
  });
}

/** Requests the family made through the family service are answered by the letter just sent. */
async function answerFamilyClosureRequests(uow: UnitOfWork, episode: EpisodeRow, today: IsoDate) {
  const answered = await uow.tx
    .update(familySubmissions)
    .set({ status: 'done', outcome: 'We sent you a letter confirming that the case is closed.', handledBy: uow.ctx.actor.id, handledOn: today, version: sql`${familySubmissions.version} + 1`, updatedAt: uow.ctx.now })
    .where(and(eq(familySubmissions.socialCareEpisodeId, episode.id), eq(familySubmissions.kind, 'closure-confirmation-request'), inArray(familySubmissions.status, ['received', 'acknowledged'])))
    .returning({ id: familySubmissions.id, reference: familySubmissions.reference });
  for (const request of answered) uow.audit({ action: 'family.closure-confirmation-request.answered', recordType: 'family-submission', recordId: request.id, childId: episode.childId, details: { reference: request.reference } });
}

/**
 * A parent asks, through the family service, for written confirmation that the case is closed. The
 * request is noted on the episode (version-checked) and waits in the intake worklist until a worker
 * sends the letter with `requestWrittenClosure`. Called by the family service in its transaction.
 */
export async function noteWrittenClosureAskedFor(uow: UnitOfWork, episodeId: string, expectedVersion: number): Promise<EpisodeRow> {
  const episode = await load(uow.tx, episodeId);
  if (!episode.closedOn) throw new DomainError('validation', 'The case is not closed yet.');
  const updated = await save(uow.tx, episode, expectedVersion, { writtenClosureRequestedOn: todayIn(uow.ctx.now) }, uow.ctx.now);
  event(uow, episode, 'social-care.written-closure-asked', 'The family asked for written confirmation that the case is closed');
  return updated;
}

/**
 * A parent's comments on a shared assessment, and their child's, recorded on the assessment where
 * staff already see the parents' comments. Added to what is there (a second parent's comments do not
 * replace the first's), in one statement so two parents commenting at once both keep theirs.
 */
export async function addFamilyCommentsToAssessment(uow: UnitOfWork, assessmentStepId: string, comments: { parent: string; child: string | null }): Promise<void> {
  const [assessment] = await uow.tx.select().from(socialCareSteps).where(and(eq(socialCareSteps.id, assessmentStepId), eq(socialCareSteps.kind, 'assessment')));
  if (!assessment) throw notFound('The assessment');
  if (!(assessment.details as { sharedOn?: string | null }).sharedOn) throw new DomainError('validation', 'The assessment has not been shared with you yet.');
  const append = (key: string, value: string) => sql`jsonb_set(${socialCareSteps.details}, ${`{${key}}`}::text[], to_jsonb(coalesce(nullif(${socialCareSteps.details}->>${key}::text, '') || ${'\n\n'}::text, '') || ${value}::text))`;
  await uow.tx.update(socialCareSteps).set({ details: append('parentComments', comments.parent) }).where(eq(socialCareSteps.id, assessment.id));
  if (comments.child) await uow.tx.update(socialCareSteps).set({ details: append('childComments', comments.child) }).where(eq(socialCareSteps.id, assessment.id));
  event(uow, { id: assessment.episodeId, childId: assessment.childId }, 'social-care.assessment-comments', 'The parents’ comments on the assessment were recorded');
}

export const withholdSchema = z
  .object({
    version,
    withhold: z.enum(['yes', 'no'], { error: 'Select whether to withhold this from the family' }),
    reason: optional(2000),
  })
  .superRefine((v, issue) => {
    if (v.withhold === 'yes' && !v.reason) issue.addIssue({ code: 'custom', path: ['reason'], message: 'Enter why disclosing this to the family would put a child at risk' });
  });

/** Who may withhold a step from the family: the social worker and their team manager, not intake. */
export const WITHHOLDING_ROLES: readonly string[] = ['social_worker', 'team_manager'];

/**
 * Marks a step as withheld from the family, where the law lets the council withhold it (disclosing it
 * would put a child at risk), or shows it to them again. Version-checked on the episode; audited with
 * the reason. Families never see a withheld step, nor any hint of it.
 */
export async function setStepWithheldFromFamily(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string, stepId: string, input: unknown) {
  if (!WITHHOLDING_ROLES.includes(ctx.actor.role)) return refuse(deps, ctx, 'social-care.withhold', episodeId);
  const w = parseInput(withholdSchema, input);
  if (!UUID.safeParse(stepId).success) throw notFound('The step');
  return act(deps, ctx, w.withhold === 'yes' ? 'social-care.withhold' : 'social-care.release', episodeId, async (uow, episode) => {
    const [step] = await uow.tx.select().from(socialCareSteps).where(and(eq(socialCareSteps.id, stepId), eq(socialCareSteps.episodeId, episode.id)));
    if (!step) throw notFound('The step');
    const updated = await save(uow.tx, episode, w.version, {}, ctx.now);
    const withhold = w.withhold === 'yes';
    await uow.tx.update(socialCareSteps).set({ withheldFromFamily: withhold, withheldReason: withhold ? (w.reason ?? null) : null }).where(eq(socialCareSteps.id, step.id));
    uow.audit({ action: withhold ? 'social-care.step-withheld' : 'social-care.step-released', recordType: 'social_care_step', recordId: step.id, childId: step.childId, details: { kind: step.kind, reason: withhold ? w.reason : null, before: step.withheldFromFamily } });
    event(uow, episode, withhold ? 'social-care.step-withheld' : 'social-care.step-released', withhold ? 'A step was withheld from the family' : 'A step withheld from the family is shown to them again');
    return updated;
  });
}

const DUE_LABELS: Record<string, string> = {
  's47-enquiry': 'Initial child protection conference due',
  'cp-plan': 'Child protection review due',
  'cin-plan': 'Child in Need review due',
  escalation: 'Reply to the family’s escalation due',
  complaint: 'Reply to the complaint due',
};

export interface SocialCareEpisodeView {
  episode: EpisodeRow;
  child: typeof children.$inferSelect;
  steps: (typeof socialCareSteps.$inferSelect & { recordedByName: string | null })[];
  requests: (typeof informationRequests.$inferSelect)[];
  letters: { id: string; subject: string; recipientName: string; channel: string; status: string; createdAt: Date }[];
  availableEvents: SocialCareEvent[];
  /** The child's open home education episode, if any: the plan shows it and links to it. */
  homeEducation: { episodeId: string; status: string } | null;
  today: IsoDate;
  /** What the family sent about this episode through the family service. */
  familySubmissions: EpisodeFamilySubmission[];
  allowed: { act: boolean; withhold: boolean };
}

/** One episode, for social care staff only. Audited. */
export async function viewSocialCareEpisode(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string): Promise<SocialCareEpisodeView> {
  if (!isSocialCare(ctx)) return refuse(deps, ctx, 'social-care.view', episodeId);
  return deps.runInTransaction(ctx, async (uow) => {
    const episode = await load(uow.tx, episodeId);
    const [child] = await uow.tx.select().from(children).where(eq(children.id, episode.childId));
    const steps = await uow.tx
      .select({ s: socialCareSteps, name: users.displayName })
      .from(socialCareSteps)
      .leftJoin(users, eq(users.id, socialCareSteps.recordedBy))
      .where(eq(socialCareSteps.episodeId, episode.id))
      .orderBy(asc(socialCareSteps.createdAt));
    const requests = await uow.tx.select().from(informationRequests).where(eq(informationRequests.episodeId, episode.id)).orderBy(asc(informationRequests.createdAt));
    const sent = await uow.tx
      .select({ id: letters.id, subject: letters.subject, recipientName: letters.recipientName, channel: letters.channel, status: letters.status, createdAt: letters.createdAt })
      .from(letters)
      .where(eq(letters.socialCareEpisodeId, episode.id))
      .orderBy(desc(letters.createdAt));
    const [ehe] = await uow.tx.select({ episodeId: episodes.id, status: episodes.status }).from(episodes).where(and(eq(episodes.childId, episode.childId), eq(episodes.kind, 'ehe'), isNull(episodes.closedOn))).limit(1);
    const fromFamily = await familySubmissionsForEpisode(uow.tx, episode.id);
    uow.audit({ action: 'social-care.view', recordType: 'social_care_episode', recordId: episode.id, childId: episode.childId });
    return {
      familySubmissions: fromFamily,
      homeEducation: ehe ?? null,
      episode,
      child: child!,
      steps: steps.map(({ s, name }) => ({ ...s, recordedByName: name })),
      requests,
      letters: sent,
      availableEvents: availableEvents(SOCIAL_CARE_TRANSITIONS, episode.status as SocialCareStatus),
      today: todayIn(ctx.now),
      allowed: { act: true, withhold: WITHHOLDING_ROLES.includes(ctx.actor.role) },
    };
  });
}

/**
 * The intake worklist: referrals waiting for a decision (overdue first), families not yet told of a
 * closure past the council's period, and information requests past their date.
 */
export async function listMashWork(deps: SocialCareDeps, ctx: UseCaseContext) {
  if (!isSocialCare(ctx)) return refuse(deps, ctx, 'social-care.worklist', null);
  return deps.runInTransaction(ctx, async (uow) => {
    const today = todayIn(ctx.now);
    const child = { firstName: children.firstName, lastName: children.lastName };
    const awaitingDecision = await uow.tx
      .select({ e: socialCareEpisodes, ...child })
      .from(socialCareEpisodes)
      .innerJoin(children, eq(children.id, socialCareEpisodes.childId))
      .where(eq(socialCareEpisodes.status, 'initial-enquiries'))
      .orderBy(asc(socialCareEpisodes.decisionDueOn))
      .limit(500);
    const familyNotTold = await uow.tx
      .select({ e: socialCareEpisodes, ...child })
      .from(socialCareEpisodes)
      .innerJoin(children, eq(children.id, socialCareEpisodes.childId))
      .where(and(isNull(socialCareEpisodes.familyToldOn), lt(socialCareEpisodes.closureNoticeDueOn, today)))
      .orderBy(asc(socialCareEpisodes.closureNoticeDueOn))
      .limit(500);
    const overdueRequests = await uow.tx
      .select({ r: informationRequests, ...child })
      .from(informationRequests)
      .innerJoin(children, eq(children.id, informationRequests.childId))
      .where(and(eq(informationRequests.status, 'open'), lt(informationRequests.dueOn, today)))
      .orderBy(asc(informationRequests.dueOn))
      .limit(500);
    const soon = new Date(Date.parse(`${today}T00:00:00Z`) + 28 * 86_400_000).toISOString().slice(0, 10);
    const dueSteps = await uow.tx
      .select({ s: socialCareSteps, ...child })
      .from(socialCareSteps)
      .innerJoin(children, eq(children.id, socialCareSteps.childId))
      .where(and(eq(socialCareSteps.status, 'open'), lt(socialCareSteps.dueOn, soon), or(eq(socialCareSteps.kind, 's47-enquiry'), eq(socialCareSteps.kind, 'cp-plan'), eq(socialCareSteps.kind, 'cin-plan'), eq(socialCareSteps.kind, 'escalation'), eq(socialCareSteps.kind, 'complaint'))))
      .orderBy(asc(socialCareSteps.dueOn))
      .limit(500);
    const assessments = await uow.tx
      .select({ e: socialCareEpisodes, ...child })
      .from(socialCareEpisodes)
      .innerJoin(children, eq(children.id, socialCareEpisodes.childId))
      .where(and(eq(socialCareEpisodes.status, 'assessment'), lt(socialCareEpisodes.assessmentDueOn, soon)))
      .orderBy(asc(socialCareEpisodes.assessmentDueOn))
      .limit(500);
    const closureRequests = await uow.tx
      .select({ f: familySubmissions, ...child })
      .from(familySubmissions)
      .innerJoin(children, eq(children.id, familySubmissions.childId))
      .where(and(eq(familySubmissions.kind, 'closure-confirmation-request'), inArray(familySubmissions.status, ['received', 'acknowledged'])))
      .orderBy(asc(familySubmissions.dueOn))
      .limit(500);
    uow.audit({ action: 'social-care.worklist', recordType: 'social_care_episode', recordId: null, childId: null, details: { awaitingDecision: awaitingDecision.length } });
    const name = (r: { firstName: string; lastName: string }) => `${r.firstName} ${r.lastName}`;
    return {
      today,
      awaitingDecision: awaitingDecision.map((r) => ({ episodeId: r.e.id, childName: name(r), dueOn: r.e.decisionDueOn, overdue: r.e.decisionDueOn < today, homeEducationOnly: r.e.homeEducationOnly })),
      familyNotTold: familyNotTold.map((r) => ({ episodeId: r.e.id, childName: name(r), dueOn: r.e.closureNoticeDueOn! })),
      overdueRequests: overdueRequests.map((r) => ({ episodeId: r.r.episodeId, childName: name(r), agency: r.r.agency, dueOn: r.r.dueOn })),
      dueSoon: [
        ...dueSteps.map((r) => ({ episodeId: r.s.episodeId, childName: name(r), what: DUE_LABELS[r.s.kind] ?? r.s.kind, dueOn: r.s.dueOn!, overdue: r.s.dueOn! < today })),
        ...assessments.map((r) => ({ episodeId: r.e.id, childName: name(r), what: 'Assessment due', dueOn: r.e.assessmentDueOn!, overdue: r.e.assessmentDueOn! < today })),
        ...closureRequests.map((r) => ({ episodeId: r.f.socialCareEpisodeId!, childName: name(r), what: 'The family asked for written confirmation that the case is closed', dueOn: r.f.dueOn ?? today, overdue: (r.f.dueOn ?? today) < today })),
      ].sort((a, b) => a.dueOn.localeCompare(b.dueOn)),
      closureConfirmationRequests: closureRequests.map((r) => ({ episodeId: r.f.socialCareEpisodeId!, childName: name(r), reference: r.f.reference, askedOn: todayIn(r.f.createdAt), dueOn: r.f.dueOn })),
    };
  });
}

// -------------------------------------------------------------------------------------------------
// Consent, assessment, strategy, conference and plans
// -------------------------------------------------------------------------------------------------

export const S17_STEPS = { assessment: 'Child and family assessment', 'early-help': 'Early help', 'cin-plan': 'Child in Need plan' } as const;
type S17Step = keyof typeof S17_STEPS;

export const consentSchema = z
  .object({
    version,
    step: z.enum(Object.keys(S17_STEPS) as [S17Step, ...S17Step[]], { error: 'Select what the consent is for' }),
    consent: z.enum(['given', 'declined', 'withdrawn'], { error: 'Select whether the parents consented, declined or withdrew consent' }),
    how: z.enum(['in-writing', 'verbally'], { error: 'Select how the parents said so' }),
    recordedOn: isoDate,
    reasons: optional(),
    escalate: z.preprocess((v) => (v === '' || v === undefined ? 'no' : v), z.enum(['yes', 'no'])).transform((v) => v === 'yes'),
    escalationReasons: optional(),
  })
  .superRefine((v, issue) => {
    if (v.consent !== 'given' && !v.reasons) issue.addIssue({ code: 'custom', path: ['reasons'], message: 'Record the family’s reasons, in their words if they gave them' });
    if (v.escalate && v.consent === 'given') issue.addIssue({ code: 'custom', path: ['escalate'], message: 'Escalation applies only when the parents decline or withdraw consent' });
    if (v.escalate && !v.escalationReasons) issue.addIssue({ code: 'custom', path: ['escalationReasons'], message: 'Record why declining leads to a safeguarding concern; the family is told in writing' });
  });

/** The latest consent recorded for a section 17 step, if any. */
function latestConsent(steps: readonly (typeof socialCareSteps.$inferSelect)[], step: S17Step): string | null {
  const found = [...steps].reverse().find((s) => s.kind === 'consent' && (s.details as { step?: string }).step === step);
  return found ? String((found.details as { consent: string }).consent) : null;
}

async function stepsOf(tx: Tx, episodeId: string) {
  return tx.select().from(socialCareSteps).where(eq(socialCareSteps.episodeId, episodeId)).orderBy(asc(socialCareSteps.createdAt));
}

async function addScStep(uow: UnitOfWork, episode: EpisodeRow, kind: string, startedOn: IsoDate, details: Record<string, unknown>, open = false, dueOn: IsoDate | null = null) {
  const [row] = await uow.tx
    .insert(socialCareSteps)
    .values({ episodeId: episode.id, childId: episode.childId, kind, status: open ? 'open' : 'done', startedOn, dueOn, completedOn: open ? null : startedOn, details, recordedBy: uow.ctx.actor.id, createdAt: uow.ctx.now })
    .returning();
  return row!;
}

/**
 * Section 17 work is voluntary: the parents' consent, decline or withdrawal is recorded with the date,
 * how it was given and their reasons. Declining is allowed; if the team believes declining leads to a
 * safeguarding concern and escalates to a strategy discussion, the family is told in writing.
 */
export async function recordS17Consent(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const c = parseInput(consentSchema, input);
  return act(deps, ctx, 'social-care.consent', episodeId, async (uow, episode, env) => {
    if (episode.closedOn) throw new DomainError('validation', 'This episode is closed.');
    notFutureNotBefore('recordedOn', c.recordedOn, env.today, episode.referralDate, 'The date cannot be before the referral');
    await addScStep(uow, episode, 'consent', c.recordedOn, { step: c.step, consent: c.consent, how: c.how, reasons: c.reasons ?? null, escalated: c.escalate });
    let updated = episode;
    if (c.escalate) {
      const to = next(episode, 'escalate-to-strategy');
      updated = await save(uow.tx, episode, c.version, { status: to }, ctx.now);
      await queueLettersToParents(
        uow,
        { childId: episode.childId, socialCareEpisodeId: episode.id, templateKey: 'social-care-escalation', data: { step: S17_STEPS[c.step].toLowerCase(), reasons: c.escalationReasons, decidedOn: formatLongDate(env.today) } },
        { baseUrl: deps.baseUrl, service: 'social-care' },
      );
      event(uow, episode, 'social-care.escalated', 'The family declined section 17 help; the team escalated to a strategy discussion and wrote to the family');
    } else {
      event(uow, episode, 'social-care.consent', `Parents’ consent for ${S17_STEPS[c.step].toLowerCase()}: ${c.consent}`);
    }
    return updated;
  });
}

export const ASSESSMENT_OUTCOMES = {
  nfa: 'No further action',
  signposting: 'Signpost to other services',
  'early-help': 'Step down to early help',
  'cin-plan': 'Child in Need plan',
  'strategy-discussion': 'Strategy discussion',
} as const;
type AssessmentOutcome = keyof typeof ASSESSMENT_OUTCOMES;
const ASSESSMENT_EVENTS: Record<AssessmentOutcome, SocialCareEvent> = {
  nfa: 'complete-assessment-nfa',
  signposting: 'complete-assessment-signposting',
  'early-help': 'complete-assessment-early-help',
  'cin-plan': 'complete-assessment-cin',
  'strategy-discussion': 'complete-assessment-strategy',
};

const viewsShape = {
  parentViews: required('Enter the parent’s views'),
  childViews: required('Enter the child’s views, or why they could not be given'),
  childSeenAlone: z.enum(['yes', 'no'], { error: 'Select whether the child was seen alone' }),
  communicationNeeds: optional(),
  supportivePerson: optional(500),
  advocacyReferral: optional(500),
};

export const assessmentSchema = z.object({
  version,
  completedOn: isoDate,
  outcome: z.enum(Object.keys(ASSESSMENT_OUTCOMES) as [AssessmentOutcome, ...AssessmentOutcome[]], { error: 'Select the outcome of the assessment' }),
  summary: required('Enter the assessment’s findings'),
  educationSection: required('Enter what the assessment found about the child’s education, however it is provided'),
  factors: optional(500),
  /** A disabled child's needs assessment under section 17: short breaks, respite, support. */
  disabledChildNeeds: z.preprocess((v) => (v === '' || v === undefined ? 'no' : v), z.enum(['yes', 'no'])).transform((v) => v === 'yes'),
  servicesOffered: optional(),
  ...viewsShape,
});

/**
 * Completes the child and family assessment (due within 45 working days of the referral). Section 17:
 * only with the parents' consent recorded. The assessment is then shared with the parents, and their
 * comments are recorded on it.
 */
export async function completeAssessment(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const a = parseInput(assessmentSchema, input);
  return act(deps, ctx, 'social-care.assessment', episodeId, async (uow, episode, env) => {
    const to = next(episode, ASSESSMENT_EVENTS[a.outcome]);
    const steps = await stepsOf(uow.tx, episode.id);
    if (latestConsent(steps, 'assessment') !== 'given') throw new DomainError('validation', 'An assessment under section 17 needs the parents’ consent. Record their consent first, or their decline.');
    if ((a.outcome === 'cin-plan' || a.outcome === 'early-help') && latestConsent(steps, a.outcome) !== 'given') {
      throw new DomainError('validation', 'There is a problem', {
        outcome: `${S17_STEPS[a.outcome]} is voluntary under section 17: record the parents’ consent to it first, or choose another outcome`,
      });
    }
    notFutureNotBefore('completedOn', a.completedOn, env.today, episode.referralDate, 'The assessment cannot be completed before the referral');
    const settings = await loadCouncilSettings(uow.tx);
    const closing = to === 'closed';
    const updated = await save(
      uow.tx,
      episode,
      a.version,
      { status: to, ...(closing ? { closedOn: env.today, closureReason: a.outcome === 'nfa' ? 'RC8' : 'RC7', closureNoticeDueOn: closureNoticeDueOn(env.calendar, settings.periods, env.today) } : {}) },
      ctx.now,
    );
    const assessment = await addScStep(uow, episode, 'assessment', a.completedOn, { ...a, version: undefined, dueOn: episode.assessmentDueOn, late: episode.assessmentDueOn !== null && a.completedOn > episode.assessmentDueOn, sharedOn: null, parentComments: null });
    if (to === 'cin-plan') await startCinPlan(uow, episode, env, a.educationSection);
    event(uow, episode, 'social-care.assessment-completed', `Child and family assessment completed: ${ASSESSMENT_OUTCOMES[a.outcome].toLowerCase()}`);
    return { episode: updated, assessmentId: assessment.id };
  });
}

async function startCinPlan(uow: UnitOfWork, episode: EpisodeRow, env: { today: IsoDate; calendar: Awaited<ReturnType<typeof loadWorkingDayCalendar>> }, educationSection: string) {
  const settings = await loadCouncilSettings(uow.tx);
  await addScStep(uow, episode, 'cin-plan', env.today, { educationSection }, true, nextCinReviewDueOn(env.calendar, settings.periods, env.today));
}

/** A copy of the completed assessment goes to the parents; their comments are recorded on it. */
export async function shareAssessment(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string) {
  return act(deps, ctx, 'social-care.assessment-shared', episodeId, async (uow, episode, env) => {
    const [assessment] = await uow.tx.select().from(socialCareSteps).where(and(eq(socialCareSteps.episodeId, episode.id), eq(socialCareSteps.kind, 'assessment'))).orderBy(desc(socialCareSteps.createdAt)).limit(1);
    if (!assessment) throw new DomainError('validation', 'There is no completed assessment to share.');
    const d = assessment.details as { summary: string; educationSection: string; outcome: AssessmentOutcome; completedOn: string };
    await queueLettersToParents(
      uow,
      { childId: episode.childId, socialCareEpisodeId: episode.id, templateKey: 'assessment-copy', data: { completedOn: formatLongDate(d.completedOn), summary: d.summary, educationSection: d.educationSection, outcome: ASSESSMENT_OUTCOMES[d.outcome] } },
      { baseUrl: deps.baseUrl, service: 'social-care' },
    );
    await uow.tx.update(socialCareSteps).set({ details: { ...(assessment.details as Record<string, unknown>), sharedOn: env.today } }).where(eq(socialCareSteps.id, assessment.id));
    event(uow, episode, 'social-care.assessment-shared', 'A copy of the assessment was sent to the parents');
  });
}

export async function recordAssessmentComments(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const { comments } = parseInput(z.object({ comments: required('Enter the parents’ comments') }), input);
  return act(deps, ctx, 'social-care.assessment-comments', episodeId, async (uow, episode) => {
    const [assessment] = await uow.tx.select().from(socialCareSteps).where(and(eq(socialCareSteps.episodeId, episode.id), eq(socialCareSteps.kind, 'assessment'))).orderBy(desc(socialCareSteps.createdAt)).limit(1);
    if (!assessment) throw new DomainError('validation', 'There is no completed assessment.');
    if (!(assessment.details as { sharedOn?: string | null }).sharedOn) throw new DomainError('validation', 'Share the assessment with the parents before recording their comments.');
    await uow.tx.update(socialCareSteps).set({ details: { ...(assessment.details as Record<string, unknown>), parentComments: comments } }).where(eq(socialCareSteps.id, assessment.id));
    event(uow, episode, 'social-care.assessment-comments', 'The parents’ comments on the assessment were recorded');
  });
}

export const strategySchema = z.object({
  version,
  heldOn: isoDate,
  attendees: required('Enter who took part', 2000),
  outcome: z.enum(['s47', 'no-s47'], { error: 'Select the outcome of the strategy discussion' }),
  reasons: required('Enter the reasons'),
});

/**
 * The strategy discussion. A section 47 enquiry starts when there is reasonable cause to suspect
 * significant harm; it is not voluntary. The initial conference is due within 15 working days.
 */
export async function recordStrategyDiscussion(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const s = parseInput(strategySchema, input);
  return act(deps, ctx, 'social-care.strategy', episodeId, async (uow, episode, env) => {
    const to = next(episode, s.outcome === 's47' ? 'start-s47' : 'strategy-no-s47');
    notFutureNotBefore('heldOn', s.heldOn, env.today, episode.referralDate, 'The strategy discussion cannot be before the referral');
    const updated = await save(uow.tx, episode, s.version, { status: to, ...(to === 'assessment' ? { assessmentDueOn: episode.assessmentDueOn ?? assessmentDueOn(env.calendar, episode.referralDate) } : {}) }, ctx.now);
    await addScStep(uow, episode, 'strategy-discussion', s.heldOn, { attendees: s.attendees, outcome: s.outcome, reasons: s.reasons });
    if (s.outcome === 's47') {
      await addScStep(uow, episode, 's47-enquiry', s.heldOn, { voluntary: false, icpcTarget: icpcDueOn(env.calendar, s.heldOn) }, true, icpcDueOn(env.calendar, s.heldOn));
      await setProtection(uow, episode.childId, 's47-enquiry', env.today);
    }
    event(uow, episode, 'social-care.strategy', s.outcome === 's47' ? 'Strategy discussion: a section 47 enquiry starts' : 'Strategy discussion: no section 47 enquiry');
    return updated;
  });
}

/** Keeps the child's record in step with child protection, so withdrawal needs the council's consent. */
async function setProtection(uow: UnitOfWork, childId: string, status: 'none' | 's47-enquiry' | 'cp-plan', today: IsoDate) {
  const [child] = await uow.tx.select({ protectionStatus: children.protectionStatus }).from(children).where(eq(children.id, childId));
  const ended = status === 'none' && child?.protectionStatus !== 'none';
  await uow.tx
    .update(children)
    .set({ protectionStatus: status, ...(ended ? { protectionEndedOn: today } : {}), childInNeed: status !== 'none' ? true : undefined, version: sql`${children.version} + 1`, updatedAt: uow.ctx.now })
    .where(eq(children.id, childId));
}

export const CP_CATEGORIES = { NEG: 'Neglect', PHY: 'Physical abuse', SAB: 'Sexual abuse', EMO: 'Emotional abuse', MUL: 'Multiple' } as const;

export const conferenceSchema = z
  .object({
    version,
    heldOn: isoDate,
    chair: required('Enter who chaired the conference', 200),
    outcome: z.enum(['plan', 'no-plan'], { error: 'Select the outcome of the conference' }),
    category: z.preprocess((v) => (v === '' ? undefined : v), z.enum(Object.keys(CP_CATEGORIES) as [keyof typeof CP_CATEGORIES, ...(keyof typeof CP_CATEGORIES)[]]).optional()),
    educationSection: required('Enter the plan’s education section'),
    supportivePersonPermission: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['given', 'refused', 'not-asked']).optional()),
    ...viewsShape,
  })
  .superRefine((v, issue) => {
    if (v.outcome === 'plan' && !v.category) issue.addIssue({ code: 'custom', path: ['category'], message: 'Select the category of the child protection plan' });
  });

/** The initial child protection conference: a plan (first review within 3 months) or a Child in Need plan. */
export async function recordInitialConference(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const c = parseInput(conferenceSchema, input);
  return act(deps, ctx, 'social-care.icpc', episodeId, async (uow, episode, env) => {
    const to = next(episode, c.outcome === 'plan' ? 'icpc-plan' : 'icpc-no-plan');
    const steps = await stepsOf(uow.tx, episode.id);
    const strategy = [...steps].reverse().find((s) => s.kind === 'strategy-discussion');
    if (strategy && c.heldOn < strategy.startedOn) throw new DomainError('validation', 'There is a problem', { heldOn: `The conference cannot be before its strategy discussion on ${formatLongDate(strategy.startedOn)}` });
    if (c.heldOn > env.today) throw new DomainError('validation', 'There is a problem', { heldOn: 'The date must be today or in the past' });
    const updated = await save(uow.tx, episode, c.version, { status: to }, ctx.now);
    const s47 = steps.find((s) => s.kind === 's47-enquiry' && s.status === 'open');
    if (s47) await uow.tx.update(socialCareSteps).set({ status: 'done', completedOn: c.heldOn, details: { ...(s47.details as Record<string, unknown>), icpcHeldOn: c.heldOn } }).where(eq(socialCareSteps.id, s47.id));
    await addScStep(uow, episode, 'icpc', c.heldOn, { ...c, version: undefined, voluntary: false });
    if (c.outcome === 'plan') {
      await addScStep(uow, episode, 'cp-plan', c.heldOn, { category: c.category, educationSection: c.educationSection, voluntary: false }, true, nextCpReviewDueOn(env.calendar, c.heldOn, true));
      await setProtection(uow, episode.childId, 'cp-plan', env.today);
    } else {
      await setProtection(uow, episode.childId, 'none', env.today);
      await startCinPlan(uow, episode, env, c.educationSection);
    }
    event(uow, episode, 'social-care.icpc', c.outcome === 'plan' ? `Initial child protection conference: child protection plan (${CP_CATEGORIES[c.category!].toLowerCase()})` : 'Initial child protection conference: no plan; a Child in Need plan');
    return updated;
  });
}

export const reviewSchema = z.object({
  version,
  heldOn: isoDate,
  outcome: z.enum(['continue', 'step-down-cin', 'step-down-early-help', 'close'], { error: 'Select the outcome of the review' }),
  summary: required('Enter what the review found'),
  ...viewsShape,
});

/** A plan review: the plan continues (next review scheduled) or steps down. */
export async function recordPlanReview(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const r = parseInput(reviewSchema, input);
  return act(deps, ctx, 'social-care.review', episodeId, async (uow, episode, env) => {
    const isCp = episode.status === 'cp-plan';
    const eventFor: Record<typeof r.outcome, SocialCareEvent> = { continue: isCp ? 'review-cp-plan' : 'review-cin-plan', 'step-down-cin': 'step-down-cin', 'step-down-early-help': 'step-down-early-help', close: 'close' };
    const to = next(episode, eventFor[r.outcome]);
    const steps = await stepsOf(uow.tx, episode.id);
    const plan = [...steps].reverse().find((s) => (s.kind === 'cp-plan' || s.kind === 'cin-plan') && s.status === 'open');
    if (!plan) throw new DomainError('validation', 'There is no open plan to review.');
    if (r.heldOn < plan.startedOn) throw new DomainError('validation', 'There is a problem', { heldOn: `The review cannot be before the plan started on ${formatLongDate(plan.startedOn)}` });
    if (r.heldOn > env.today) throw new DomainError('validation', 'There is a problem', { heldOn: 'The date must be today or in the past' });
    const settings = await loadCouncilSettings(uow.tx);
    const closing = to === 'closed';
    const updated = await save(uow.tx, episode, r.version, { status: to, ...(closing ? { closedOn: env.today, closureReason: 'RC7', closureNoticeDueOn: closureNoticeDueOn(env.calendar, settings.periods, env.today) } : {}) }, ctx.now);
    const agenda = ((plan.details as { agenda?: string[] }).agenda ?? []).slice();
    await addScStep(uow, episode, isCp ? 'cp-review' : 'cin-review', r.heldOn, { ...r, version: undefined, agenda });
    if (r.outcome === 'continue') {
      const dueOn = isCp ? nextCpReviewDueOn(env.calendar, r.heldOn, false) : nextCinReviewDueOn(env.calendar, settings.periods, r.heldOn);
      await uow.tx.update(socialCareSteps).set({ dueOn, details: { ...(plan.details as Record<string, unknown>), agenda: [] } }).where(eq(socialCareSteps.id, plan.id));
    } else {
      await uow.tx.update(socialCareSteps).set({ status: 'done', completedOn: r.heldOn }).where(eq(socialCareSteps.id, plan.id));
      await uow.tx.update(socialCareSteps).set({ status: 'cancelled', completedOn: env.today }).where(and(eq(socialCareSteps.episodeId, episode.id), eq(socialCareSteps.kind, 'direction'), eq(socialCareSteps.status, 'open')));
      if (isCp) await setProtection(uow, episode.childId, 'none', env.today);
      if (r.outcome === 'step-down-cin') await startCinPlan(uow, episode, env, String((plan.details as { educationSection?: string }).educationSection ?? ''));
    }
    event(uow, episode, 'social-care.review', `${isCp ? 'Child protection' : 'Child in Need'} plan review: ${r.outcome.replace(/-/g, ' ')}`);
    return updated;
  });
}

export const directionSchema = z.object({
  text: required('Enter the direction, for example “EHE officer to visit termly”', 1000),
  dueOn: isoDate,
});

/**
 * A direction in a plan for the home education officer (for example "EHE officer to visit termly").
 * It appears as a task in the home education worklist until the officer records it done.
 */
export async function addPlanDirection(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const d = parseInput(directionSchema, input);
  return act(deps, ctx, 'social-care.direction', episodeId, async (uow, episode, env) => {
    if (episode.status !== 'cin-plan' && episode.status !== 'cp-plan') throw new DomainError('validation', 'Directions belong to a Child in Need or child protection plan.');
    if (d.dueOn < env.today) throw new DomainError('validation', 'There is a problem', { dueOn: 'The date must be today or in the future' });
    const step = await addScStep(uow, episode, 'direction', env.today, { to: 'ehe_officer', text: d.text, plan: episode.status }, true, d.dueOn);
    event(uow, episode, 'social-care.direction', `Plan direction for the home education officer: ${d.text}`);
    return step;
  });
}

/**
 * A parent's request to home educate a child on a Child in Need or child protection plan goes on the
 * agenda of the plan's next review or conference. Called by intake in the same transaction.
 */
export async function addHomeEducationToPlanAgenda(uow: UnitOfWork, childId: string, item: string): Promise<void> {
  await addHomeEducationToPlanAgendas(uow, [{ childId, item }]);
}

/** The same for many children at once (bulk intake): one query finds the few with an open plan. */
export async function addHomeEducationToPlanAgendas(uow: UnitOfWork, items: readonly { childId: string; item: string }[]): Promise<void> {
  if (items.length === 0) return;
  const plans = await uow.tx
    .select()
    .from(socialCareSteps)
    .where(and(inArray(socialCareSteps.childId, [...new Set(items.map((i) => i.childId))]), eq(socialCareSteps.status, 'open'), or(eq(socialCareSteps.kind, 'cin-plan'), eq(socialCareSteps.kind, 'cp-plan'))));
  for (const plan of plans) {
    const details = plan.details as { agenda?: string[] };
    const added = items.filter((i) => i.childId === plan.childId).map((i) => i.item);
    await uow.tx.update(socialCareSteps).set({ details: { ...details, agenda: [...(details.agenda ?? []), ...added] } }).where(eq(socialCareSteps.id, plan.id));
    uow.event({ type: 'social-care.agenda', aggregateType: 'social_care_episode', aggregateId: plan.episodeId, childId: plan.childId, summary: 'A request to home educate was put on the agenda of the plan’s next review', visibility: 'social-care' });
  }
}

export interface PlanSummary {
  episodeId: string;
  kind: 'cin-plan' | 'cp-plan';
  startedOn: IsoDate;
  nextReviewOn: IsoDate | null;
  educationSection: string;
  directions: { id: string; text: string; dueOn: IsoDate | null; done: boolean }[];
}

/**
 * What the home education officer may see of a child's social care plan: that it exists, its
 * education section and the directions for them. Nothing else of the social care record.
 */
export async function planForHomeEducation(tx: Tx, childId: string): Promise<PlanSummary | null> {
  const [plan] = await tx
    .select()
    .from(socialCareSteps)
    .where(and(eq(socialCareSteps.childId, childId), eq(socialCareSteps.status, 'open'), or(eq(socialCareSteps.kind, 'cin-plan'), eq(socialCareSteps.kind, 'cp-plan'))))
    .orderBy(desc(socialCareSteps.createdAt))
    .limit(1);
  if (!plan) return null;
  const directions = await tx.select().from(socialCareSteps).where(and(eq(socialCareSteps.episodeId, plan.episodeId), eq(socialCareSteps.kind, 'direction'))).orderBy(asc(socialCareSteps.dueOn));
  return {
    episodeId: plan.episodeId,
    kind: plan.kind as 'cin-plan' | 'cp-plan',
    startedOn: plan.startedOn,
    nextReviewOn: plan.dueOn,
    educationSection: String((plan.details as { educationSection?: string }).educationSection ?? ''),
    directions: directions.filter((d) => d.status !== 'cancelled').map((d) => ({ id: d.id, text: String((d.details as { text: string }).text), dueOn: d.dueOn, done: d.status === 'done' })),
  };
}

/** The home education officer records a plan direction as done (for example, the termly visit made). */
export async function completePlanDirection(deps: SocialCareDeps, ctx: UseCaseContext, directionId: string, input: unknown) {
  const { note } = parseInput(z.object({ note: required('Enter what was done') }), input);
  if (ctx.actor.role !== 'ehe_officer' && ctx.actor.role !== 'team_manager') return refuse(deps, ctx, 'social-care.direction-done', null);
  if (!UUID.safeParse(directionId).success) throw notFound('The direction');
  return deps.runInTransaction(ctx, async (uow) => {
    const [direction] = await uow.tx.select().from(socialCareSteps).where(and(eq(socialCareSteps.id, directionId), eq(socialCareSteps.kind, 'direction')));
    if (!direction) throw notFound('The direction');
    if (direction.status !== 'open') throw staleVersion('direction');
    await uow.tx
      .update(socialCareSteps)
      .set({ status: 'done', completedOn: todayIn(ctx.now), details: { ...(direction.details as Record<string, unknown>), doneNote: note, doneBy: ctx.actor.id } })
      .where(and(eq(socialCareSteps.id, direction.id), eq(socialCareSteps.status, 'open')));
    uow.event({ type: 'social-care.direction-done', aggregateType: 'social_care_episode', aggregateId: direction.episodeId, childId: direction.childId, summary: 'The home education officer completed a plan direction', visibility: 'staff' });
    uow.audit({ action: 'social-care.direction-done', recordType: 'social_care_step', recordId: direction.id, childId: direction.childId });
  });
}

export const CONCERN_KINDS = { escalation: 'Asked for a team manager to look again', complaint: 'Complaint' } as const;

export const concernSchema = z.object({
  kind: z.enum(['escalation', 'complaint'], { error: 'Select whether this is an escalation to a team manager or a complaint' }),
  receivedOn: isoDate,
  from: required('Enter who raised it', 200),
  summary: required('Enter what the family raised'),
});

/** The family escalates to a team manager, or complains: its own step, acknowledged, with an outcome to follow. */
export async function recordFamilyConcern(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const c = parseInput(concernSchema, input);
  return act(deps, ctx, 'social-care.concern', episodeId, async (uow, episode, env) => {
    notFutureNotBefore('receivedOn', c.receivedOn, env.today, episode.referralDate, 'The date cannot be before the referral');
    const step = await addScStep(uow, episode, c.kind, c.receivedOn, { from: c.from, summary: c.summary, acknowledgedOn: env.today, outcome: null }, true, env.calendar.addWorkingDays(c.receivedOn, 10));
    event(uow, episode, `social-care.${c.kind}`, c.kind === 'complaint' ? 'The family made a complaint' : 'The family asked a team manager to look again');
    return step;
  });
}

export const concernOutcomeSchema = z.object({ stepId: z.uuid({ error: 'Select the escalation or complaint' }), outcome: required('Enter the outcome') });

/** The outcome of an escalation or complaint: recorded by a team manager. */
export async function recordConcernOutcome(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const o = parseInput(concernOutcomeSchema, input);
  if (ctx.actor.role !== 'team_manager') return refuse(deps, ctx, 'social-care.concern-outcome', episodeId);
  return act(deps, ctx, 'social-care.concern-outcome', episodeId, async (uow, episode, env) => {
    const [step] = await uow.tx.select().from(socialCareSteps).where(and(eq(socialCareSteps.id, o.stepId), eq(socialCareSteps.episodeId, episode.id), eq(socialCareSteps.status, 'open'), or(eq(socialCareSteps.kind, 'escalation'), eq(socialCareSteps.kind, 'complaint'))));
    if (!step) throw new DomainError('validation', 'There is a problem', { stepId: 'Select an open escalation or complaint' });
    await uow.tx.update(socialCareSteps).set({ status: 'done', completedOn: env.today, details: { ...(step.details as Record<string, unknown>), outcome: o.outcome, decidedBy: ctx.actor.id } }).where(eq(socialCareSteps.id, step.id));
    event(uow, episode, `social-care.${step.kind}-outcome`, step.kind === 'complaint' ? 'Outcome of the complaint recorded' : 'Outcome of the escalation recorded');
  });
}

/** A team manager authorises a completed assessment (the census's assessment authorisation date). */
export async function authoriseAssessment(deps: SocialCareDeps, ctx: UseCaseContext, episodeId: string) {
  if (ctx.actor.role !== 'team_manager') return refuse(deps, ctx, 'social-care.assessment-authorise', episodeId);
  return act(deps, ctx, 'social-care.assessment-authorise', episodeId, async (uow, episode, env) => {
    const [assessment] = await uow.tx.select().from(socialCareSteps).where(and(eq(socialCareSteps.episodeId, episode.id), eq(socialCareSteps.kind, 'assessment'))).orderBy(desc(socialCareSteps.createdAt)).limit(1);
    if (!assessment) throw new DomainError('validation', 'There is no completed assessment to authorise.');
    if ((assessment.details as { authorisedOn?: string | null }).authorisedOn) throw new DomainError('validation', 'The assessment is already authorised.');
    await uow.tx.update(socialCareSteps).set({ details: { ...(assessment.details as Record<string, unknown>), authorisedOn: env.today, authorisedBy: ctx.actor.id } }).where(eq(socialCareSteps.id, assessment.id));
    event(uow, episode, 'social-care.assessment-authorised', 'The assessment was authorised by a team manager');
  });
}
