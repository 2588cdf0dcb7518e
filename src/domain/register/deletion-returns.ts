import { createHash } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { children, deletionReturns, enrolments, schools } from '../../db/schema/index.ts';
import type { RunInTransaction, UnitOfWork } from '../../db/unit-of-work.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { DomainError, forbidden, notFound } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { AUTOMATIC_LINK_SCORE, type ChildMatcher, type MatchCandidate } from './matching.ts';
import { DELETION_GROUNDS, JOINT_ENQUIRY_GROUNDS, type DeletionGround } from './reference-data.ts';
import { deletionReturnSchema, type DeletionReturn } from './schemas.ts';
import { openEpisodeIfNone } from './open-episode.ts';

export interface RegisterDeps {
  runInTransaction: RunInTransaction;
  matcher: ChildMatcher;
}

export type DeletionReturnSource = 'form' | 'csv' | 'api';

export type DeletionReturnOutcome = 'ehe-episode-opened' | 'cme-case-opened' | 'held-for-consent' | 'recorded' | 'awaiting-match';

export interface DeletionReturnResult {
  returnId: string;
  childId: string | null;
  outcome: DeletionReturnOutcome;
  /** True when this exact return had already been received; nothing was written again. */
  duplicate: boolean;
}

/** Same school, same pupil, same ground and date: the same return, however often it is sent. */
export function deletionReturnKey(schoolUrn: string, r: Pick<DeletionReturn, 'pupilFirstName' | 'pupilLastName' | 'pupilDateOfBirth' | 'upn' | 'ground' | 'deletionDate'>): string {
  const identity = r.upn ?? `${r.pupilFirstName.toLowerCase()}|${r.pupilLastName.toLowerCase()}|${r.pupilDateOfBirth}`;
  return createHash('sha256').update([schoolUrn, identity, r.ground, r.deletionDate].join('\n')).digest('hex');
}

/** Which school a return is for: a school user's own, or the URN given by an officer or system. */
async function resolveSchool(tx: Tx, ctx: UseCaseContext, urn: string | undefined) {
  if (ctx.actor.role === 'school_user') {
    if (!ctx.actor.schoolId) throw forbidden();
    const [own] = await tx.select().from(schools).where(eq(schools.id, ctx.actor.schoolId));
    if (!own) throw forbidden();
    if (urn && urn !== own.urn) throw forbidden('You can only send returns for your own school.');
    return own;
  }
  if (!['ehe_officer', 'cme_officer', 'data_officer', 'system'].includes(ctx.actor.role)) throw forbidden();
  if (!urn) throw new DomainError('validation', 'There is a problem', { schoolUrn: 'Enter the school’s URN' });
  const [school] = await tx.select().from(schools).where(eq(schools.urn, urn));
  if (!school) throw new DomainError('validation', 'There is a problem', { schoolUrn: 'There is no school with that URN in Cairn' });
  return school;
}

/** The episode a ground opens: home education for f, a missing-education case when the pupil's whereabouts are not known. */
export function episodeForGround(r: { ground: string; destinationSchool?: string | null | undefined; futureAddress?: string | null | undefined }): 'ehe' | 'cme' | null {
  const ground = r.ground as DeletionGround;
  if (ground === 'f') return 'ehe';
  if (JOINT_ENQUIRY_GROUNDS.includes(ground)) return 'cme';
  if (ground === 'g' && !r.destinationSchool && !r.futureAddress) return 'cme';
  return null;
}

/**
 * Receives a school's deletion return. The pupil is linked to their record when an identifier or
 * their enrolment at the school makes it certain; otherwise the return waits for an officer to
 * match it. Then the enrolment ends (unless the council's consent is needed first), and a home
 * education episode or a missing-education case opens as the ground requires.
 */
