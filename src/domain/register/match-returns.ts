import { addChildFromIntake } from './new-child.ts';
import { childrenProtectedForWithdrawal, withdrawalNeedsConsent } from './consent.ts';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import { children, deletionReturns, formDrafts, schools } from '../../db/schema/index.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { DomainError, forbidden, notFound, staleVersion } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { applyDeletionReturn, findDeletionReturnOrFail, outcomeOf, type DeletionReturnOutcome, type RegisterDeps } from './deletion-returns.ts';
import type { MatchCandidate } from './matching.ts';

/** Council officers who may send a return on a school's behalf and match returns to children. */
export const RETURN_OFFICER_ROLES: readonly string[] = ['ehe_officer', 'cme_officer', 'data_officer'];
/** Council staff who may read returns (as `listDeletionReturns` allows). */
const COUNCIL_READER_ROLES: readonly string[] = ['ehe_officer', 'cme_officer', 'data_officer', 'team_manager', 'mash_worker', 'social_worker'];

const DRAFT_JOURNEY = 'deletion-return';

export type DraftAnswers = Record<string, string>;

export interface DeletionReturnDraft {
  answers: DraftAnswers;
  /** The school the return is from: a school user's own, or the one an officer chose by URN. */
  school: { urn: string; name: string } | null;
  /** True when the person must choose the school (a council officer). */
  choosesSchool: boolean;
}

function isOfficer(ctx: UseCaseContext): boolean {
  return RETURN_OFFICER_ROLES.includes(ctx.actor.role);
}

/** Drafts belong to a signed-in person who may send returns: a school user or a council officer. */
function draftOwner(ctx: UseCaseContext): string {
  if (ctx.actor.kind !== 'user' || !ctx.actor.id) throw forbidden();
  if (ctx.actor.role === 'school_user' ? !ctx.actor.schoolId : !isOfficer(ctx)) throw forbidden();
  return ctx.actor.id;
}

async function schoolForDraft(tx: Tx, ctx: UseCaseContext, answers: DraftAnswers) {
  if (ctx.actor.role === 'school_user') {
    const [own] = await tx.select({ urn: schools.urn, name: schools.name }).from(schools).where(eq(schools.id, ctx.actor.schoolId ?? '00000000-0000-0000-0000-000000000000'));
    if (!own) throw forbidden();
    return own;
  }
  if (!answers['schoolUrn']) return null;
  const [chosen] = await tx.select({ urn: schools.urn, name: schools.name }).from(schools).where(eq(schools.urn, answers['schoolUrn']));
  return chosen ?? null;
}

const answersSchema = z.record(z.string(), z.string());

/**
 * The answers a person has given so far in the deletion return journey, so a refresh, a back link or
 * a break between pages loses nothing. Reading your own unsent answers is not audited.
 */
export async function loadDeletionReturnDraft(deps: RegisterDeps, ctx: UseCaseContext): Promise<DeletionReturnDraft> {
  const userId = draftOwner(ctx);
  return deps.runInTransaction(ctx, async (uow) => {
    const [row] = await uow.tx.select().from(formDrafts).where(and(eq(formDrafts.userId, userId), eq(formDrafts.journey, DRAFT_JOURNEY)));
    const parsed = answersSchema.safeParse(row?.data ?? {});
    const answers = parsed.success ? parsed.data : {};
    return { answers, school: await schoolForDraft(uow.tx, ctx, answers), choosesSchool: ctx.actor.role !== 'school_user' };
  });
}

/**
 * Replaces the person's saved answers. An officer's school must exist in Cairn, checked here so the
 * first page can say so rather than the last.
 */
export async function saveDeletionReturnDraft(deps: RegisterDeps, ctx: UseCaseContext, answers: DraftAnswers): Promise<void> {
  const userId = draftOwner(ctx);
  const data = answersSchema.parse(answers);
  await deps.runInTransaction(ctx, async (uow) => {
    if (ctx.actor.role !== 'school_user' && data['schoolUrn'] && !(await schoolForDraft(uow.tx, ctx, data))) {
      throw new DomainError('validation', 'There is a problem', { schoolUrn: 'There is no school with that URN in Cairn' });
    }
    await uow.tx
      .insert(formDrafts)
      .values({ userId, journey: DRAFT_JOURNEY, data, updatedAt: ctx.now })
      .onConflictDoUpdate({ target: [formDrafts.userId, formDrafts.journey], set: { data, updatedAt: ctx.now } });
  });
}

/** Forgets the person's unsent answers, once the return is sent. */
export async function discardDeletionReturnDraft(deps: RegisterDeps, ctx: UseCaseContext): Promise<void> {
  const userId = draftOwner(ctx);
  await deps.runInTransaction(ctx, async (uow) => {
    await uow.tx.delete(formDrafts).where(and(eq(formDrafts.userId, userId), eq(formDrafts.journey, DRAFT_JOURNEY)));
  });
}

type SavedReturn = typeof deletionReturns.$inferSelect;

export interface DeletionReturnView {
  deletionReturn: SavedReturn;
  school: { urn: string; name: string };
  child: { id: string; firstName: string; lastName: string; laChildId: string } | null;
  outcome: DeletionReturnOutcome;
  /** Children who may be the pupil, for an officer matching a waiting return; empty otherwise. */
  candidates: MatchCandidate[];
  canMatch: boolean;
}

