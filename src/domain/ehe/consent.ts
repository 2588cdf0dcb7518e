import { and, asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import type { RunInTransaction, UnitOfWork } from '../../db/unit-of-work.ts';
import { adults, childAdults, children, consentRequests, deletionReturns, schools, users } from '../../db/schema/index.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { formatLongDate, todayIn } from '../calendar/index.ts';
import { DomainError, forbidden, notFound, staleVersion } from '../errors.ts';
import { queueLetterToSchool, queueLettersToParents } from '../letters/queue.ts';
import { applyDeletionReturn } from '../register/deletion-returns.ts';
import { nextStatus, type Transition } from '../register/lifecycles.ts';
import { parseInput } from '../validation.ts';
import { EHE_READING_ROLES } from './use-cases.ts';

/**
 * The council's consent before a child leaves a school roll for home education (Education Act 1996
 * s434A, inserted by the Children's Wellbeing and Schools Act 2026): requested by the school's held
 * deletion return → under consideration (the child's protection status pulled from the record, the
 * parent's, child's and school's views, a best-interests analysis) → granted or refused with
 * written reasons. The council must refuse where school attendance is in the child's best
 * interests. There is no statutory deadline, so no clock runs.
 */
export const CONSENT_STATUSES = ['requested', 'under-consideration', 'granted', 'refused'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
export type ConsentEvent = 'start-consideration' | 'record-views' | 'grant' | 'refuse';

export const CONSENT_TRANSITIONS: readonly Transition<ConsentStatus, ConsentEvent>[] = [
  { from: ['requested'], event: 'start-consideration', to: 'under-consideration' },
  { from: ['under-consideration'], event: 'record-views', to: 'under-consideration' },
  { from: ['under-consideration'], event: 'grant', to: 'granted' },
  { from: ['under-consideration'], event: 'refuse', to: 'refused' },
];

export const CONSENT_STATUS_LABELS: Record<ConsentStatus, string> = {
  requested: 'Requested',
  'under-consideration': 'Under consideration',
  granted: 'Granted',
  refused: 'Refused',
};

export const CONSENT_GROUND_LABELS: Record<string, string> = {
  'special-school': 'The child is at a special school',
  's47-enquiry': 'The child is subject to section 47 enquiries',
  'cp-plan': 'The child is subject to a child protection plan',
  'previous-protection': 'The child was subject to child protection within the council’s look-back period',
};

/** Home education officers and their managers consider and decide consent. */
export const CONSENT_DECIDING_ROLES: readonly string[] = ['ehe_officer', 'team_manager'];

export interface ConsentDeps {
  runInTransaction: RunInTransaction;
  baseUrl?: string | undefined;
}

type ConsentRow = typeof consentRequests.$inferSelect;

const version = z.coerce.number().int().min(1);
const longText = (required: string, label: string) => z.string({ error: required }).trim().min(1, required).max(10000, `${label} must be 10,000 characters or fewer`);

export const consentViewsSchema = z.object({
  version,
  parentViews: longText('Enter the parent’s views', 'The parent’s views'),
  childViews: longText('Enter the child’s views, or why they could not be sought', 'The child’s views'),
  schoolView: longText('Enter the school’s view', 'The school’s view'),
  bestInterests: longText('Enter the best-interests analysis', 'The best-interests analysis'),
  schoolAttendanceInBestInterests: z.enum(['yes', 'no'], { error: 'Select whether attending school is in the child’s best interests' }).transform((v) => v === 'yes'),
});

export const consentDecisionSchema = z.object({
  version,
  decision: z.enum(['grant', 'refuse'], { error: 'Select whether the council gives consent' }),
  reasons: longText('Enter the reasons for the decision', 'The reasons'),
});

async function refuse(deps: ConsentDeps, ctx: UseCaseContext, action: string, id: string | null): Promise<never> {
  await deps.runInTransaction(ctx, async (uow) => uow.audit({ action: `${action}.refused`, recordType: 'consent_request', recordId: id && z.uuid().safeParse(id).success ? id : null, childId: null, details: { role: ctx.actor.role } }));
  throw forbidden();
}

async function load(tx: Tx, id: string): Promise<ConsentRow> {
  if (!z.uuid().safeParse(id).success) throw notFound('The consent request');
  const [row] = await tx.select().from(consentRequests).where(eq(consentRequests.id, id));
  if (!row) throw notFound('The consent request');
  return row;
}

function nextConsent(row: ConsentRow, event: ConsentEvent): ConsentStatus {
  const to = nextStatus(CONSENT_TRANSITIONS, row.status as ConsentStatus, event);
  if (!to) {
    const why: Record<ConsentEvent, string> = {
      'start-consideration': 'Consideration has already started',
      'record-views': 'Views can only be recorded while the request is under consideration',
      grant: 'Consent can only be decided while the request is under consideration',
      refuse: 'Consent can only be decided while the request is under consideration',
    };
    throw new DomainError('validation', `${why[event]}. This request is ${CONSENT_STATUS_LABELS[row.status as ConsentStatus]?.toLowerCase() ?? row.status}.`);
  }
  return to;
}

async function saveConsent(tx: Tx, row: ConsentRow, expected: number, change: Partial<typeof consentRequests.$inferInsert>, now: Date): Promise<ConsentRow> {
  if (row.version !== expected) throw staleVersion('consent request');
  const [updated] = await tx
    .update(consentRequests)
    .set({ ...change, version: expected + 1, updatedAt: now })
    .where(and(eq(consentRequests.id, row.id), eq(consentRequests.version, expected)))
    .returning();
  if (!updated) throw staleVersion('consent request');
  return updated;
}

/** Consent requests, oldest first, optionally by status. */
export async function listConsentRequests(deps: ConsentDeps, ctx: UseCaseContext, input: unknown = {}) {
  if (!EHE_READING_ROLES.includes(ctx.actor.role)) return refuse(deps, ctx, 'consent.list', null);
  const { status } = parseInput(z.object({ status: z.enum(CONSENT_STATUSES).optional().catch(undefined) }), input);
  return deps.runInTransaction(ctx, async (uow) => {
    const rows = await uow.tx
      .select({ c: consentRequests, firstName: children.firstName, lastName: children.lastName, schoolName: schools.name })
      .from(consentRequests)
      .innerJoin(children, eq(children.id, consentRequests.childId))
      .innerJoin(schools, eq(schools.id, consentRequests.schoolId))
      .where(status ? eq(consentRequests.status, status) : undefined)
      .orderBy(asc(consentRequests.requestedOn))
      .limit(500);
    uow.audit({ action: 'consent.list', recordType: 'consent_request', recordId: null, childId: null, details: { status: status ?? null, returned: rows.length } });
    return rows.map((r) => ({ ...r.c, childName: `${r.firstName} ${r.lastName}`, schoolName: r.schoolName }));
  });
}

/** One request with the child's current protection status, the school and the return. Audited. */
export async function viewConsentRequest(deps: ConsentDeps, ctx: UseCaseContext, id: string) {
  if (!EHE_READING_ROLES.includes(ctx.actor.role)) return refuse(deps, ctx, 'consent.view', id);
  return deps.runInTransaction(ctx, async (uow) => {
    const request = await load(uow.tx, id);
    const [child] = await uow.tx.select().from(children).where(eq(children.id, request.childId));
    const [school] = await uow.tx.select().from(schools).where(eq(schools.id, request.schoolId));
    const [deletion] = request.deletionReturnId ? await uow.tx.select().from(deletionReturns).where(eq(deletionReturns.id, request.deletionReturnId)) : [];
    const [decider] = request.decidedBy ? await uow.tx.select({ name: users.displayName }).from(users).where(eq(users.id, request.decidedBy)) : [];
    const parents = await uow.tx
      .select({ name: adults.firstName, lastName: adults.lastName, parentalResponsibility: childAdults.parentalResponsibility })
      .from(childAdults)
      .innerJoin(adults, eq(adults.id, childAdults.adultId))
      .where(eq(childAdults.childId, request.childId));
    uow.audit({ action: 'consent.view', recordType: 'consent_request', recordId: request.id, childId: request.childId });
    return {
      request,
      child: child!,
      school: school!,
      deletionReturn: deletion ?? null,
      decidedByName: decider?.name ?? null,
      parents: parents.map((p) => ({ name: `${p.name} ${p.lastName}`, parentalResponsibility: p.parentalResponsibility })),
      allowed: { decide: CONSENT_DECIDING_ROLES.includes(ctx.actor.role) },
    };
  });
}

async function act<T>(deps: ConsentDeps, ctx: UseCaseContext, action: string, id: string, work: (uow: UnitOfWork, row: ConsentRow) => Promise<T>): Promise<T> {
  if (!CONSENT_DECIDING_ROLES.includes(ctx.actor.role)) return refuse(deps, ctx, action, id);
  return deps.runInTransaction(ctx, async (uow) => {
    const row = await load(uow.tx, id);
    const result = await work(uow, row);
    uow.audit({ action, recordType: 'consent_request', recordId: row.id, childId: row.childId });
    return result;
  });
}

/** Starts consideration, taking the child's social care status from the record as it stands today. */
export async function startConsentConsideration(deps: ConsentDeps, ctx: UseCaseContext, id: string, input: unknown) {
  const { version: expected } = parseInput(z.object({ version }), input);
  return act(deps, ctx, 'consent.start', id, async (uow, row) => {
    const to = nextConsent(row, 'start-consideration');
    const [child] = await uow.tx
      .select({ protectionStatus: children.protectionStatus, protectionEndedOn: children.protectionEndedOn, lookedAfter: children.lookedAfter, childInNeed: children.childInNeed, senStatus: children.senStatus })
      .from(children)
      .where(eq(children.id, row.childId));
    const updated = await saveConsent(uow.tx, row, expected, { status: to, protectionSnapshot: { ...child!, takenOn: todayIn(ctx.now) }, allocatedTo: ctx.actor.id }, ctx.now);
    uow.event({ type: 'consent.consideration-started', aggregateType: 'consent_request', aggregateId: row.id, childId: row.childId, summary: 'The council started considering consent to withdrawal for home education', visibility: 'staff' });
    return updated;
  });
}

/** Records the parent's, child's and school's views and the best-interests analysis. */
export async function recordConsentViews(deps: ConsentDeps, ctx: UseCaseContext, id: string, input: unknown) {
  const v = parseInput(consentViewsSchema, input);
  return act(deps, ctx, 'consent.views', id, async (uow, row) => {
    const to = nextConsent(row, 'record-views');
    return saveConsent(
      uow.tx,
      row,
      v.version,
      { status: to, parentViews: v.parentViews, childViews: v.childViews, schoolView: v.schoolView, bestInterests: v.bestInterests, schoolAttendanceInBestInterests: v.schoolAttendanceInBestInterests },
      ctx.now,
    );
  });
}

/**
 * Decides, with written reasons; the parents and the school are told by letter. Consent releases the
 * school's held deletion (the child leaves the roll and a home education episode opens); a refusal
 * cancels it and the child stays on roll.
 */
export async function decideConsent(deps: ConsentDeps, ctx: UseCaseContext, id: string, input: unknown) {
  const d = parseInput(consentDecisionSchema, input);
  return act(deps, ctx, 'consent.decide', id, async (uow, row) => {
    const to = nextConsent(row, d.decision);
    if (row.schoolAttendanceInBestInterests === null || !row.bestInterests) {
      throw new DomainError('validation', 'Record the views and the best-interests analysis before deciding.');
    }
    if (d.decision === 'grant' && row.schoolAttendanceInBestInterests) {
      throw new DomainError('validation', 'There is a problem', { decision: 'The council must refuse consent where attending school is in the child’s best interests' });
    }
    const today = todayIn(ctx.now);
    const updated = await saveConsent(uow.tx, row, d.version, { status: to, decisionReasons: d.reasons, decidedBy: ctx.actor.id, decidedOn: today }, ctx.now);
    const [school] = await uow.tx.select({ id: schools.id, name: schools.name }).from(schools).where(eq(schools.id, row.schoolId));
    if (row.deletionReturnId) {
      const [held] = await uow.tx.select().from(deletionReturns).where(and(eq(deletionReturns.id, row.deletionReturnId), eq(deletionReturns.status, 'held')));
      if (held && d.decision === 'grant') {
        const [released] = await uow.tx.update(deletionReturns).set({ status: 'processed' }).where(eq(deletionReturns.id, held.id)).returning();
        await applyDeletionReturn(uow, { ...released!, consentRequired: false, deletionDate: released!.deletionDate > today ? released!.deletionDate : today }, school!.name);
      } else if (held) {
        await uow.tx.update(deletionReturns).set({ status: 'cancelled' }).where(eq(deletionReturns.id, held.id));
      }
    }
    const data = { decision: d.decision === 'grant' ? 'granted' : 'refused', reasons: d.reasons, schoolName: school!.name, decidedOn: formatLongDate(today) };
    await queueLettersToParents(uow, { childId: row.childId, consentRequestId: row.id, templateKey: 'consent-decision-parent', data }, { baseUrl: deps.baseUrl });
    await queueLetterToSchool(uow, { schoolId: row.schoolId, childId: row.childId, consentRequestId: row.id, templateKey: 'consent-decision-school', data }, { baseUrl: deps.baseUrl });
    uow.event({
      type: d.decision === 'grant' ? 'consent.granted' : 'consent.refused',
      aggregateType: 'consent_request',
      aggregateId: row.id,
      childId: row.childId,
      summary: d.decision === 'grant' ? `The council consented to withdrawal for home education; ${school!.name} may take the child off roll` : `The council refused consent to withdrawal; the child stays on the roll of ${school!.name}`,
      visibility: 'partners',
    });
    return updated;
  });
}

/** The newest requests first, for a child's record. */
export async function consentRequestsForChild(tx: Tx, childId: string) {
  return tx.select().from(consentRequests).where(eq(consentRequests.childId, childId)).orderBy(desc(consentRequests.createdAt));
}
