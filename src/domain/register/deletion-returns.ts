import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { children, deletionReturns, enrolments, schools } from '../../db/schema/index.ts';
import type { RunInTransaction, UnitOfWork } from '../../db/unit-of-work.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { DomainError, forbidden, notFound } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { AUTOMATIC_LINK_SCORE, type ChildMatcher, type MatchCandidate } from './matching.ts';
import { DELETION_GROUNDS, JOINT_ENQUIRY_GROUNDS, type DeletionGround } from './reference-data.ts';
import { deletionReturnSchema, type DeletionReturn } from './schemas.ts';
import { childrenProtectedForWithdrawal, openConsentRequests, withdrawalNeedsConsent } from './consent.ts';
import { openEpisodesIfNone } from './open-episode.ts';
import { addHomeEducationToPlanAgendas } from '../social-care/use-cases.ts';

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
    const [result] = await receiveDeletionReturns(uow, deps.matcher, [parsed], source);
    if (!result) throw new Error('No result for the return');
    return result;
  });
}

type SavedReturn = typeof deletionReturns.$inferSelect;

/** What a saved return has led to, in the terms `submitDeletionReturn` answers with. */
export function outcomeOf(r: Pick<SavedReturn, 'status' | 'ground' | 'destinationSchool' | 'futureAddress'>): DeletionReturnOutcome {
  if (r.status === 'awaiting-match') return 'awaiting-match';
  if (r.status === 'held') return 'held-for-consent';
  const kind = episodeForGround(r);
  return kind === 'ehe' ? 'ehe-episode-opened' : kind === 'cme' ? 'cme-case-opened' : 'recorded';
}

/** Links only when certain: an identifier matched, or exactly one strong candidate is on this school's roll. */
function certainMatch(candidates: readonly MatchCandidate[], onSchoolRoll: (childId: string) => boolean): string | null {
  const exact = candidates.filter((c) => c.score >= AUTOMATIC_LINK_SCORE);
  if (exact.length === 1) return exact[0]!.childId;
  if (exact.length > 1) return null;
  const strongOnRoll = [...new Set(candidates.filter((c) => c.score >= 85 && onSchoolRoll(c.childId)).map((c) => c.childId))];
  return strongOnRoll.length === 1 ? strongOnRoll[0]! : null;
}

/**
 * Receives many validated returns inside one unit of work, with a fixed number of queries however
 * many there are: one return through the form and a hundred thousand from a CSV take the same path.
 * A return already received (same key) is reported as a duplicate and nothing is written for it.
 */
export async function receiveDeletionReturns(uow: UnitOfWork, matcher: ChildMatcher, rows: readonly DeletionReturn[], source: DeletionReturnSource): Promise<DeletionReturnResult[]> {
  const { tx, ctx } = uow;
  const schoolsByUrn = new Map<string, typeof schools.$inferSelect>();
  const schoolFor = async (urn: string | undefined) => {
    const cacheKey = urn ?? '';
    let school = schoolsByUrn.get(cacheKey);
    if (!school) {
      school = await resolveSchool(tx, ctx, urn);
      schoolsByUrn.set(cacheKey, school);
    }
    return school;
  };
  const prepared = [];
  for (const row of rows) {
    const school = await schoolFor(row.schoolUrn);
    prepared.push({ row, school, key: deletionReturnKey(school.urn, row) });
  }

  const existing = new Map(
    (prepared.length ? await tx.select().from(deletionReturns).where(inArray(deletionReturns.idempotencyKey, [...new Set(prepared.map((p) => p.key))])) : []).map((r) => [r.idempotencyKey, r]),
  );
  const firstSeen = new Set<string>();
  const fresh = prepared.filter((p) => {
    if (existing.has(p.key) || firstSeen.has(p.key)) return false;
    firstSeen.add(p.key);
    return true;
  });
  const candidateLists = await matcher.findCandidatesForMany(
    tx,
    fresh.map((p) => ({ firstName: p.row.pupilFirstName, lastName: p.row.pupilLastName, dateOfBirth: p.row.pupilDateOfBirth, upn: p.row.upn, postcode: p.row.parentPostcode })),
  );
  const strongIds = [...new Set(candidateLists.flatMap((list) => list.filter((c) => c.score >= 85).map((c) => c.childId)))];
  const onRoll = new Set(
    strongIds.length
      ? (
          await tx
            .select({ childId: enrolments.childId, schoolId: enrolments.schoolId })
            .from(enrolments)
            .where(and(inArray(enrolments.childId, strongIds), inArray(enrolments.schoolId, [...new Set(fresh.map((p) => p.school.id))])))
        ).map((e) => `${e.childId}|${e.schoolId}`)
      : [],
  );

  const matchedIds = fresh.map((p, index) => certainMatch(candidateLists[index] ?? [], (id) => onRoll.has(`${id}|${p.school.id}`)));
  const protectedChildren = await childrenProtectedForWithdrawal(
    tx,
    matchedIds.filter((id): id is string => id !== null),
    ctx.now.toISOString().slice(0, 10),
  );
  const values = fresh.map((p, index) => {
    const childId = matchedIds[index] ?? null;
    const consentRequired = withdrawalNeedsConsent(p.row.ground, p.school.type, childId !== null && protectedChildren.has(childId));
    return {
      schoolId: p.school.id,
      childId,
      submittedBy: ctx.actor.id,
      source,
      idempotencyKey: p.key,
      pupilFirstName: p.row.pupilFirstName,
      pupilLastName: p.row.pupilLastName,
      pupilDateOfBirth: p.row.pupilDateOfBirth,
      upn: p.row.upn ?? null,
      parentName: p.row.parentName,
      parentAddressLine1: p.row.parentAddressLine1,
      parentTown: p.row.parentTown,
      parentPostcode: p.row.parentPostcode,
      emergencyPhone: p.row.emergencyPhone,
      futureAddress: p.row.futureAddress ?? null,
      destinationSchool: p.row.destinationSchool ?? null,
      destinationStartDate: p.row.destinationStartDate ?? null,
      ground: p.row.ground,
      deletionDate: p.row.deletionDate,
      eheReason: p.row.eheReason ?? null,
      safeguardingConcerns: p.row.safeguardingConcerns,
      concernsDocumentedOn: p.row.concernsDocumentedOn ?? null,
      concernsDetail: p.row.concernsDetail ?? null,
      consentRequired,
      status: childId ? (consentRequired ? 'held' : 'processed') : 'awaiting-match',
      createdAt: ctx.now,
    };
  });
  const saved: SavedReturn[] = [];
  for (let start = 0; start < values.length; start += 500) {
    saved.push(...(await tx.insert(deletionReturns).values(values.slice(start, start + 500)).returning()));
  }
  const savedByKey = new Map(saved.map((r) => [r.idempotencyKey, r]));
  fresh.forEach((p, index) => {
    const r = savedByKey.get(p.key)!;
    uow.audit({
      action: 'deletion-return.receive',
      recordType: 'deletion_return',
      recordId: r.id,
      childId: r.childId,
      details: { source, ground: r.ground, school: p.school.urn, matched: r.childId !== null, candidates: candidateLists[index]?.length ?? 0 },
    });
  });
  const schoolNames = new Map([...schoolsByUrn.values()].map((school) => [school.id, school.name]));
  await applyDeletionReturns(uow, saved.filter((r) => r.childId !== null), schoolNames);

  const seen = new Set<string>();
  return prepared.map((p) => {
    const before = existing.get(p.key);
    const r = before ?? savedByKey.get(p.key)!;
    const duplicate = before !== undefined || seen.has(p.key);
    seen.add(p.key);
    return { returnId: r.id, childId: r.childId, outcome: outcomeOf(r), duplicate };
  });
}

