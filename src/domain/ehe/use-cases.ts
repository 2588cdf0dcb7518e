import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { RunInTransaction, UnitOfWork } from '../../db/unit-of-work.ts';
import { adults, childAdults, children, eheSteps, enrolments, episodes, familyResponses, letters, schools, socialCareSteps, suitabilityJudgements, users } from '../../db/schema/index.ts';
import { loadCouncilSettings } from '../../db/repositories/councils.ts';
import { loadWorkingDayCalendar } from '../../db/repositories/calendar.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { COUNCIL_CASEWORK_ROLES } from '../auth/roles.ts';
import { registerRegimeInForce } from '../council/settings.ts';
import { formatLongDate, todayIn, type IsoDate } from '../calendar/index.ts';
import { DomainError, forbidden, notFound, staleVersion } from '../errors.ts';
import { queueLettersToParents } from '../letters/queue.ts';
import { nextStatus, availableEvents } from '../register/lifecycles.ts';
import { parseInput } from '../validation.ts';
import { registerSummary, type RegisterSummary } from './register-regime.ts';
import { planForHomeEducation, type PlanSummary } from '../social-care/use-cases.ts';
import { informalEnquiryReplyBy, nextAnnualContactOn, s437NoticeExpiresOn, schoolChoiceEndsOn } from './clocks.ts';
import { EHE_EVENT_LABELS, EHE_STATUS_LABELS, EHE_TRANSITIONS, UNSUITABLE_STATUSES, type EheEvent, type EheStatus } from './lifecycle.ts';
import {
  closeSchema,
  familyResponseSchema,
  informationSchema,
  judgementSchema,
  moderationSchema,
  noticeOfIntentionSchema,
  reasonsSchema,
  saoCompliedSchema,
  saoSchema,
  satisfiedSchema,
  s437NoticeSchema,
  schoolChoiceSchema,
  versionOnlySchema,
  type EvidenceKind,
} from './schemas.ts';

export interface EheDeps {
  runInTransaction: RunInTransaction;
  /** Cairn's own address, so letters can link to the council's published policy page. */
  baseUrl?: string | undefined;
}

/** Home education officers and their managers act on episodes; other council staff may read them. */
export const EHE_ACTING_ROLES: readonly string[] = ['ehe_officer', 'team_manager'];
export const EHE_READING_ROLES: readonly string[] = [...COUNCIL_CASEWORK_ROLES, 'data_officer'];

type EpisodeRow = typeof episodes.$inferSelect;
type StepRow = typeof eheSteps.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function refuse(deps: EheDeps, ctx: UseCaseContext, action: string, episodeId: string): Promise<never> {
  await deps.runInTransaction(ctx, async (uow) => {
    uow.audit({ action: `${action}.refused`, recordType: 'episode', recordId: UUID.test(episodeId) ? episodeId : null, childId: null, details: { role: ctx.actor.role } });
  });
  throw forbidden();
}

async function loadEheEpisode(tx: Tx, episodeId: string): Promise<EpisodeRow> {
  if (!UUID.test(episodeId)) throw notFound('The home education episode');
  const [row] = await tx.select().from(episodes).where(and(eq(episodes.id, episodeId), eq(episodes.kind, 'ehe')));
  if (!row) throw notFound('The home education episode');
  return row;
}

/** The status an event leads to, or the reason it cannot happen now. */
function next(episode: EpisodeRow, event: EheEvent): EheStatus {
  const to = nextStatus(EHE_TRANSITIONS, episode.status as EheStatus, event);
  if (!to) {
    throw new DomainError('validation', `You cannot ${EHE_EVENT_LABELS[event].charAt(0).toLowerCase()}${EHE_EVENT_LABELS[event].slice(1)} when the episode is at “${EHE_STATUS_LABELS[episode.status as EheStatus] ?? episode.status}”.`);
  }
  return to;
}

async function save(tx: Tx, episode: EpisodeRow, expectedVersion: number, change: Partial<typeof episodes.$inferInsert>, now: Date): Promise<EpisodeRow> {
  if (episode.version !== expectedVersion) throw staleVersion('home education episode');
  const [updated] = await tx
    .update(episodes)
    .set({ ...change, version: expectedVersion + 1, updatedAt: now })
    .where(and(eq(episodes.id, episode.id), eq(episodes.version, expectedVersion)))
    .returning();
  if (!updated) throw staleVersion('home education episode');
  return updated;
}

async function openSteps(tx: Tx, episodeId: string, kinds?: readonly string[]): Promise<StepRow[]> {
  return tx
    .select()
    .from(eheSteps)
    .where(and(eq(eheSteps.episodeId, episodeId), eq(eheSteps.status, 'open'), kinds ? inArray(eheSteps.kind, [...kinds]) : undefined));
}

async function finishSteps(tx: Tx, episodeId: string, kinds: readonly string[] | undefined, status: 'done' | 'cancelled', today: IsoDate): Promise<void> {
  await tx
    .update(eheSteps)
    .set({ status, completedOn: today })
    .where(and(eq(eheSteps.episodeId, episodeId), eq(eheSteps.status, 'open'), kinds ? inArray(eheSteps.kind, [...kinds]) : undefined));
}

