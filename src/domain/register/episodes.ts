import { and, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import { children, cmeEnquiries, deletionReturns, episodes, schools, users } from '../../db/schema/index.ts';
import type { RunInTransaction, UnitOfWork } from '../../db/unit-of-work.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { COUNCIL_CASEWORK_ROLES } from '../auth/roles.ts';
import { isoDate } from '../children/schemas.ts';
import { DomainError, forbidden, notFound, staleVersion } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { CME_TRANSITIONS, EHE_TRANSITIONS, availableEvents, nextStatus, type CmeEvent, type CmeStatus, type EheStatus } from './lifecycles.ts';
import { JOINT_ENQUIRY_GROUNDS, type DeletionGround } from './reference-data.ts';

/**
 * Use cases for episodes on the register, chiefly the child-missing-education case: reasonable
 * enquiries, escalation when the child cannot be found, recording where they were found, allocation,
 * the case page and the worklists. Every change moves status only through CME_TRANSITIONS.
 */

export interface EpisodeDeps {
  runInTransaction: RunInTransaction;
}

/** Council roles that work cases. A data officer may read them; nobody else may see them. */
export const EPISODE_ACTING_ROLES: readonly string[] = COUNCIL_CASEWORK_ROLES;
export const EPISODE_READING_ROLES: readonly string[] = [...COUNCIL_CASEWORK_ROLES, 'data_officer'];

/** An open case with no enquiry (or, before any, no opening) in this many days is overdue. */
export const ENQUIRY_OVERDUE_DAYS = 10;
/** A case identified within this many days is on the "new" worklist. */
export const NEW_CASE_DAYS = 14;

export const WORKLISTS = {
  new: 'New cases',
  unallocated: 'Unallocated',
  'enquiries-overdue': 'Enquiries overdue',
} as const;
export type WorklistName = keyof typeof WORKLISTS;
export const isWorklist = (name: string): name is WorklistName => Object.hasOwn(WORKLISTS, name);

export const ENQUIRY_METHODS = {
  phone: 'Phone',
  email: 'Email',
  letter: 'Letter',
  'home-visit': 'Home visit',
  school: 'School',
  'other-council': 'Other council',
  health: 'Health',
  police: 'Police',
  'database-check': 'Database check',
} as const;
export type EnquiryMethod = keyof typeof ENQUIRY_METHODS;
const ENQUIRY_METHOD_CODES = Object.keys(ENQUIRY_METHODS) as [EnquiryMethod, ...EnquiryMethod[]];

export const LOCATED_PLACES = {
  school: 'Back at a school',
  'home-educated': 'Home educated',
  'moved-away': 'Moved to another council',
} as const;
export type LocatedPlace = keyof typeof LOCATED_PLACES;
const LOCATED_PLACE_CODES = Object.keys(LOCATED_PLACES) as [LocatedPlace, ...LocatedPlace[]];

// ---------------------------------------------------------------------------------------------
// Input schemas (GOV.UK error wording)
// ---------------------------------------------------------------------------------------------

const trimmed = z.string().trim();
/** A required text field: missing and blank get the same GOV.UK message. */
const required = (message: string) => z.string({ error: message }).trim().min(1, message);
const version = z.coerce.number({ error: 'The page is out of date. Reload it and try again' }).int().min(1);
const requiredDate = (what: string) => required(`Enter the date ${what}`).pipe(isoDate);

export const enquirySchema = z.object({
  version,
  withWhom: required('Enter who the enquiry was made with').max(200, 'Who the enquiry was made with must be 200 characters or fewer'),
  method: z.enum(ENQUIRY_METHOD_CODES, { error: 'Select how the enquiry was made' }),
  madeOn: requiredDate('the enquiry was made'),
  outcome: required('Enter what the enquiry found').max(2000, 'What the enquiry found must be 2,000 characters or fewer'),
  jointWithSchool: z.enum(['yes', 'no'], { error: 'Select yes if the enquiry was made jointly with the school' }),
});
export type EnquiryInput = z.input<typeof enquirySchema>;

export const whereaboutsUnknownSchema = z.object({
  version,
  policeReferredOn: requiredDate('the police were told'),
  policeReference: required('Enter the police reference').max(100, 'Police reference must be 100 characters or fewer'),
  socialCareReferredOn: requiredDate('children’s social care were told'),
  socialCareReference: required('Enter the children’s social care reference').max(100, 'Children’s social care reference must be 100 characters or fewer'),
});
export type WhereaboutsUnknownInput = z.input<typeof whereaboutsUnknownSchema>;

const optionalText = trimmed.transform((v) => (v === '' ? undefined : v)).optional();

export const locatedSchema = z
  .object({
    version,
    where: z.enum(LOCATED_PLACE_CODES, { error: 'Select where the child was found' }),
    schoolName: optionalText.pipe(z.string().max(200, 'School name must be 200 characters or fewer').optional()),
    councilName: optionalText.pipe(z.string().max(200, 'Council name must be 200 characters or fewer').optional()),
    laNumber: optionalText.pipe(z.string().regex(/^\d{3}$/, 'Enter a 3-digit local authority number, like 931').optional()),
    handOverDate: optionalText.pipe(isoDate.optional()),
    contact: optionalText.pipe(z.string().max(300, 'Contact must be 300 characters or fewer').optional()),
  })
  .superRefine((v, issue) => {
    const need = (field: string, message: string) => issue.addIssue({ code: 'custom', path: [field], message });
    if (v.where === 'school' && !v.schoolName) need('schoolName', 'Enter the name of the school');
    if (v.where === 'moved-away') {
      if (!v.councilName) need('councilName', 'Enter the name of the council');
      if (!v.laNumber) need('laNumber', 'Enter the local authority number');
      if (!v.handOverDate) need('handOverDate', 'Enter the date the case was handed over');
      if (!v.contact) need('contact', 'Enter who the case was handed over to');
    }
  });
export type LocatedInput = z.input<typeof locatedSchema>;

export const allocateSchema = z.object({
  version,
  officerId: z.string({ error: 'Select an officer' }).trim().pipe(z.uuid({ error: 'Select an officer' })),
});

export const listEpisodesSchema = z.object({
  kind: optionalText.pipe(z.enum(['ehe', 'cme'], { error: 'Select a kind of episode' }).optional()),
  status: optionalText.pipe(z.string().max(50).optional()),
  school: optionalText.pipe(z.string().max(20).optional()),
  reason: optionalText.pipe(z.string().max(50).optional()),
  officer: optionalText.pipe(z.union([z.literal('unallocated'), z.uuid({ error: 'Select an officer' })]).optional()),
  worklist: optionalText.pipe(z.enum(Object.keys(WORKLISTS) as [WorklistName, ...WorklistName[]], { error: 'There is no such worklist' }).optional()),
});
export type ListEpisodesInput = z.input<typeof listEpisodesSchema>;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (iso: string, days: number) => isoDay(new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000));

