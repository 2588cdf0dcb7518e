import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import type { RunInTransaction } from '../../db/unit-of-work.ts';
import { childMerges, children } from '../../db/schema/index.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { DomainError, forbidden, notFound, staleVersion } from '../errors.ts';
import { parseInput } from '../validation.ts';

/**
 * Merging two records of the same child, and undoing it. Every table that belongs to a child moves
 * from the duplicate to the kept record, and the ids moved are kept with both records as they were,
 * so an unmerge puts everything back exactly. The kept record shows where each value came from.
 * The audit log is never rewritten: its rows keep the child they were written about.
 */

export interface MergeDeps {
  runInTransaction: RunInTransaction;
}

type ChildRow = typeof children.$inferSelect;

/** Officers who may merge and unmerge: the register's and the data team. */
export const MERGE_ROLES: readonly string[] = ['ehe_officer', 'cme_officer', 'data_officer', 'team_manager'];

/** Tables that hold a child's rows, by their id column. child_adults is keyed by (child, adult). */
const CHILD_TABLES = [
  'enrolments',
  'allocations',
  'case_notes',
  'child_previous_names',
  'child_addresses',
  'education_arrangements',
  'education_providers',
  'episodes',
  'deletion_returns',
  'referrals',
  'domain_events',
  'ehe_steps',
  'suitability_judgements',
  'family_responses',
  'consent_requests',
  'letters',
  'social_care_episodes',
  'social_care_steps',
  'information_requests',
  'family_submissions',
  'family_documents',
] as const;

/** The values an officer chooses between, each as a group of columns that belong together. */
export const FIELD_GROUPS = {
  name: ['firstName', 'lastName', 'preferredName'],
  dateOfBirth: ['dateOfBirth'],
  sex: ['sex'],
  address: ['addressLine1', 'addressLine2', 'town', 'postcode', 'postcodeKey'],
  upn: ['upn'],
  nhsNumber: ['nhsNumber'],
} as const satisfies Record<string, readonly (keyof ChildRow)[]>;
export type FieldGroup = keyof typeof FIELD_GROUPS;

export const FIELD_GROUP_LABELS: Record<FieldGroup, string> = { name: 'Name', dateOfBirth: 'Date of birth', sex: 'Sex', address: 'Address', upn: 'UPN', nhsNumber: 'NHS number' };

const choice = z.enum(['survivor', 'merged']).default('survivor');
export const mergeSchema = z.object({
  survivorId: z.uuid({ error: 'Select the record to keep' }),
  mergedId: z.uuid({ error: 'Select the duplicate record' }),
  survivorVersion: z.coerce.number().int().min(1),
  mergedVersion: z.coerce.number().int().min(1),
  reason: z.string({ error: 'Enter why these are the same child' }).trim().min(1, 'Enter why these are the same child').max(2000, 'Reason must be 2,000 characters or fewer'),
  fields: z.object({ name: choice, dateOfBirth: choice, sex: choice, address: choice, upn: choice, nhsNumber: choice }).prefault({}),
});

async function refuse(deps: MergeDeps, ctx: UseCaseContext, action: string): Promise<never> {
  await deps.runInTransaction(ctx, async (uow) => uow.audit({ action: `${action}.refused`, recordType: 'child', recordId: null, childId: null, details: { role: ctx.actor.role } }));
  throw forbidden();
}

const rowsOf = (result: unknown) => (result as { rows: Record<string, unknown>[] }).rows;

async function moveRows(tx: Tx, from: string, to: string): Promise<Record<string, string[]>> {
  const moved: Record<string, string[]> = {};
  for (const table of CHILD_TABLES) {
    const result = await tx.execute(sql`update ${sql.identifier(table)} set child_id = ${to} where child_id = ${from} returning id::text as id`);
    const ids = rowsOf(result).map((r) => String(r['id']));
    if (ids.length) moved[table] = ids;
  }
  // A parent already linked to the kept record stays linked once; other links move.
  const links = await tx.execute(
    sql`update child_adults set child_id = ${to} where child_id = ${from} and adult_id not in (select adult_id from child_adults where child_id = ${to}) returning adult_id::text as id`,
  );
  const adultIds = rowsOf(links).map((r) => String(r['id']));
  if (adultIds.length) moved['child_adults'] = adultIds;
  return moved;
}