async function addStep(uow: UnitOfWork, episode: EpisodeRow, step: { kind: string; open: boolean; startedOn: IsoDate; dueOn?: IsoDate | null; details?: Record<string, unknown> }): Promise<StepRow> {
  const [row] = await uow.tx
    .insert(eheSteps)
    .values({
      episodeId: episode.id,
      childId: episode.childId,
      kind: step.kind,
      status: step.open ? 'open' : 'done',
      startedOn: step.startedOn,
      dueOn: step.dueOn ?? null,
      completedOn: step.open ? null : step.startedOn,
      details: step.details ?? {},
      recordedBy: ctx(uow).actor.id,
      createdAt: ctx(uow).now,
    })
    .returning();
  return row!;
}

const ctx = (uow: UnitOfWork) => uow.ctx;

function event(uow: UnitOfWork, episode: EpisodeRow, type: string, summary: string, visibility: 'staff' | 'partners' | 'family' = 'family', payload: Record<string, unknown> = {}) {
  uow.event({ type, aggregateType: 'episode', aggregateId: episode.id, childId: episode.childId, summary, visibility, payload });
}

/**
 * Runs one step: checks the role (auditing a refusal), loads the episode, and hands over to the
 * work with the council's settings, the working-day calendar and today's date in England.
 */
async function step<T>(
  deps: EheDeps,
  context: UseCaseContext,
  action: string,
  episodeId: string,
  work: (uow: UnitOfWork, episode: EpisodeRow, env: { today: IsoDate; settings: Awaited<ReturnType<typeof loadCouncilSettings>>; calendar: Awaited<ReturnType<typeof loadWorkingDayCalendar>> }) => Promise<T>,
): Promise<T> {
  if (!EHE_ACTING_ROLES.includes(context.actor.role)) return refuse(deps, context, action, episodeId);
  return deps.runInTransaction(context, async (uow) => {
    const episode = await loadEheEpisode(uow.tx, episodeId);
    const env = { today: todayIn(context.now), settings: await loadCouncilSettings(uow.tx), calendar: await loadWorkingDayCalendar(uow.tx) };
    const result = await work(uow, episode, env);
    uow.audit({ action, recordType: 'episode', recordId: episode.id, childId: episode.childId });
    return result;
  });
}

function dateNotBefore(field: string, value: IsoDate, earliest: IsoDate, message: string): void {
  if (value < earliest) throw new DomainError('validation', 'There is a problem', { [field]: message });
}
function dateNotAfter(field: string, value: IsoDate, latest: IsoDate, message: string): void {
  if (value > latest) throw new DomainError('validation', 'There is a problem', { [field]: message });
}

async function childOf(tx: Tx, childId: string) {
  const [child] = await tx.select().from(children).where(eq(children.id, childId));
  return child!;
}

async function scheduleAnnualContact(uow: UnitOfWork, episode: EpisodeRow, env: { today: IsoDate; settings: { periods: Parameters<typeof nextAnnualContactOn>[1] }; calendar: Parameters<typeof nextAnnualContactOn>[0] }): Promise<IsoDate> {
  const dueOn = nextAnnualContactOn(env.calendar, env.settings.periods, env.today);
  await finishSteps(uow.tx, episode.id, ['annual-contact'], 'cancelled', env.today);
  await addStep(uow, episode, { kind: 'annual-contact', open: true, startedOn: env.today, dueOn });
  return dueOn;
}

// -------------------------------------------------------------------------------------------------
// Enquiry and information
// -------------------------------------------------------------------------------------------------

/** Writes to the family to ask about the child's education, with a reply date. The letter is queued. */
export async function sendInformalEnquiry(deps: EheDeps, context: UseCaseContext, episodeId: string, input: unknown) {
  const { version } = parseInput(versionOnlySchema, input);
  return step(deps, context, 'ehe.informal-enquiry', episodeId, async (uow, episode, env) => {
    const to = next(episode, 'send-informal-enquiry');
    const replyBy = informalEnquiryReplyBy(env.calendar, env.settings.periods, env.today);
    const updated = await save(uow.tx, episode, version, { status: to }, context.now);
    await finishSteps(uow.tx, episode.id, ['annual-contact', 'informal-enquiry'], 'done', env.today);
    const s = await addStep(uow, episode, { kind: 'informal-enquiry', open: true, startedOn: env.today, dueOn: replyBy, details: { replyBy } });
    await queueLettersToParents(uow, { childId: episode.childId, episodeId: episode.id, stepId: s.id, templateKey: 'informal-enquiry', data: { replyBy: formatLongDate(replyBy) } }, { baseUrl: deps.baseUrl });
    event(uow, episode, 'ehe.informal-enquiry-sent', `Informal enquiry sent; reply asked for by ${formatLongDate(replyBy)}`);
    return { episode: updated, replyBy };
  });
}

/**
 * Records information from the family or others: a report, samples, a meeting or visit (offered,
 * accepted or declined) or that no reply came by the reply date.
 */
