import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { auditLog, caseNotes, childAdults, children, domainEvents, enrolments } from '../../src/db/schema/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;
type Child = typeof children.$inferSelect;

/** The fields that make a record what it is, without the bookkeeping a write changes. */
const essence = ({ version: _v, updatedAt: _u, ...rest }: Child) => rest;

describe.each(ENGINES)('merging and unmerging duplicate children on %s', (engine) => {
  let setup: Setup;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;
  const reload = async (id: string) => (await db().select().from(children).where(eq(children.id, id)))[0]!;
  const rowsFor = async (childId: string) => ({
    enrolments: (await db().select({ id: enrolments.id }).from(enrolments).where(eq(enrolments.childId, childId))).map((r) => r.id).sort(),
    notes: (await db().select({ id: caseNotes.id }).from(caseNotes).where(eq(caseNotes.childId, childId))).map((r) => r.id).sort(),
    events: (await db().select({ id: domainEvents.id }).from(domainEvents).where(eq(domainEvents.childId, childId))).map((r) => r.id).sort(),
    adults: (await db().select({ id: childAdults.adultId }).from(childAdults).where(eq(childAdults.childId, childId))).map((r) => r.id).sort(),
  });

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('a merge keeps the chosen values with their provenance, moves every row, and an unmerge restores both records exactly', async () => {
    const [a] = await db().select().from(children).where(and(isNull(children.upn), sql`exists (select 1 from enrolments e where e.child_id = ${children.id})`)).orderBy(children.laChildId).limit(1);
    const [b] = await db().select().from(children).where(and(isNotNull(children.upn), sql`exists (select 1 from child_adults ca where ca.child_id = ${children.id})`)).orderBy(children.laChildId).limit(1);
    const officer = await contextFor(db(), 'demo-cme-officer');
    await services().addCaseNote(officer, b!.id, { body: 'A note on the duplicate.' });
    const beforeA = await reload(a!.id);
    const beforeB = await reload(b!.id);
    const rowsA = await rowsFor(a!.id);
    const rowsB = await rowsFor(b!.id);

    await expect(services().mergeChildren(await contextFor(db(), 'demo-school-user'), { survivorId: a!.id, mergedId: b!.id, survivorVersion: beforeA.version, mergedVersion: beforeB.version, reason: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(services().mergeChildren(officer, { survivorId: a!.id, mergedId: b!.id, survivorVersion: beforeA.version + 3, mergedVersion: beforeB.version, reason: 'Same child' })).rejects.toMatchObject({ code: 'stale-version' });
    await expect(services().mergeChildren(officer, { survivorId: a!.id, mergedId: a!.id, survivorVersion: beforeA.version, mergedVersion: beforeA.version, reason: 'Same' })).rejects.toMatchObject({ fields: { mergedId: 'Select two different records' } });

    const merge = await services().mergeChildren(officer, {
      survivorId: a!.id,
      mergedId: b!.id,
      survivorVersion: beforeA.version,
      mergedVersion: beforeB.version,
      reason: 'The same child: the GP list spells the name differently.',
      fields: { name: 'merged' },
    });
    const mergedA = await reload(a!.id);
    expect(mergedA).toMatchObject({ firstName: beforeB.firstName, lastName: beforeB.lastName, dateOfBirth: beforeA.dateOfBirth, upn: beforeB.upn });
    expect(merge.provenance).toMatchObject({ name: 'merged', dateOfBirth: 'survivor', upn: 'merged' });
    expect((await reload(b!.id)).mergedInto).toBe(a!.id);
    const movedRows = await rowsFor(a!.id);
    expect(movedRows.notes).toEqual([...rowsA.notes, ...rowsB.notes].sort());
    expect(movedRows.enrolments).toEqual([...rowsA.enrolments, ...rowsB.enrolments].sort());
    expect((await rowsFor(b!.id)).notes).toEqual([]);
    const found = await services().searchChildren(officer, { name: beforeB.lastName });
    expect(found.results.map((r) => r.id)).not.toContain(b!.id);

    await services().unmergeChildren(officer, merge.id);
    expect(essence(await reload(a!.id))).toEqual(essence(beforeA));
    expect(essence(await reload(b!.id))).toEqual(essence(beforeB));
    const rowsAfterA = await rowsFor(a!.id);
    const rowsAfterB = await rowsFor(b!.id);
    expect({ ...rowsAfterA, events: undefined }).toEqual({ ...rowsA, events: undefined });
    expect({ ...rowsAfterB, events: undefined }).toEqual({ ...rowsB, events: undefined });
    // The timeline keeps each record's own events, plus the merge and unmerge themselves.
    expect(rowsAfterB.events.filter((id) => !rowsB.events.includes(id))).toHaveLength(1);
    await expect(services().unmergeChildren(officer, merge.id)).rejects.toMatchObject({ message: 'This merge has already been undone.' });
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.childId, a!.id), sql`${auditLog.action} in ('child.merge', 'child.unmerge')`));
    expect(audits.map((x) => x.action).sort()).toEqual(['child.merge', 'child.unmerge']);
  });
});