async function moveBack(tx: Tx, moved: Record<string, string[]>, from: string, to: string): Promise<void> {
  for (const table of CHILD_TABLES) {
    const ids = moved[table];
    if (!ids?.length) continue;
    const idType = table === 'domain_events' ? sql`bigint` : sql`uuid`;
    await tx.execute(sql`update ${sql.identifier(table)} set child_id = ${to} where child_id = ${from} and id = any(cast(${`{${ids.join(',')}}`} as ${idType}[]))`);
  }
  const adults = moved['child_adults'];
  if (adults?.length) await tx.execute(sql`update child_adults set child_id = ${to} where child_id = ${from} and adult_id = any(cast(${`{${adults.join(',')}}`} as uuid[]))`);
}

/**
 * Merges a duplicate into the record to keep, taking each chosen value from either record. The
 * duplicate stays in the database (marked merged) so nothing is lost and the merge can be undone.
 */
export async function mergeChildren(deps: MergeDeps, ctx: UseCaseContext, input: unknown) {
  if (!MERGE_ROLES.includes(ctx.actor.role)) return refuse(deps, ctx, 'child.merge');
  const m = parseInput(mergeSchema, input);
  if (m.survivorId === m.mergedId) throw new DomainError('validation', 'There is a problem', { mergedId: 'Select two different records' });
  return deps.runInTransaction(ctx, async (uow) => {
    const rows = await uow.tx.select().from(children).where(sql`${children.id} in (${m.survivorId}, ${m.mergedId})`).for('update');
    const survivor = rows.find((r) => r.id === m.survivorId);
    const merged = rows.find((r) => r.id === m.mergedId);
    if (!survivor || !merged) throw notFound('The child');
    if (survivor.mergedInto || merged.mergedInto) throw new DomainError('validation', 'One of these records has already been merged into another.');
    if (survivor.version !== m.survivorVersion || merged.version !== m.mergedVersion) throw staleVersion('child’s details');
    const change: Partial<ChildRow> = {};
    const provenance: Record<string, 'survivor' | 'merged'> = {};
    for (const [group, columns] of Object.entries(FIELD_GROUPS) as [FieldGroup, readonly (keyof ChildRow)[]][]) {
      // An empty value on the kept record is filled from the duplicate, and says so.
      const fromMerged = m.fields[group] === 'merged' || columns.every((c) => survivor[c] === null || survivor[c] === '');
      provenance[group] = fromMerged ? 'merged' : 'survivor';
      if (fromMerged) for (const c of columns) (change as Record<string, unknown>)[c] = merged[c];
    }
    // Unique identifiers move with the value: clear them on the duplicate first.
    await uow.tx.update(children).set({ upn: null, nhsNumber: null, mergedInto: survivor.id, version: merged.version + 1, updatedAt: ctx.now }).where(eq(children.id, merged.id));
    await uow.tx.update(children).set({ ...change, version: survivor.version + 1, updatedAt: ctx.now }).where(eq(children.id, survivor.id));
    const moved = await moveRows(uow.tx, merged.id, survivor.id);
    const [record] = await uow.tx
      .insert(childMerges)
      .values({ survivorId: survivor.id, mergedId: merged.id, before: { survivor, merged }, moved, provenance, reason: m.reason, mergedBy: ctx.actor.id, mergedAt: ctx.now })
      .returning();
    uow.event({ type: 'child.merged', aggregateType: 'child', aggregateId: survivor.id, childId: survivor.id, summary: `Merged with a duplicate record (${merged.laChildId}): ${m.reason}`, visibility: 'staff', payload: { mergeId: record!.id, provenance } });
    uow.audit({ action: 'child.merge', recordType: 'child', recordId: survivor.id, childId: survivor.id, details: { mergedId: merged.id, mergeId: record!.id, provenance, moved: Object.fromEntries(Object.entries(moved).map(([t, ids]) => [t, ids.length])) } });
    uow.audit({ action: 'child.merge', recordType: 'child', recordId: merged.id, childId: merged.id, details: { survivorId: survivor.id, mergeId: record!.id } });
    return record!;
  });
}