export async function recordInformation(deps: EheDeps, context: UseCaseContext, episodeId: string, input: unknown) {
  const info = parseInput(informationSchema, input);
  return step(deps, context, 'ehe.record-information', episodeId, async (uow, episode, env) => {
    const to = next(episode, 'record-information');
    const child = await childOf(uow.tx, episode.childId);
    dateNotAfter('receivedOn', info.receivedOn, env.today, 'The date must be today or in the past');
    dateNotBefore('receivedOn', info.receivedOn, child.dateOfBirth, 'The date must be after the child’s date of birth');
    const [enquiry] = await openSteps(uow.tx, episode.id, ['informal-enquiry']);
    if (info.kind === 'no-response') {
      if (!enquiry) throw new DomainError('validation', 'There is a problem', { kind: 'Send an informal enquiry before recording that no reply came' });
      if (env.today <= enquiry.dueOn!) throw new DomainError('validation', 'There is a problem', { kind: `You can record that no reply came only after the reply date, ${formatLongDate(enquiry.dueOn!)}` });
    }
    const answersEnquiry = info.kind !== 'meeting' && info.kind !== 'visit' ? true : info.response === 'accepted';
    const updated = await save(uow.tx, episode, info.version, { status: to }, context.now);
    if (answersEnquiry) await finishSteps(uow.tx, episode.id, ['informal-enquiry'], 'done', env.today);
    await addStep(uow, episode, { kind: 'information', open: false, startedOn: info.receivedOn, details: { kind: info.kind, response: info.response, summary: info.summary } });
    event(uow, episode, 'ehe.information-recorded', `Information recorded: ${info.kind.replace(/-/g, ' ')} (${info.response})`);
    return updated;
  });
}

// -------------------------------------------------------------------------------------------------
// Judgement and moderation
// -------------------------------------------------------------------------------------------------

/**
 * Records a suitability judgement against the legal test. "Suitable" takes effect now and schedules
 * the next annual contact; "not suitable" or "not satisfied" waits for a second officer.
 */
export async function recordJudgement(deps: EheDeps, context: UseCaseContext, episodeId: string, input: unknown) {
  const j = parseInput(judgementSchema, input);
  return step(deps, context, 'ehe.judgement', episodeId, async (uow, episode, env) => {
    const negative = j.outcome !== 'suitable';
    const to = next(episode, negative ? 'judge-not-suitable' : 'judge-suitable');
    const evidence = j.evidence as EvidenceKind[];
    if (negative && evidence.every((e) => e === 'visit-declined')) {
      throw new DomainError('validation', 'There is a problem', {
        evidence: 'A declined visit is never by itself a reason to find education unsuitable. Consider the other ways the family can show the education, such as a written report, samples of work or a meeting elsewhere.',
      });
    }
    const updated = await save(uow.tx, episode, j.version, { status: to }, context.now);
    const [judgement] = await uow.tx
      .insert(suitabilityJudgements)
      .values({
        episodeId: episode.id,
        childId: episode.childId,
        efficient: j.efficient,
        fullTime: j.fullTime,
        suitableToAgeAbilityAptitude: j.suitableToAgeAbilityAptitude,
        suitableToSen: j.suitableToSen,
        evidence,
        reasoning: j.reasoning,
        outcome: j.outcome,
        status: negative ? 'awaiting-moderation' : 'in-effect',
        judgedBy: context.actor.id!,
        judgedOn: env.today,
        familyResponse: j.familyResponse ?? null,
        childViews: j.childViews ?? null,
        createdAt: context.now,
      })
      .returning();
    if (negative) {
      await addStep(uow, episode, { kind: 'moderation', open: true, startedOn: env.today, details: { judgementId: judgement!.id, outcome: j.outcome } });
      event(uow, episode, 'ehe.judgement-recorded', `Suitability judgement recorded (${j.outcome.replace(/-/g, ' ')}); it takes effect when a second officer has moderated it`, 'staff');
    } else {
      const nextContactOn = await scheduleAnnualContact(uow, episode, env);
      await queueLettersToParents(uow, { childId: episode.childId, episodeId: episode.id, templateKey: 'suitability-outcome', data: { outcome: 'suitable', reasoning: j.reasoning, nextContactOn: formatLongDate(nextContactOn) } }, { baseUrl: deps.baseUrl });
      event(uow, episode, 'ehe.judged-suitable', `Education judged suitable; next contact due ${formatLongDate(nextContactOn)}`);
    }
    return { episode: updated, judgementId: judgement!.id };
  });
}