/** Whole days between two ISO dates. */
export function daysBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000));
}

/** How long a child has been missing education: from identification to closure, or to today. */
export function daysMissing(episode: { openedOn: string; closedOn: string | null }, today: string): number {
  return daysBetween(episode.openedOn, episode.closedOn ?? today);
}

type EpisodeRow = typeof episodes.$inferSelect;

async function auditRefusal(deps: EpisodeDeps, ctx: UseCaseContext, action: string, episodeId: string | null): Promise<void> {
  await deps.runInTransaction(ctx, async (uow) => {
    uow.audit({ action: `${action}.refused`, recordType: 'episode', recordId: episodeId, childId: null, details: { role: ctx.actor.role } });
  });
}

/** Refuses roles outside the list, auditing the refusal since the work itself never starts. */
async function authorise(deps: EpisodeDeps, ctx: UseCaseContext, roles: readonly string[], action: string, episodeId: string | null): Promise<void> {
  if (roles.includes(ctx.actor.role)) return;
  await auditRefusal(deps, ctx, action, episodeId);
  throw forbidden();
}

async function loadEpisode(tx: Tx, episodeId: string): Promise<EpisodeRow> {
  if (!UUID.test(episodeId)) throw notFound('The case');
  const [row] = await tx.select().from(episodes).where(eq(episodes.id, episodeId));
  if (!row) throw notFound('The case');
  return row;
}