/** Undoes a merge exactly: both records as they were, and every moved row back with the duplicate. */
export async function unmergeChildren(deps: MergeDeps, ctx: UseCaseContext, mergeId: string) {
  if (!MERGE_ROLES.includes(ctx.actor.role)) return refuse(deps, ctx, 'child.unmerge');
  if (!z.uuid().safeParse(mergeId).success) throw notFound('The merge');
  return deps.runInTransaction(ctx, async (uow) => {
    const [merge] = await uow.tx.select().from(childMerges).where(eq(childMerges.id, mergeId)).for('update');
    if (!merge) throw notFound('The merge');
    if (merge.unmergedAt) throw new DomainError('validation', 'This merge has already been undone.');
    const later = await uow.tx.select({ id: childMerges.id }).from(childMerges).where(and(eq(childMerges.mergedId, merge.survivorId), isNull(childMerges.unmergedAt)));
    if (later.length) throw new DomainError('validation', 'The kept record was itself merged later. Undo that merge first.');
    const before = merge.before as { survivor: ChildRow; merged: ChildRow };
    await moveBack(uow.tx, merge.moved as Record<string, string[]>, merge.survivorId, merge.mergedId);
    const restore = (row: ChildRow) => {
      const { id: _id, createdAt: _created, updatedAt: _updated, version: _version, ...fields } = row;
      return fields;
    };
    const [survivorNow] = await uow.tx.select({ version: children.version }).from(children).where(eq(children.id, merge.survivorId));
    const [mergedNow] = await uow.tx.select({ version: children.version }).from(children).where(eq(children.id, merge.mergedId));
    // Identifiers first off the kept record, then back where they were, so unique indexes hold throughout.
    await uow.tx.update(children).set({ upn: null, nhsNumber: null }).where(eq(children.id, merge.survivorId));
    await uow.tx.update(children).set({ ...restore(before.merged), mergedInto: null, version: mergedNow!.version + 1, updatedAt: ctx.now }).where(eq(children.id, merge.mergedId));
    await uow.tx.update(children).set({ ...restore(before.survivor), version: survivorNow!.version + 1, updatedAt: ctx.now }).where(eq(children.id, merge.survivorId));
    await uow.tx.update(childMerges).set({ unmergedAt: ctx.now, unmergedBy: ctx.actor.id }).where(eq(childMerges.id, merge.id));
    for (const childId of [merge.survivorId, merge.mergedId]) {
      uow.event({ type: 'child.unmerged', aggregateType: 'child', aggregateId: childId, childId, summary: 'A merge of two records was undone; both records are as they were before it', visibility: 'staff', payload: { mergeId: merge.id } });
      uow.audit({ action: 'child.unmerge', recordType: 'child', recordId: childId, childId, details: { mergeId: merge.id } });
    }
  });
}

/** The merges that made a record what it is, for its provenance: which record each value came from. */
export async function mergesInto(tx: Tx, childId: string) {
  return tx.select().from(childMerges).where(and(eq(childMerges.survivorId, childId), isNull(childMerges.unmergedAt)));
}

/** The two records side by side, for an officer deciding what to keep. Both reads audited. */
export async function compareForMerge(deps: MergeDeps, ctx: UseCaseContext, survivorId: string, otherReference: string) {
  if (!MERGE_ROLES.includes(ctx.actor.role)) return refuse(deps, ctx, 'child.merge-compare');
  if (!z.uuid().safeParse(survivorId).success) throw notFound('The child');
  const reference = otherReference.trim().toUpperCase();
  if (!reference) throw new DomainError('validation', 'There is a problem', { reference: 'Enter the council reference of the duplicate record, like NS100001' });
  return deps.runInTransaction(ctx, async (uow) => {
    const [survivor] = await uow.tx.select().from(children).where(eq(children.id, survivorId));
    if (!survivor) throw notFound('The child');
    const [other] = await uow.tx.select().from(children).where(and(eq(children.laChildId, reference), isNull(children.mergedInto)));
    if (!other) throw new DomainError('validation', 'There is a problem', { reference: 'No record has that council reference' });
    if (other.id === survivor.id) throw new DomainError('validation', 'There is a problem', { reference: 'Enter the reference of a different record' });
    for (const child of [survivor, other]) uow.audit({ action: 'child.view', recordType: 'child', recordId: child.id, childId: child.id, details: { purpose: 'merge' } });
    return { survivor, other };
  });
}