/** A second officer agrees (the outcome takes effect, and the family is told) or returns the judgement. */
export async function moderateJudgement(deps: EheDeps, context: UseCaseContext, episodeId: string, input: unknown) {
  const m = parseInput(moderationSchema, input);
  return step(deps, context, 'ehe.moderate', episodeId, async (uow, episode, env) => {
    const to = next(episode, m.decision === 'agree' ? 'confirm-judgement' : 'return-judgement');
    const [judgement] = await uow.tx
      .select()
      .from(suitabilityJudgements)
      .where(and(eq(suitabilityJudgements.episodeId, episode.id), eq(suitabilityJudgements.status, 'awaiting-moderation')))
      .orderBy(desc(suitabilityJudgements.createdAt))
      .limit(1);
    if (!judgement) throw new DomainError('validation', 'There is no judgement waiting for moderation.');
    if (judgement.judgedBy === context.actor.id) throw new DomainError('validation', 'There is a problem', { decision: 'A second officer must moderate this judgement: you made it' });
    const updated = await save(uow.tx, episode, m.version, { status: to }, context.now);
    await uow.tx
      .update(suitabilityJudgements)
      .set({ status: m.decision === 'agree' ? 'in-effect' : 'returned', moderatedBy: context.actor.id, moderatedAt: context.now, moderationNote: m.note ?? null, version: judgement.version + 1 })
      .where(eq(suitabilityJudgements.id, judgement.id));
    await finishSteps(uow.tx, episode.id, ['moderation'], 'done', env.today);
    if (m.decision === 'agree') {
      await queueLettersToParents(uow, { childId: episode.childId, episodeId: episode.id, templateKey: 'suitability-outcome', data: { outcome: judgement.outcome, reasoning: judgement.reasoning } }, { baseUrl: deps.baseUrl });
      event(uow, episode, 'ehe.judgement-confirmed', `Judgement moderated and in effect: ${judgement.outcome.replace(/-/g, ' ')}`);
    } else {
      event(uow, episode, 'ehe.judgement-returned', 'Judgement returned by the moderating officer', 'staff');
    }
    return updated;
  });
}

// -------------------------------------------------------------------------------------------------
// Formal steps
// -------------------------------------------------------------------------------------------------

/** s437(1): a notice requiring the parent to satisfy the council within the period. */
export async function serveS437Notice(deps: EheDeps, context: UseCaseContext, episodeId: string, input: unknown) {
  const n = parseInput(s437NoticeSchema, input);
  return step(deps, context, 'ehe.s437-notice', episodeId, async (uow, episode, env) => {
    const to = next(episode, 'serve-s437-notice');
    const { servedOn, expiresOn } = s437NoticeExpiresOn(env.calendar, env.settings.periods, env.today);
    const updated = await save(uow.tx, episode, n.version, { status: to }, context.now);
    await finishSteps(uow.tx, episode.id, ['preliminary-notice'], 'done', env.today);
    const s = await addStep(uow, episode, { kind: 's437-notice', open: true, startedOn: env.today, dueOn: expiresOn, details: { postedOn: env.today, servedOn, expiresOn, concerns: n.concerns, periodDays: env.settings.periods.s437NoticeDays } });
    await queueLettersToParents(uow, { childId: episode.childId, episodeId: episode.id, stepId: s.id, templateKey: 's437-notice', data: { servedOn: formatLongDate(servedOn), expiresOn: formatLongDate(expiresOn), concerns: n.concerns } }, { baseUrl: deps.baseUrl });
    event(uow, episode, 'ehe.s437-notice-served', `Section 437(1) notice served on ${formatLongDate(servedOn)}; the period ends on ${formatLongDate(expiresOn)}`);
    return { episode: updated, servedOn, expiresOn };
  });
}

/** The council is satisfied after all (in answer to a notice): suitable, with the next annual contact. */
export async function recordSatisfied(deps: EheDeps, context: UseCaseContext, episodeId: string, input: unknown) {
  const s = parseInput(satisfiedSchema, input);
  return step(deps, context, 'ehe.satisfied', episodeId, async (uow, episode, env) => {
    const to = next(episode, 'record-satisfied');
    const updated = await save(uow.tx, episode, s.version, { status: to }, context.now);
    await finishSteps(uow.tx, episode.id, ['preliminary-notice', 's437-notice', 'notice-of-intention'], 'done', env.today);
    await addStep(uow, episode, { kind: 'satisfied', open: false, startedOn: env.today, details: { reasons: s.reasons } });
    const nextContactOn = await scheduleAnnualContact(uow, episode, env);
    await queueLettersToParents(uow, { childId: episode.childId, episodeId: episode.id, templateKey: 'suitability-outcome', data: { outcome: 'suitable', reasoning: s.reasons, nextContactOn: formatLongDate(nextContactOn) } }, { baseUrl: deps.baseUrl });
    event(uow, episode, 'ehe.satisfied', 'The council is satisfied the child is receiving suitable education');
    return updated;
  });
}

async function schoolsByIds(tx: Tx, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return tx.select({ id: schools.id, name: schools.name, urn: schools.urn }).from(schools).where(inArray(schools.id, [...ids]));
}

/** s437(3): after the notice period, the council names the schools it may name in an order. */
export async function serveNoticeOfIntention(deps: EheDeps, context: UseCaseContext, episodeId: string, input: unknown) {
  const n = parseInput(noticeOfIntentionSchema, input);
  return step(deps, context, 'ehe.notice-of-intention', episodeId, async (uow, episode, env) => {
    const to = next(episode, 'serve-notice-of-intention');
    const [notice] = await openSteps(uow.tx, episode.id, ['s437-notice']);
    if (notice && env.today <= notice.dueOn!) throw new DomainError('validation', `A notice of intention cannot be served before the notice period ends on ${formatLongDate(notice.dueOn!)}.`);
    const named = await schoolsByIds(uow.tx, n.schoolIds);
    if (named.length !== new Set(n.schoolIds).size) throw new DomainError('validation', 'There is a problem', { schoolIds: 'Select schools from the list' });
    const { servedOn, choiceEndsOn } = schoolChoiceEndsOn(env.calendar, env.settings.periods, env.today);
    const updated = await save(uow.tx, episode, n.version, { status: to }, context.now);
    await finishSteps(uow.tx, episode.id, ['s437-notice'], 'done', env.today);
    const s = await addStep(uow, episode, { kind: 'notice-of-intention', open: true, startedOn: env.today, dueOn: choiceEndsOn, details: { postedOn: env.today, servedOn, choiceEndsOn, schools: named } });
    await queueLettersToParents(uow, { childId: episode.childId, episodeId: episode.id, stepId: s.id, templateKey: 'notice-of-intention', data: { servedOn: formatLongDate(servedOn), choiceEndsOn: formatLongDate(choiceEndsOn), schools: named.map((x) => x.name) } }, { baseUrl: deps.baseUrl });
    event(uow, episode, 'ehe.notice-of-intention-served', `Notice of intention to serve a School Attendance Order served on ${formatLongDate(servedOn)}; the parent may choose a school until ${formatLongDate(choiceEndsOn)}`);
    return { episode: updated, servedOn, choiceEndsOn };
  });
}