export async function submitDeletionReturn(deps: RegisterDeps, ctx: UseCaseContext, input: unknown, source: DeletionReturnSource): Promise<DeletionReturnResult> {
  const parsed = parseInput(deletionReturnSchema, input);
  return deps.runInTransaction(ctx, async (uow) => {
    const school = await resolveSchool(uow.tx, ctx, parsed.schoolUrn);
    const key = deletionReturnKey(school.urn, parsed);
    const [existing] = await uow.tx.select().from(deletionReturns).where(eq(deletionReturns.idempotencyKey, key));
    if (existing) return { returnId: existing.id, childId: existing.childId, outcome: outcomeOf(existing), duplicate: true };

    const candidates = await deps.matcher.findCandidates(uow.tx, { firstName: parsed.pupilFirstName, lastName: parsed.pupilLastName, dateOfBirth: parsed.pupilDateOfBirth, upn: parsed.upn, postcode: parsed.parentPostcode });
    const childId = await certainMatch(uow.tx, candidates, school.id);
    const consentRequired = parsed.ground === 'f' && school.type === 'special';
    const [saved] = await uow.tx
      .insert(deletionReturns)
      .values({
        schoolId: school.id,
        childId,
        submittedBy: ctx.actor.id,
        source,
        idempotencyKey: key,
        pupilFirstName: parsed.pupilFirstName,
        pupilLastName: parsed.pupilLastName,
        pupilDateOfBirth: parsed.pupilDateOfBirth,
        upn: parsed.upn ?? null,
        parentName: parsed.parentName,
        parentAddressLine1: parsed.parentAddressLine1,
        parentTown: parsed.parentTown,
        parentPostcode: parsed.parentPostcode,
        emergencyPhone: parsed.emergencyPhone,
        futureAddress: parsed.futureAddress ?? null,
        destinationSchool: parsed.destinationSchool ?? null,
        destinationStartDate: parsed.destinationStartDate ?? null,
        ground: parsed.ground,
        deletionDate: parsed.deletionDate,
        eheReason: parsed.eheReason ?? null,
        safeguardingConcerns: parsed.safeguardingConcerns,
        concernsDocumentedOn: parsed.concernsDocumentedOn ?? null,
        concernsDetail: parsed.concernsDetail ?? null,
        consentRequired,
        status: childId ? (consentRequired ? 'held' : 'processed') : 'awaiting-match',
        createdAt: ctx.now,
      })
      .returning();
    if (!saved) throw new Error('Insert returned no row');
    uow.audit({ action: 'deletion-return.receive', recordType: 'deletion_return', recordId: saved.id, childId, details: { source, ground: parsed.ground, school: school.urn, matched: childId !== null, candidates: candidates.length } });
    if (!childId) return { returnId: saved.id, childId: null, outcome: 'awaiting-match' as const, duplicate: false };
    const outcome = await applyDeletionReturn(uow, saved, school.name);
    return { returnId: saved.id, childId, outcome, duplicate: false };
  });
}

type SavedReturn = typeof deletionReturns.$inferSelect;

function outcomeOf(r: SavedReturn): DeletionReturnOutcome {
  if (r.status === 'awaiting-match') return 'awaiting-match';
  if (r.status === 'held') return 'held-for-consent';
  const kind = episodeForGround(r);
  return kind === 'ehe' ? 'ehe-episode-opened' : kind === 'cme' ? 'cme-case-opened' : 'recorded';
}

/** Links only when certain: an identifier matched, or exactly one strong candidate is on this school's roll. */
async function certainMatch(tx: Tx, candidates: MatchCandidate[], schoolId: string): Promise<string | null> {
  const exact = candidates.filter((c) => c.score >= AUTOMATIC_LINK_SCORE);
  if (exact.length === 1) return exact[0]!.childId;
  if (exact.length > 1) return null;
  const strong = candidates.filter((c) => c.score >= 85);
  if (strong.length === 0) return null;
  const onRoll = await tx
    .select({ childId: enrolments.childId })
    .from(enrolments)
    .where(and(eq(enrolments.schoolId, schoolId), inArray(enrolments.childId, strong.map((c) => c.childId))));
  const ids = [...new Set(onRoll.map((r) => r.childId))];
  return ids.length === 1 ? ids[0]! : null;
}