const EVENT_REFUSALS: Record<CmeEvent, string> = {
  'record-enquiry': 'An enquiry cannot be recorded on a case that is',
  'mark-whereabouts-unknown': 'Whereabouts cannot be marked unknown on a case that is',
  'record-located': 'The child cannot be recorded as found on a case that is',
  'close-on-admission': 'A case cannot be closed on admission when it is',
};

/** The CME status an event leads to, or a validation error saying why it cannot happen now. */
function cmeNext(episode: EpisodeRow, event: CmeEvent): CmeStatus {
  if (episode.kind !== 'cme') throw new DomainError('validation', 'This is not a child missing education case.');
  const to = nextStatus(CME_TRANSITIONS, episode.status as CmeStatus, event);
  if (!to) throw new DomainError('validation', `${EVENT_REFUSALS[event]} ${episode.status.replace(/-/g, ' ')}.`);
  return to;
}

/** Writes a change only if nobody else has since the page was read. */
async function saveEpisode(tx: Tx, episode: EpisodeRow, expectedVersion: number, change: Partial<typeof episodes.$inferInsert>, now: Date): Promise<EpisodeRow> {
  if (episode.version !== expectedVersion) throw staleVersion('case');
  const [updated] = await tx
    .update(episodes)
    .set({ ...change, version: expectedVersion + 1, updatedAt: now })
    .where(and(eq(episodes.id, episode.id), eq(episodes.version, expectedVersion)))
    .returning();
  if (!updated) throw staleVersion('case');
  return updated;
}

function notInFuture(fields: Record<string, string | undefined>, today: string): void {
  const problems: Record<string, string> = {};
  for (const [field, value] of Object.entries(fields)) if (value && value > today) problems[field] = 'The date must be today or in the past';
  if (Object.keys(problems).length) throw new DomainError('validation', 'There is a problem', problems);
}

/** Authorises before anything else, so a refused actor learns nothing from validation messages. */
async function withRefusalAudit<T>(deps: EpisodeDeps, ctx: UseCaseContext, action: string, episodeId: string, work: () => Promise<T>): Promise<T> {
  await authorise(deps, ctx, EPISODE_ACTING_ROLES, action, episodeId);
  return work();
}

function episodeEvent(uow: UnitOfWork, episode: EpisodeRow, type: string, summary: string, payload: Record<string, unknown> = {}) {
  uow.event({ type, aggregateType: 'episode', aggregateId: episode.id, childId: episode.childId, summary, visibility: 'staff', payload });
}

// ---------------------------------------------------------------------------------------------
// Changes
// ---------------------------------------------------------------------------------------------

/**
 * Records one of the reasonable enquiries the council makes to find a child missing education. The
 * first moves the case from identified to enquiries; enquiries may continue after whereabouts are
 * marked unknown, which brings the case back under active enquiry.
 */