/** The parent chose a school within the choice period; the order will name it. */
export async function recordSchoolChoice(deps: EheDeps, context: UseCaseContext, episodeId: string, input: unknown) {
  const c = parseInput(schoolChoiceSchema, input);
  return step(deps, context, 'ehe.school-choice', episodeId, async (uow, episode, env) => {
    const to = next(episode, 'record-school-choice');
    const [notice] = await openSteps(uow.tx, episode.id, ['notice-of-intention']);
    if (!notice) throw new DomainError('validation', 'There is no notice of intention waiting for the parent’s choice.');
    dateNotAfter('receivedOn', c.receivedOn, env.today, 'The date must be today or in the past');
    dateNotBefore('receivedOn', c.receivedOn, notice.startedOn, 'The choice cannot come before the notice of intention was sent');
    dateNotAfter('receivedOn', c.receivedOn, notice.dueOn!, `The parent’s choice had to reach the council by ${formatLongDate(notice.dueOn!)}`);
    const [school] = await schoolsByIds(uow.tx, [c.schoolId]);
    if (!school) throw new DomainError('validation', 'There is a problem', { schoolId: 'Select a school from the list' });
    const updated = await save(uow.tx, episode, c.version, { status: to }, context.now);
    await uow.tx.update(eheSteps).set({ details: { ...(notice.details as Record<string, unknown>), chosenSchool: school, chosenOn: c.receivedOn } }).where(eq(eheSteps.id, notice.id));
    await addStep(uow, episode, { kind: 'school-choice', open: false, startedOn: c.receivedOn, details: { school } });
    event(uow, episode, 'ehe.school-chosen', `The parent chose ${school.name}`);
    return updated;
  });
}

/** The order itself, once the choice period is over (or the parent has chosen). */
export async function serveSchoolAttendanceOrder(deps: EheDeps, context: UseCaseContext, episodeId: string, input: unknown) {
  const o = parseInput(saoSchema, input);
  return step(deps, context, 'ehe.sao', episodeId, async (uow, episode, env) => {
    const to = next(episode, 'serve-sao');
    const [notice] = await openSteps(uow.tx, episode.id, ['notice-of-intention']);
    if (!notice) throw new DomainError('validation', 'There is no notice of intention for this episode.');
    const details = notice.details as { schools: { id: string; name: string }[]; chosenSchool?: { id: string; name: string } };
    if (!details.chosenSchool && env.today <= notice.dueOn!) throw new DomainError('validation', `A School Attendance Order cannot be served before the choice period ends on ${formatLongDate(notice.dueOn!)}.`);
    const allowed = details.chosenSchool ? [details.chosenSchool] : details.schools;
    const school = allowed.find((s) => s.id === o.schoolId);
    if (!school) throw new DomainError('validation', 'There is a problem', { schoolId: details.chosenSchool ? `The order must name the school the parent chose, ${details.chosenSchool.name}` : 'Name one of the schools in the notice of intention' });
    const updated = await save(uow.tx, episode, o.version, { status: to }, context.now);
    await finishSteps(uow.tx, episode.id, ['notice-of-intention'], 'done', env.today);
    const s = await addStep(uow, episode, { kind: 'school-attendance-order', open: true, startedOn: env.today, details: { school, servedOn: env.today } });
    await queueLettersToParents(uow, { childId: episode.childId, episodeId: episode.id, stepId: s.id, templateKey: 'school-attendance-order', data: { servedOn: formatLongDate(env.today), school: school.name } }, { baseUrl: deps.baseUrl });
    event(uow, episode, 'ehe.sao-served', `School Attendance Order served naming ${school.name}`);
    return updated;
  });
}

async function saoSchool(tx: Tx, episodeId: string): Promise<{ step: StepRow; school: { id: string; name: string } }> {
  const [order] = await tx.select().from(eheSteps).where(and(eq(eheSteps.episodeId, episodeId), eq(eheSteps.kind, 'school-attendance-order'))).orderBy(desc(eheSteps.createdAt)).limit(1);
  if (!order) throw new DomainError('validation', 'No School Attendance Order has been served.');
  return { step: order, school: (order.details as { school: { id: string; name: string } }).school };
}