/**
 * What a return does once its pupil is known: ends the enrolment, opens the episode the ground calls
 * for, or holds the deletion for the council's consent, and puts it on the child's timeline.
 */
export async function applyDeletionReturn(uow: UnitOfWork, r: SavedReturn, schoolName: string): Promise<DeletionReturnOutcome> {
  const childId = r.childId;
  if (!childId) throw new Error('A return must be matched before it is applied');
  const groundLabel = DELETION_GROUNDS[r.ground as DeletionGround];
  if (r.consentRequired) {
    uow.event({
      type: 'deletion-return.held',
      aggregateType: 'deletion_return',
      aggregateId: r.id,
      childId,
      summary: `${schoolName} asked to take the child off roll for home education; the deletion waits for the council’s consent`,
      visibility: 'partners',
      payload: { ground: r.ground },
    });
    return 'held-for-consent';
  }
  await uow.tx
    .update(enrolments)
    .set({ endDate: r.deletionDate, deletionGround: r.ground })
    .where(and(eq(enrolments.childId, childId), eq(enrolments.schoolId, r.schoolId), isNull(enrolments.endDate)));
  uow.event({
    type: 'deletion-return.received',
    aggregateType: 'deletion_return',
    aggregateId: r.id,
    childId,
    summary: `Left the roll of ${schoolName} (ground ${r.ground}: ${groundLabel.toLowerCase()})${r.safeguardingConcerns ? '; the school had documented safeguarding concerns' : ''}`,
    visibility: 'partners',
    payload: { ground: r.ground, deletionDate: r.deletionDate, safeguardingConcerns: r.safeguardingConcerns },
  });
  const kind = episodeForGround(r);
  if (!kind) return 'recorded';
  await openEpisodeIfNone(uow, {
    childId,
    kind,
    openedOn: r.deletionDate,
    openedBy: 'deletion-return',
    sourceId: r.id,
    reason: kind === 'ehe' ? r.eheReason : r.ground === 'g' ? 'unknown-destination' : r.ground,
  });
  return kind === 'ehe' ? 'ehe-episode-opened' : 'cme-case-opened';
}

/** Lists returns for an officer or a school; schools see only their own. */
export async function listDeletionReturns(deps: RegisterDeps, ctx: UseCaseContext, filter: { status?: string | undefined } = {}) {
  const council = ['ehe_officer', 'cme_officer', 'data_officer', 'team_manager', 'mash_worker', 'social_worker'].includes(ctx.actor.role);
  if (!council && ctx.actor.role !== 'school_user') throw forbidden();
  return deps.runInTransaction(ctx, async (uow) => {
    const conditions = [
      ...(ctx.actor.role === 'school_user' ? [eq(deletionReturns.schoolId, ctx.actor.schoolId ?? '00000000-0000-0000-0000-000000000000')] : []),
      ...(filter.status ? [eq(deletionReturns.status, filter.status)] : []),
    ];
    const rows = await uow.tx
      .select({ r: deletionReturns, schoolName: schools.name, childFirstName: children.firstName, childLastName: children.lastName })
      .from(deletionReturns)
      .innerJoin(schools, eq(schools.id, deletionReturns.schoolId))
      .leftJoin(children, eq(children.id, deletionReturns.childId))
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(deletionReturns.createdAt)
      .limit(500);
    uow.audit({ action: 'deletion-return.list', recordType: 'deletion_return', recordId: null, childId: null, details: { count: rows.length, status: filter.status ?? null } });
    return rows;
  });
}

export async function findDeletionReturnOrFail(tx: Tx, id: string): Promise<SavedReturn> {
  const [row] = await tx.select().from(deletionReturns).where(eq(deletionReturns.id, id));
  if (!row) throw notFound('The return');
  return row;
}