export async function recordCmeEnquiry(deps: EpisodeDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const recordedBy = ctx.actor.id;
  if (!recordedBy) throw forbidden('Only a signed-in person or an API client can record an enquiry.');
  return withRefusalAudit(deps, ctx, 'cme-enquiry.record', episodeId, () => {
    const parsed = parseInput(enquirySchema, input);
    notInFuture({ madeOn: parsed.madeOn }, isoDay(ctx.now));
    return deps.runInTransaction(ctx, async (uow) => {
      const episode = await loadEpisode(uow.tx, episodeId);
      const to = cmeNext(episode, 'record-enquiry');
      const updated = await saveEpisode(uow.tx, episode, parsed.version, { status: to }, ctx.now);
      const [enquiry] = await uow.tx
        .insert(cmeEnquiries)
        .values({ episodeId, withWhom: parsed.withWhom, method: parsed.method, madeOn: parsed.madeOn, outcome: parsed.outcome, jointWithSchool: parsed.jointWithSchool === 'yes', recordedBy, createdAt: ctx.now })
        .returning();
      episodeEvent(uow, episode, 'cme-case.enquiry-recorded', `Missing education enquiry made (${ENQUIRY_METHODS[parsed.method].toLowerCase()}, with ${parsed.withWhom})`, { method: parsed.method, madeOn: parsed.madeOn });
      uow.audit({ action: 'cme-enquiry.record', recordType: 'episode', recordId: episodeId, childId: episode.childId, details: { enquiryId: enquiry!.id, method: parsed.method, from: episode.status, to } });
      return { episode: updated, enquiry: enquiry! };
    });
  });
}

/**
 * Marks a child's whereabouts as unknown after reasonable enquiries, recording the escalation to
 * the police and to children's social care (dates and their references) on the case.
 */
export async function markWhereaboutsUnknown(deps: EpisodeDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  return withRefusalAudit(deps, ctx, 'cme-case.whereabouts-unknown', episodeId, () => {
    const parsed = parseInput(whereaboutsUnknownSchema, input);
    notInFuture({ policeReferredOn: parsed.policeReferredOn, socialCareReferredOn: parsed.socialCareReferredOn }, isoDay(ctx.now));
    return deps.runInTransaction(ctx, async (uow) => {
      const episode = await loadEpisode(uow.tx, episodeId);
      const to = cmeNext(episode, 'mark-whereabouts-unknown');
      const escalation = {
        police: { referredOn: parsed.policeReferredOn, reference: parsed.policeReference },
        childrensSocialCare: { referredOn: parsed.socialCareReferredOn, reference: parsed.socialCareReference },
      };
      const previous = episode.outcome && typeof episode.outcome === 'object' ? (episode.outcome as Record<string, unknown>) : {};
      const updated = await saveEpisode(uow.tx, episode, parsed.version, { status: to, outcome: { ...previous, escalation } }, ctx.now);
      episodeEvent(uow, episode, 'cme-case.whereabouts-unknown', 'Whereabouts unknown: referred to the police and children’s social care', escalation);
      uow.audit({ action: 'cme-case.whereabouts-unknown', recordType: 'episode', recordId: episodeId, childId: episode.childId, details: { from: episode.status, to, escalation } });
      return updated;
    });
  });
}

/**
 * Records where a missing child was found, which closes the case: back at a school, home educated
 * (which opens a home education episode for the EHE team), or moved to another council (recording
 * the hand-over so the new council can pick the case up).
 */