/** The child is on the named school's roll: the order is complied with and the episode closes. */
export async function recordSaoComplied(deps: EheDeps, context: UseCaseContext, episodeId: string, input: unknown) {
  const c = parseInput(saoCompliedSchema, input);
  return step(deps, context, 'ehe.sao-complied', episodeId, async (uow, episode, env) => {
    const to = next(episode, 'record-sao-complied');
    const { step: order, school } = await saoSchool(uow.tx, episode.id);
    dateNotAfter('startDate', c.startDate, env.today, 'The start date must be today or in the past');
    dateNotBefore('startDate', c.startDate, order.startedOn, 'The start date cannot be before the order was served');
    const updated = await save(uow.tx, episode, c.version, { status: to, closedOn: env.today, closeReason: 'sao-complied', outcome: { school } }, context.now);
    const [onRoll] = await uow.tx.select({ id: enrolments.id }).from(enrolments).where(and(eq(enrolments.childId, episode.childId), eq(enrolments.schoolId, school.id), isNull(enrolments.endDate)));
    if (!onRoll) await uow.tx.insert(enrolments).values({ childId: episode.childId, schoolId: school.id, startDate: c.startDate, createdAt: context.now });
    await finishSteps(uow.tx, episode.id, undefined, 'done', env.today);
    await addStep(uow, episode, { kind: 'sao-complied', open: false, startedOn: env.today, details: { school, startDate: c.startDate } });
    event(uow, episode, 'ehe.sao-complied', `The child is on the roll of ${school.name}; the School Attendance Order has been complied with`, 'partners');
    return updated;
  });
}

/** The order is revoked (for example, suitable education is now shown); the family is told why. */
export async function revokeSao(deps: EheDeps, context: UseCaseContext, episodeId: string, input: unknown) {
  const r = parseInput(reasonsSchema, input);
  return step(deps, context, 'ehe.sao-revoked', episodeId, async (uow, episode, env) => {
    const to = next(episode, 'revoke-sao');
    const { school } = await saoSchool(uow.tx, episode.id);
    const updated = await save(uow.tx, episode, r.version, { status: to, closedOn: env.today, closeReason: 'sao-revoked', outcome: { school, reasons: r.reasons } }, context.now);
    await finishSteps(uow.tx, episode.id, undefined, 'done', env.today);
    await addStep(uow, episode, { kind: 'sao-revoked', open: false, startedOn: env.today, details: { reasons: r.reasons } });
    await queueLettersToParents(uow, { childId: episode.childId, episodeId: episode.id, templateKey: 'sao-revoked', data: { revokedOn: formatLongDate(env.today), reasons: r.reasons } }, { baseUrl: deps.baseUrl });
    event(uow, episode, 'ehe.sao-revoked', 'School Attendance Order revoked');
    return updated;
  });
}

/** The order has not been complied with and the council refers the parent for prosecution (s443). */
export async function referForProsecution(deps: EheDeps, context: UseCaseContext, episodeId: string, input: unknown) {
  const r = parseInput(reasonsSchema, input);
  return step(deps, context, 'ehe.prosecution', episodeId, async (uow, episode, env) => {
    const to = next(episode, 'refer-for-prosecution');
    const updated = await save(uow.tx, episode, r.version, { status: to }, context.now);
    await addStep(uow, episode, { kind: 'prosecution', open: false, startedOn: env.today, details: { reasons: r.reasons } });
    event(uow, episode, 'ehe.prosecution', 'Referred for prosecution for not complying with the School Attendance Order', 'staff');
    return updated;
  });
}

/** Ends the episode when the family moves away (with a hand-over) or the child passes compulsory school age. */
export async function closeEheEpisode(deps: EheDeps, context: UseCaseContext, episodeId: string, input: unknown) {
  const c = parseInput(closeSchema, input);
  return step(deps, context, 'ehe.close', episodeId, async (uow, episode, env) => {
    const to = next(episode, 'close');
    const updated = await save(uow.tx, episode, c.version, { status: to, closedOn: env.today, closeReason: c.reason, outcome: { newCouncil: c.newCouncil ?? null, handOverNotes: c.handOverNotes ?? null } }, context.now);
    await finishSteps(uow.tx, episode.id, undefined, 'cancelled', env.today);
    await addStep(uow, episode, { kind: 'closed', open: false, startedOn: env.today, details: { reason: c.reason, newCouncil: c.newCouncil ?? null } });
    event(uow, episode, 'ehe.closed', c.reason === 'moved-away' ? `Home education episode closed: moved to ${c.newCouncil}, handed over` : 'Home education episode closed: passed compulsory school age');
    return updated;
  });
}