/**
 * What a return does once its pupil is known: ends the enrolment, opens the episode the ground calls
 * for, or holds the deletion for the council's consent, and puts it on the child's timeline.
 */
export async function applyDeletionReturn(uow: UnitOfWork, r: SavedReturn, schoolName: string): Promise<DeletionReturnOutcome> {
  if (!r.childId) throw new Error('A return must be matched before it is applied');
  await applyDeletionReturns(uow, [r], new Map([[r.schoolId, schoolName]]));
  return outcomeOf(r);
}

async function applyDeletionReturns(uow: UnitOfWork, returns: readonly SavedReturn[], schoolNames: ReadonlyMap<string, string>): Promise<void> {
  const held = returns.filter((r) => r.consentRequired);
  const processed = returns.filter((r) => !r.consentRequired);
  await openConsentRequests(uow, held, uow.ctx.now.toISOString().slice(0, 10));
  await addHomeEducationToPlanAgendas(
    uow,
    returns.flatMap((r) => (r.ground === 'f' && r.childId ? [{ childId: r.childId, item: `The school reports that the parent has asked to take the child off roll for home education (deletion date ${r.deletionDate})` }] : [])),
  );
  for (const r of held) {
    uow.event({
      type: 'deletion-return.held',
      aggregateType: 'deletion_return',
      aggregateId: r.id,
      childId: r.childId,
      summary: `${schoolNames.get(r.schoolId) ?? 'The school'} asked to take the child off roll for home education; the deletion waits for the council’s consent`,
      visibility: 'partners',
      payload: { ground: r.ground },
    });
  }
  if (processed.length === 0) return;
  const rowsSql = sql.join(
    processed.map((r) => sql`(${r.childId}::uuid, ${r.schoolId}::uuid, ${r.deletionDate}::date, ${r.ground})`),
    sql`, `,
  );
  await uow.tx.execute(
    sql`update ${enrolments} set end_date = v.d, deletion_ground = v.g from (values ${rowsSql}) as v(c, s, d, g) where ${enrolments.childId} = v.c and ${enrolments.schoolId} = v.s and ${enrolments.endDate} is null`,
  );
  for (const r of processed) {
    uow.event({
      type: 'deletion-return.received',
      aggregateType: 'deletion_return',
      aggregateId: r.id,
      childId: r.childId,
      summary: `Left the roll of ${schoolNames.get(r.schoolId) ?? 'the school'} (ground ${r.ground}: ${DELETION_GROUNDS[r.ground as DeletionGround].toLowerCase()})${r.safeguardingConcerns ? '; the school had documented safeguarding concerns' : ''}`,
      visibility: 'partners',
      payload: { ground: r.ground, deletionDate: r.deletionDate, safeguardingConcerns: r.safeguardingConcerns },
    });
  }
  await openEpisodesIfNone(
    uow,
    processed.flatMap((r) => {
      const kind = episodeForGround(r);
      return kind && r.childId
        ? [{ childId: r.childId, kind, openedOn: r.deletionDate, openedBy: 'deletion-return' as const, sourceId: r.id, reason: kind === 'ehe' ? r.eheReason : r.ground === 'g' ? 'unknown-destination' : r.ground }]
        : [];
    }),
  );
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