export async function recordChildLocated(deps: EpisodeDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const today = isoDay(ctx.now);
  return withRefusalAudit(deps, ctx, 'cme-case.located', episodeId, () => {
    const parsed = parseInput(locatedSchema, input);
    notInFuture({ handOverDate: parsed.handOverDate }, today);
    return deps.runInTransaction(ctx, async (uow) => {
      const episode = await loadEpisode(uow.tx, episodeId);
      const to = cmeNext(episode, 'record-located');
      let located: Record<string, unknown>;
      let closeReason: string;
      let openedEheId: string | null = null;
      if (parsed.where === 'school') {
        located = { where: 'school', schoolName: parsed.schoolName };
        closeReason = `Located: back at school (${parsed.schoolName})`;
      } else if (parsed.where === 'moved-away') {
        located = { where: 'moved-away', councilName: parsed.councilName, laNumber: parsed.laNumber, handOverDate: parsed.handOverDate, contact: parsed.contact };
        closeReason = `Located: moved to ${parsed.councilName} (LA ${parsed.laNumber}), handed over`;
      } else {
        located = { where: 'home-educated' };
        closeReason = 'Located: home educated';
        const [openEhe] = await uow.tx.select({ id: episodes.id }).from(episodes).where(and(eq(episodes.childId, episode.childId), eq(episodes.kind, 'ehe'), isNull(episodes.closedOn)));
        if (openEhe) openedEheId = openEhe.id;
        else {
          const [ehe] = await uow.tx
            .insert(episodes)
            .values({ childId: episode.childId, kind: 'ehe', status: 'notified' satisfies EheStatus, openedOn: today, openedBy: 'officer', sourceId: episode.id, createdAt: ctx.now, updatedAt: ctx.now })
            .returning();
          openedEheId = ehe!.id;
          uow.event({ type: 'ehe-episode.opened', aggregateType: 'episode', aggregateId: ehe!.id, childId: episode.childId, summary: 'Elective home education episode opened', visibility: 'family', payload: { source: 'cme-case', cmeCaseId: episode.id } });
          uow.audit({ action: 'ehe-episode.open', recordType: 'episode', recordId: ehe!.id, childId: episode.childId, details: { fromCmeCase: episode.id } });
        }
        located['eheEpisodeId'] = openedEheId;
      }
      const previous = episode.outcome && typeof episode.outcome === 'object' ? (episode.outcome as Record<string, unknown>) : {};
      const updated = await saveEpisode(uow.tx, episode, parsed.version, { status: to, closedOn: today, closeReason, outcome: { ...previous, located } }, ctx.now);
      episodeEvent(uow, episode, 'cme-case.located', `Child missing education case closed. ${closeReason}`, located);
      uow.audit({ action: 'cme-case.located', recordType: 'episode', recordId: episodeId, childId: episode.childId, details: { from: episode.status, to, located } });
      return { episode: updated, eheEpisodeId: openedEheId };
    });
  });
}