/** A parent's written response, attached to the step it answers. Not a change of stage. */
export async function recordFamilyResponse(deps: EheDeps, context: UseCaseContext, episodeId: string, input: unknown) {
  const r = parseInput(familyResponseSchema, input);
  return step(deps, context, 'ehe.family-response', episodeId, async (uow, episode, env) => {
    if (episode.closedOn) throw new DomainError('validation', 'This episode is closed.');
    dateNotAfter('receivedOn', r.receivedOn, env.today, 'The date must be today or in the past');
    dateNotBefore('receivedOn', r.receivedOn, episode.openedOn, 'The date cannot be before the episode opened');
    if (r.stepId) {
      const [s] = await uow.tx.select({ id: eheSteps.id }).from(eheSteps).where(and(eq(eheSteps.id, r.stepId), eq(eheSteps.episodeId, episode.id)));
      if (!s) throw new DomainError('validation', 'There is a problem', { stepId: 'Select a step from the list' });
    }
    const [saved] = await uow.tx
      .insert(familyResponses)
      .values({ episodeId: episode.id, childId: episode.childId, stepId: r.stepId ?? null, receivedOn: r.receivedOn, method: r.method, summary: r.summary, recordedBy: context.actor.id, createdAt: context.now })
      .returning();
    event(uow, episode, 'ehe.family-response', `The family’s response recorded (${r.method})`);
    return saved!;
  });
}

// -------------------------------------------------------------------------------------------------
// Reading
// -------------------------------------------------------------------------------------------------

export interface EheEpisodeView {
  episode: EpisodeRow;
  child: typeof children.$inferSelect;
  parents: { id: string; name: string; writtenOnly: boolean; channel: string; contactFormat: string | null; contactLanguage: string | null; parentalResponsibility: boolean }[];
  steps: (StepRow & { recordedByName: string | null })[];
  judgements: (typeof suitabilityJudgements.$inferSelect & { judgedByName: string; moderatedByName: string | null })[];
  responses: (typeof familyResponses.$inferSelect)[];
  letters: { id: string; subject: string; recipientName: string; channel: string; status: string; createdAt: Date }[];
  schools: { id: string; name: string; urn: string }[];
  availableEvents: EheEvent[];
  /** The open step with a clock, if any: what is due next and when. */
  openClocks: StepRow[];
  countsAsMissingEducation: boolean;
  /** The 2026 register entry, when the council has the regime on. */
  register: RegisterSummary;
  /** A social care plan for the child: only its education section and the directions for this team. */
  plan: PlanSummary | null;
  allowed: { act: boolean };
}

/** One home education episode with its steps, judgements, responses and letters. Audited. */
export async function viewEheEpisode(deps: EheDeps, context: UseCaseContext, episodeId: string): Promise<EheEpisodeView> {
  if (!EHE_READING_ROLES.includes(context.actor.role)) return refuse(deps, context, 'ehe.view', episodeId);
  return deps.runInTransaction(context, async (uow) => {
    const episode = await loadEheEpisode(uow.tx, episodeId);
    const child = await childOf(uow.tx, episode.childId);
    const parents = await uow.tx
      .select({ adult: adults, link: childAdults })
      .from(childAdults)
      .innerJoin(adults, eq(adults.id, childAdults.adultId))
      .where(eq(childAdults.childId, episode.childId))
      .orderBy(asc(adults.lastName));
    const steps = await uow.tx
      .select({ s: eheSteps, name: users.displayName })
      .from(eheSteps)
      .leftJoin(users, eq(users.id, eheSteps.recordedBy))
      .where(eq(eheSteps.episodeId, episode.id))
      .orderBy(asc(eheSteps.createdAt));
    const judged = await uow.tx.select().from(suitabilityJudgements).where(eq(suitabilityJudgements.episodeId, episode.id)).orderBy(desc(suitabilityJudgements.createdAt));
    const names = new Map(
      (judged.length ? await uow.tx.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, [...new Set(judged.flatMap((j) => [j.judgedBy, j.moderatedBy].filter((x): x is string => x !== null)))])) : []).map((u) => [u.id, u.name]),
    );
    const responses = await uow.tx.select().from(familyResponses).where(eq(familyResponses.episodeId, episode.id)).orderBy(desc(familyResponses.receivedOn));
    const sent = await uow.tx
      .select({ id: letters.id, subject: letters.subject, recipientName: letters.recipientName, channel: letters.channel, status: letters.status, createdAt: letters.createdAt })
      .from(letters)
      .where(eq(letters.episodeId, episode.id))
      .orderBy(desc(letters.createdAt));
    const schoolList = await uow.tx.select({ id: schools.id, name: schools.name, urn: schools.urn }).from(schools).orderBy(asc(schools.name));
    const register = registerSummary(await loadCouncilSettings(uow.tx), steps.map(({ s }) => s), todayIn(context.now));
    const plan = await planForHomeEducation(uow.tx, episode.childId);
    uow.audit({ action: 'ehe.view', recordType: 'episode', recordId: episode.id, childId: episode.childId });
    return {
      episode,
      child,
      parents: parents.map(({ adult, link }) => ({
        id: adult.id,
        name: `${adult.firstName} ${adult.lastName}`,
        writtenOnly: adult.contactPreference === 'written-only',
        channel: adult.preferredChannel === 'email' && adult.email ? 'email' : 'post',
        contactFormat: adult.contactFormat,
        contactLanguage: adult.contactLanguage,
        parentalResponsibility: link.parentalResponsibility,
      })),
      steps: steps.map(({ s, name }) => ({ ...s, recordedByName: name })),
      judgements: judged.map((j) => ({ ...j, judgedByName: names.get(j.judgedBy) ?? '', moderatedByName: j.moderatedBy ? (names.get(j.moderatedBy) ?? null) : null })),
      responses,
      letters: sent,
      schools: schoolList,
      availableEvents: availableEvents(EHE_TRANSITIONS, episode.status as EheStatus).filter((e) => e !== 'close-on-admission' && (e !== 'serve-preliminary-notice' || register.overdueRequest !== null)),
      openClocks: steps.map(({ s }) => s).filter((s) => s.status === 'open' && s.dueOn !== null),
      countsAsMissingEducation: UNSUITABLE_STATUSES.includes(episode.status as EheStatus),
      register,
      plan,
      allowed: { act: EHE_ACTING_ROLES.includes(context.actor.role) },
    };
  });
}