/**
 * One return: the school that sent it sees it (its confirmation page), council staff see any, and
 * officers matching a waiting return also get the children who may be the pupil. Audited as a read.
 */
export async function viewDeletionReturn(deps: RegisterDeps, ctx: UseCaseContext, returnId: string): Promise<DeletionReturnView> {
  if (!z.uuid().safeParse(returnId).success) throw notFound('The return');
  const council = COUNCIL_READER_ROLES.includes(ctx.actor.role);
  if (!council && ctx.actor.role !== 'school_user') throw forbidden();
  return deps.runInTransaction(ctx, async (uow) => {
    const r = await findDeletionReturnOrFail(uow.tx, returnId);
    if (!council && r.schoolId !== ctx.actor.schoolId) throw notFound('The return');
    const [school] = await uow.tx.select({ urn: schools.urn, name: schools.name }).from(schools).where(eq(schools.id, r.schoolId));
    const [child] = r.childId
      ? await uow.tx.select({ id: children.id, firstName: children.firstName, lastName: children.lastName, laChildId: children.laChildId }).from(children).where(eq(children.id, r.childId))
      : [];
    const canMatch = isOfficer(ctx) && r.status === 'awaiting-match';
    const candidates = canMatch
      ? await deps.matcher.findCandidates(uow.tx, { firstName: r.pupilFirstName, lastName: r.pupilLastName, dateOfBirth: r.pupilDateOfBirth, upn: r.upn ?? undefined, postcode: r.parentPostcode })
      : [];
    uow.audit({ action: 'deletion-return.view', recordType: 'deletion_return', recordId: r.id, childId: r.childId, details: { candidates: candidates.length } });
    return { deletionReturn: r, school: school!, child: child ?? null, outcome: outcomeOf(r), candidates, canMatch };
  });
}

export const matchChoiceSchema = z.union(
  [z.object({ childId: z.uuid({ error: 'Select the child this return is about, or add a new child' }) }), z.object({ create: z.literal(true) })],
  { error: 'Select the child this return is about, or add a new child' },
);

export type MatchChoice = z.input<typeof matchChoiceSchema>;

export interface MatchResult {
  childId: string;
  created: boolean;
  outcome: DeletionReturnOutcome;
}


/**
 * An officer settles who a waiting return is about: a child already on the register, or a new
 * child made from the return's details. Then the return does what it would have done had Cairn
 * been sure when it arrived: the enrolment ends, an episode opens, or the deletion is held.
 */
export async function matchDeletionReturn(deps: RegisterDeps, ctx: UseCaseContext, returnId: string, input: unknown): Promise<MatchResult> {
  if (!isOfficer(ctx)) throw forbidden();
  if (!z.uuid().safeParse(returnId).success) throw notFound('The return');
  const choice = parseInput(matchChoiceSchema, input);
  return deps.runInTransaction(ctx, async (uow) => {
    const r = await findDeletionReturnOrFail(uow.tx, returnId);
    if (r.status !== 'awaiting-match') throw staleVersion('return');
    const [school] = await uow.tx.select({ name: schools.name, urn: schools.urn, type: schools.type }).from(schools).where(eq(schools.id, r.schoolId));
    let childId: string;
    const created = 'create' in choice;
    if ('childId' in choice) {
      const [child] = await uow.tx.select({ id: children.id }).from(children).where(eq(children.id, choice.childId));
      if (!child) throw new DomainError('validation', 'There is a problem', { childId: 'Select the child this return is about, or add a new child' });
      childId = child.id;
    } else {
      const [upnTaken] = r.upn ? await uow.tx.select({ id: children.id }).from(children).where(eq(children.upn, r.upn)) : [];
      childId = await addChildFromIntake(
        uow,
        { firstName: r.pupilFirstName, lastName: r.pupilLastName, dateOfBirth: r.pupilDateOfBirth, addressLine1: r.parentAddressLine1, town: r.parentTown, postcode: r.parentPostcode, upn: r.upn && !upnTaken ? r.upn : null },
        { summary: `Added to the register from a deletion return sent by ${school!.name}`, source: 'deletion-return', sourceId: r.id },
      );
    }
    const childProtected = (await childrenProtectedForWithdrawal(uow.tx, [childId], ctx.now.toISOString().slice(0, 10))).has(childId);
    const consentRequired = withdrawalNeedsConsent(r.ground, school!.type, childProtected);
    const [matched] = await uow.tx
      .update(deletionReturns)
      .set({ childId, consentRequired, status: consentRequired ? 'held' : 'processed' })
      .where(and(eq(deletionReturns.id, r.id), eq(deletionReturns.status, 'awaiting-match')))
      .returning();
    if (!matched) throw staleVersion('return');
    uow.event({
      type: 'deletion-return.matched',
      aggregateType: 'deletion_return',
      aggregateId: r.id,
      childId,
      summary: `Deletion return from ${school!.name} matched to this child by ${ctx.actor.label}`,
      visibility: 'staff',
      payload: { created },
    });
    const outcome = await applyDeletionReturn(uow, matched, school!.name);
    uow.audit({ action: 'deletion-return.match', recordType: 'deletion_return', recordId: r.id, childId, details: { created, outcome, school: school!.urn } });
    return { childId, created, outcome };
  });
}