/** Allocates an episode to a council officer, who then sees it as theirs on the register. */
export async function allocateEpisode(deps: EpisodeDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  return withRefusalAudit(deps, ctx, 'episode.allocate', episodeId, () => {
    const parsed = parseInput(allocateSchema, input);
    return deps.runInTransaction(ctx, async (uow) => {
      const episode = await loadEpisode(uow.tx, episodeId);
      if (episode.closedOn) throw new DomainError('validation', 'A closed case cannot be allocated.');
      const [officer] = await uow.tx.select().from(users).where(eq(users.id, parsed.officerId));
      if (!officer || !officer.active || !EPISODE_ACTING_ROLES.includes(officer.role)) {
        throw new DomainError('validation', 'There is a problem', { officerId: 'Select a council officer' });
      }
      const updated = await saveEpisode(uow.tx, episode, parsed.version, { allocatedTo: officer.id }, ctx.now);
      episodeEvent(uow, episode, 'episode.allocated', `${episode.kind === 'cme' ? 'Missing education case' : 'Home education episode'} allocated to ${officer.displayName}`, { officerId: officer.id });
      uow.audit({ action: 'episode.allocate', recordType: 'episode', recordId: episodeId, childId: episode.childId, details: { from: episode.allocatedTo, to: officer.id } });
      return updated;
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

export interface EpisodeView {
  episode: EpisodeRow;
  child: { id: string; firstName: string; lastName: string; dateOfBirth: string; laChildId: string };
  school: { name: string; urn: string } | null;
  allocatedToName: string | null;
  enquiries: { id: string; withWhom: string; method: string; methodLabel: string; madeOn: string; outcome: string; jointWithSchool: boolean; recordedByName: string }[];
  /** Events the lifecycle allows now, and which of them this actor may carry out. */
  availableEvents: string[];
  daysMissing: number;
  /** Grounds h and i: enquiries should be made jointly with the school. */
  jointWithSchool: boolean;
  allowed: { act: boolean };
}

/** Opens a case: the child, the enquiries so far, what can happen next and how long the child has been missing. Audited. */
export async function viewEpisode(deps: EpisodeDeps, ctx: UseCaseContext, episodeId: string): Promise<EpisodeView> {
  await authorise(deps, ctx, EPISODE_READING_ROLES, 'episode.view', UUID.test(episodeId) ? episodeId : null);
  return deps.runInTransaction(ctx, async (uow) => {
    const episode = await loadEpisode(uow.tx, episodeId);
    const [child] = await uow.tx
      .select({ id: children.id, firstName: children.firstName, lastName: children.lastName, dateOfBirth: children.dateOfBirth, laChildId: children.laChildId })
      .from(children)
      .where(eq(children.id, episode.childId));
    const [source] = episode.sourceId
      ? await uow.tx.select({ name: schools.name, urn: schools.urn }).from(deletionReturns).innerJoin(schools, eq(schools.id, deletionReturns.schoolId)).where(eq(deletionReturns.id, episode.sourceId))
      : [];
    const [allocated] = episode.allocatedTo ? await uow.tx.select({ name: users.displayName }).from(users).where(eq(users.id, episode.allocatedTo)) : [];
    const enquiries = await uow.tx
      .select({ e: cmeEnquiries, recordedByName: users.displayName })
      .from(cmeEnquiries)
      .innerJoin(users, eq(users.id, cmeEnquiries.recordedBy))
      .where(eq(cmeEnquiries.episodeId, episode.id))
      .orderBy(desc(cmeEnquiries.madeOn), desc(cmeEnquiries.createdAt));
    const events = episode.kind === 'cme' ? availableEvents(CME_TRANSITIONS, episode.status as CmeStatus) : availableEvents(EHE_TRANSITIONS, episode.status as EheStatus);
    uow.audit({ action: 'episode.view', recordType: 'episode', recordId: episode.id, childId: episode.childId });
    return {
      episode,
      child: child!,
      school: source ?? null,
      allocatedToName: allocated?.name ?? null,
      enquiries: enquiries.map(({ e, recordedByName }) => ({
        id: e.id,
        withWhom: e.withWhom,
        method: e.method,
        methodLabel: ENQUIRY_METHODS[e.method as EnquiryMethod] ?? e.method,
        madeOn: e.madeOn,
        outcome: e.outcome,
        jointWithSchool: e.jointWithSchool,
        recordedByName,
      })),
      availableEvents: events,
      daysMissing: daysMissing(episode, isoDay(ctx.now)),
      jointWithSchool: episode.kind === 'cme' && JOINT_ENQUIRY_GROUNDS.includes(episode.reason as DeletionGround),
      allowed: { act: EPISODE_ACTING_ROLES.includes(ctx.actor.role) },
    };
  });
}

export interface EpisodeListItem {
  id: string;
  kind: string;
  status: string;
  openedOn: string;
  closedOn: string | null;
  reason: string | null;
  childId: string;
  childName: string;
  schoolName: string | null;
  schoolUrn: string | null;
  allocatedTo: string | null;
  allocatedToName: string | null;
  lastEnquiryOn: string | null;
  daysMissing: number;
}

export const LIST_LIMIT = 500;

/**
 * The register, filtered by kind, status, school (the school whose deletion return opened the
 * episode), reason and officer, or one of the worklists officers work from. Audited.
 */
export async function listEpisodes(deps: EpisodeDeps, ctx: UseCaseContext, input: unknown = {}) {
  await authorise(deps, ctx, EPISODE_READING_ROLES, 'episode.list', null);
  const filter = parseInput(listEpisodesSchema, input);
  const today = isoDay(ctx.now);
  return deps.runInTransaction(ctx, async (uow) => {
    const lastEnquiry = sql<string | null>`(select max(${cmeEnquiries.madeOn}) from ${cmeEnquiries} where ${cmeEnquiries.episodeId} = ${episodes.id})`;
    const conditions: SQL[] = [];
    if (filter.kind) conditions.push(eq(episodes.kind, filter.kind));
    if (filter.status) conditions.push(eq(episodes.status, filter.status));
    if (filter.school) conditions.push(eq(schools.urn, filter.school));
    if (filter.reason) conditions.push(eq(episodes.reason, filter.reason));
    if (filter.officer === 'unallocated') conditions.push(isNull(episodes.allocatedTo));
    else if (filter.officer) conditions.push(eq(episodes.allocatedTo, filter.officer));
    if (filter.worklist === 'new') conditions.push(eq(episodes.kind, 'cme'), eq(episodes.status, 'identified'), gte(episodes.openedOn, addDays(today, -NEW_CASE_DAYS)));
    if (filter.worklist === 'unallocated') conditions.push(isNull(episodes.closedOn), isNull(episodes.allocatedTo));
    if (filter.worklist === 'enquiries-overdue') {
      conditions.push(eq(episodes.kind, 'cme'), isNull(episodes.closedOn), lt(sql`coalesce(${lastEnquiry}, ${episodes.openedOn})`, addDays(today, -ENQUIRY_OVERDUE_DAYS)));
    }
    const rows = await uow.tx
      .select({
        e: episodes,
        firstName: children.firstName,
        lastName: children.lastName,
        schoolName: schools.name,
        schoolUrn: schools.urn,
        allocatedToName: users.displayName,
        lastEnquiryOn: lastEnquiry,
      })
      .from(episodes)
      .innerJoin(children, eq(children.id, episodes.childId))
      .leftJoin(deletionReturns, eq(deletionReturns.id, episodes.sourceId))
      .leftJoin(schools, eq(schools.id, deletionReturns.schoolId))
      .leftJoin(users, eq(users.id, episodes.allocatedTo))
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(episodes.openedOn), children.lastName)
      .limit(LIST_LIMIT);
    const items: EpisodeListItem[] = rows.map((r) => ({
      id: r.e.id,
      kind: r.e.kind,
      status: r.e.status,
      openedOn: r.e.openedOn,
      closedOn: r.e.closedOn,
      reason: r.e.reason,
      childId: r.e.childId,
      childName: `${r.firstName} ${r.lastName}`,
      schoolName: r.schoolName,
      schoolUrn: r.schoolUrn,
      allocatedTo: r.e.allocatedTo,
      allocatedToName: r.allocatedToName,
      lastEnquiryOn: r.lastEnquiryOn ? String(r.lastEnquiryOn).slice(0, 10) : null,
      daysMissing: daysMissing(r.e, today),
    }));
    const schoolOptions = await uow.tx
      .selectDistinct({ urn: schools.urn, name: schools.name })
      .from(episodes)
      .innerJoin(deletionReturns, eq(deletionReturns.id, episodes.sourceId))
      .innerJoin(schools, eq(schools.id, deletionReturns.schoolId))
      .orderBy(schools.name);
    const officers = await councilOfficers(uow.tx);
    uow.audit({ action: 'episode.list', recordType: 'episode', recordId: null, childId: null, details: { filter, count: items.length, returned: items.map((i) => i.id) } });
    return { items, filter, limit: LIST_LIMIT, options: { schools: schoolOptions, officers } };
  });
}

async function councilOfficers(tx: Tx) {
  return tx
    .select({ id: users.id, name: users.displayName, role: users.role })
    .from(users)
    .where(and(eq(users.active, true), inArray(users.role, [...EPISODE_ACTING_ROLES])))
    .orderBy(users.displayName);
}

/** The officers a case may be allocated to, for the allocation page. */
export async function listCouncilOfficers(deps: EpisodeDeps, ctx: UseCaseContext) {
  await authorise(deps, ctx, EPISODE_READING_ROLES, 'episode.officers', null);
  return deps.runInTransaction(ctx, async (uow) => councilOfficers(uow.tx));
}