export interface EheWorkItem {
  stepId: string;
  kind: string;
  dueOn: string | null;
  episodeId: string;
  status: string;
  childId: string;
  childName: string;
  allocatedTo: string | null;
}

/**
 * The home education worklist: every open step with a due date (overdue first), and judgements
 * waiting for moderation. An officer sees episodes allocated to them or to nobody; a manager sees all.
 */
export async function listEheWork(
  deps: EheDeps,
  context: UseCaseContext,
): Promise<{
  overdue: EheWorkItem[];
  dueSoon: EheWorkItem[];
  awaitingModeration: EheWorkItem[];
  directions: (EheWorkItem & { text: string })[];
  newlyNotified: { episodeId: string; childId: string; childName: string; openedOn: string; openedBy: string }[];
  today: string;
  registerInForce: boolean;
}> {
  if (!EHE_ACTING_ROLES.includes(context.actor.role)) return refuse(deps, context, 'ehe.worklist', '');
  return deps.runInTransaction(context, async (uow) => {
    const today = todayIn(context.now);
    const soon = new Date(Date.parse(`${today}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10);
    const rows = await uow.tx
      .select({ s: eheSteps, e: episodes, firstName: children.firstName, lastName: children.lastName })
      .from(eheSteps)
      .innerJoin(episodes, eq(episodes.id, eheSteps.episodeId))
      .innerJoin(children, eq(children.id, eheSteps.childId))
      .where(and(eq(eheSteps.status, 'open'), isNull(episodes.closedOn)))
      .orderBy(asc(eheSteps.dueOn));
    const mine = context.actor.role === 'team_manager' ? rows : rows.filter((r) => r.e.allocatedTo === null || r.e.allocatedTo === context.actor.id);
    const items: EheWorkItem[] = mine.map((r) => ({ stepId: r.s.id, kind: r.s.kind, dueOn: r.s.dueOn, episodeId: r.e.id, status: r.e.status, childId: r.s.childId, childName: `${r.firstName} ${r.lastName}`, allocatedTo: r.e.allocatedTo }));
    // Directions in a social care plan for the home education officer are tasks here too.
    const directions = await uow.tx
      .select({ d: socialCareSteps, firstName: children.firstName, lastName: children.lastName, eheEpisodeId: episodes.id })
      .from(socialCareSteps)
      .innerJoin(children, eq(children.id, socialCareSteps.childId))
      .leftJoin(episodes, and(eq(episodes.childId, socialCareSteps.childId), eq(episodes.kind, 'ehe'), isNull(episodes.closedOn)))
      .where(and(eq(socialCareSteps.kind, 'direction'), eq(socialCareSteps.status, 'open')))
      .orderBy(asc(socialCareSteps.dueOn));
    const directionItems = directions.map((r) => ({
      stepId: r.d.id,
      kind: 'plan-direction',
      dueOn: r.d.dueOn,
      episodeId: r.eheEpisodeId ?? '',
      status: 'open',
      childId: r.d.childId,
      childName: `${r.firstName} ${r.lastName}`,
      allocatedTo: null,
      text: String((r.d.details as { text?: string }).text ?? ''),
    }));
    // Families who have just told the council (or been reported by a school), with no step yet.
    const fresh = await uow.tx
      .select({ e: episodes, firstName: children.firstName, lastName: children.lastName })
      .from(episodes)
      .innerJoin(children, eq(children.id, episodes.childId))
      .where(and(eq(episodes.kind, 'ehe'), eq(episodes.status, 'notified'), isNull(episodes.closedOn), sql`not exists (select 1 from ${eheSteps} s where s.episode_id = ${episodes.id})`))
      .orderBy(asc(episodes.openedOn));
    const newlyNotified = fresh
      .filter((r) => context.actor.role === 'team_manager' || r.e.allocatedTo === null || r.e.allocatedTo === context.actor.id)
      .map((r) => ({ episodeId: r.e.id, childId: r.e.childId, childName: `${r.firstName} ${r.lastName}`, openedOn: r.e.openedOn, openedBy: r.e.openedBy }));
    uow.audit({ action: 'ehe.worklist', recordType: 'episode', recordId: null, childId: null, details: { items: items.length, newlyNotified: newlyNotified.length } });
    return {
      newlyNotified,
      overdue: items.filter((i) => i.dueOn !== null && i.dueOn < today),
      dueSoon: items.filter((i) => i.dueOn !== null && i.dueOn >= today && i.dueOn <= soon),
      awaitingModeration: items.filter((i) => i.kind === 'moderation'),
      directions: directionItems,
      today,
      registerInForce: registerRegimeInForce(await loadCouncilSettings(uow.tx), today),
    };
  });
}
