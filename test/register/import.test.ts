import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import { auditLog, children, deletionReturns, domainEvents, enrolments, episodes, schools } from '../../src/db/schema/index.ts';
import { verifyAuditLog } from '../../src/domain/audit/verify-audit-log.ts';
import { importDeletionReturns } from '../../src/domain/register/import-deletion-returns.ts';
import { createSimpleMatcher, type ChildMatcher } from '../../src/domain/register/matching.ts';
import { DEMO_SCHOOL_URN } from '../../src/seed/demo-accounts.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const text = (csv: string) => new TextEncoder().encode(csv);

const OFFICER_HEADER = 'school_urn,pupil_first_name,pupil_last_name,pupil_date_of_birth,parent_name,parent_address_line_1,parent_town,parent_postcode,emergency_phone,ground,deletion_date,safeguarding_concerns';
const officerRow = (i: number, urn = '999102') => `${urn},Testrow${i},Importson,2013-01-${String((i % 28) + 1).padStart(2, '0')},Parent ${i},${i} Test Street,Northshire,NZ1 1AB,07700 900${String(i).padStart(3, '0')},k,2026-11-0${(i % 9) + 1},no`;

describe.each(ENGINES)('importing a CSV file of deletion returns on %s', (engine) => {
  let setup: Setup;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;
  const returnCount = async () => (await db().select({ n: count() }).from(deletionReturns))[0]!.n;
  const lastAudit = async () => (await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1))[0]!;

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('checking a file reports every bad row with its line, column and reason, and writes only the audit record', async () => {
    const ctx = await contextFor(db(), 'demo-data-officer');
    const before = await returnCount();
    const report = await services().checkDeletionReturnsFile(ctx, fixture('deletion-returns-officer-mixed.csv'));
    expect(report).toMatchObject({ fileError: null, totalRows: 7, validRows: 3, invalidRows: 4, alreadyReceived: 0 });
    expect(report.problems).toEqual([
      { line: 3, column: 'pupil_first_name', reason: 'Enter the pupil’s first name' },
      { line: 4, column: 'ground', reason: 'Select the ground for deletion' },
      { line: 5, column: 'school_urn', reason: 'There is no school with that URN in Cairn' },
      { line: 7, column: 'emergency_phone', reason: 'Enter a telephone number, like 01632 960 001 or 07700 900 982' },
      { line: 7, column: 'deletion_date', reason: 'Enter a real date' },
    ]);
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await returnCount()).toBe(before);
    expect(await lastAudit()).toMatchObject({ action: 'deletion-returns.check-file', details: { rows: 7, valid: 3, invalid: 4 } });
  });

  test('all-or-nothing imports nothing when any row is bad', async () => {
    const ctx = await contextFor(db(), 'demo-data-officer');
    const before = await returnCount();
    const result = await services().importDeletionReturns(ctx, fixture('deletion-returns-officer-mixed.csv'), { mode: 'all-or-nothing' });
    expect(result).toMatchObject({ status: 'refused', imported: 0, duplicates: 0 });
    expect(result.report.problems).toHaveLength(5);
    expect(await returnCount()).toBe(before);
    expect(await lastAudit()).toMatchObject({ action: 'deletion-returns.import-file', details: { status: 'refused', imported: 0 } });
  });

  test('valid-only imports just the valid rows, through the same rules as the form, marked as from a CSV', async () => {
    const ctx = await contextFor(db(), 'demo-data-officer');
    const before = await returnCount();
    const result = await services().importDeletionReturns(ctx, fixture('deletion-returns-officer-mixed.csv'), { mode: 'valid-only' });
    expect(result).toMatchObject({ status: 'imported', imported: 3, duplicates: 0, skipped: 4, failedBatch: null });
    expect(result.outcomes['awaiting-match']).toBe(3);
    expect(await returnCount()).toBe(before + 3);
    const saved = await db().select().from(deletionReturns).where(eq(deletionReturns.source, 'csv'));
    expect(saved.map((r) => r.pupilFirstName).sort()).toEqual(['Ansel', 'Rosalind', 'Wilhelmina']);
    expect(saved.every((r) => r.submittedBy === ctx.actor.id && r.status === 'awaiting-match')).toBe(true);
    const received = await db().select().from(auditLog).where(eq(auditLog.action, 'deletion-return.receive')).orderBy(desc(auditLog.seq)).limit(3);
    expect(received.map((r) => (r.details as { source: string }).source)).toEqual(['csv', 'csv', 'csv']);
  });

  test('uploading the same file again changes nothing and says the rows were already received', async () => {
    const ctx = await contextFor(db(), 'demo-data-officer');
    const before = await returnCount();
    const report = await services().checkDeletionReturnsFile(ctx, fixture('deletion-returns-officer-mixed.csv'));
    expect(report.alreadyReceived).toBe(3);
    const result = await services().importDeletionReturns(ctx, fixture('deletion-returns-officer-mixed.csv'), { mode: 'valid-only' });
    expect(result).toMatchObject({ status: 'imported', imported: 0, duplicates: 3 });
    expect(await returnCount()).toBe(before);
    expect(await db().select().from(auditLog).where(eq(auditLog.action, 'deletion-return.receive'))).toHaveLength(3);
  });

  test('a school imports its own file; a matched pupil leaves the roll and an episode opens, as with the form', async () => {
    const [school] = await db().select().from(schools).where(eq(schools.urn, DEMO_SCHOOL_URN));
    const [onRoll] = await db()
      .select({ child: children })
      .from(enrolments)
      .innerJoin(children, eq(children.id, enrolments.childId))
      .where(and(eq(enrolments.schoolId, school!.id), isNull(enrolments.endDate)))
      .orderBy(children.laChildId)
      .limit(1);
    const child = onRoll!.child;
    const csv = `${new TextDecoder().decode(fixture('deletion-returns-school.csv'))}${child.firstName},${child.lastName},${child.dateOfBirth},${child.upn ?? ''},Jo Example,1 Road,${child.town},${child.postcode},07700 900123,,,,f,2026-11-20,dissatisfied-bullying,no,,\r\n`;
    const ctx = await contextFor(db(), 'demo-school-user');
    const result = await services().importDeletionReturns(ctx, text(csv), { mode: 'all-or-nothing' });
    expect(result).toMatchObject({ status: 'imported', imported: 4, duplicates: 0, skipped: 0 });
    expect(result.outcomes['ehe-episode-opened']).toBe(1);
    const [enrolment] = await db().select().from(enrolments).where(and(eq(enrolments.childId, child.id), eq(enrolments.schoolId, school!.id)));
    expect(enrolment).toMatchObject({ endDate: '2026-11-20', deletionGround: 'f' });
    expect(await db().select().from(episodes).where(and(eq(episodes.childId, child.id), eq(episodes.kind, 'ehe')))).toHaveLength(1);
    const [orrin] = await db().select().from(deletionReturns).where(eq(deletionReturns.pupilLastName, 'Blackwater-Vale'));
    expect(orrin).toMatchObject({ schoolId: school!.id, pupilDateOfBirth: '2012-09-07', parentPostcode: 'NZ2 5CD', source: 'csv' });
    const [tamsin] = await db().select().from(deletionReturns).where(eq(deletionReturns.pupilLastName, 'Ferrowby'));
    expect(tamsin).toMatchObject({ parentAddressLine1: 'The Old Mill, Lower Lane', concernsDetail: 'Recorded on the log; "see file"' });
  });

  test('a school may leave out school_urn, but may not name another school', async () => {
    const ctx = await contextFor(db(), 'demo-school-user');
    const report = await services().checkDeletionReturnsFile(ctx, text(`${OFFICER_HEADER}\n${officerRow(1, DEMO_SCHOOL_URN)}\n${officerRow(2, '999102')}\n`));
    expect(report).toMatchObject({ validRows: 1, invalidRows: 1, problems: [{ line: 3, column: 'school_urn', reason: 'You can only send returns for your own school' }] });
  });

  test('an officer’s file must have the school_urn column', async () => {
    const ctx = await contextFor(db(), 'demo-ehe-officer');
    const noUrn = new TextDecoder().decode(fixture('deletion-returns-school.csv'));
    const report = await services().checkDeletionReturnsFile(ctx, text(noUrn));
    expect(report.fileError).toMatchObject({ code: 'missing-columns', message: 'The file is missing the column school_urn' });
  });

  test.each([
    ['formula injection', () => fixture('deletion-returns-formula.csv'), 'formula', 'line 3, column parent_name'],
    ['not a CSV file', () => new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), 'binary', 'must be a CSV file'],
    ['not UTF-8', () => new Uint8Array([...text(`${OFFICER_HEADER}\n`), ...text(officerRow(1)).map((b) => (b === 0x54 ? 0xd4 : b))]), 'not-utf8', 'UTF-8'],
    ['JSON, not CSV', () => text('{"pupils": []}'), 'malformed', 'not a valid CSV file'],
  ])('%s refuses the whole file and writes nothing', async (_label, file, code, message) => {
    const ctx = await contextFor(db(), 'demo-cme-officer');
    const before = await returnCount();
    const result = await services().importDeletionReturns(ctx, file(), { mode: 'valid-only' });
    expect(result.status).toBe('refused');
    expect(result.report.fileError).toMatchObject({ code });
    expect(result.report.fileError!.message).toContain(message);
    expect(await returnCount()).toBe(before);
  });

  test('a file larger than the limit is refused and nothing is written', async () => {
    const ctx = await contextFor(db(), 'demo-cme-officer');
    const before = await returnCount();
    const rows = Array.from({ length: 40 }, (_, i) => officerRow(100 + i)).join('\n');
    const result = await services().importDeletionReturns(ctx, text(`${OFFICER_HEADER}\n${rows}\n`), { mode: 'valid-only', maxBytes: 2048 });
    expect(result.report.fileError).toMatchObject({ code: 'too-large', message: 'The selected file must be smaller than 2KB' });
    expect(await returnCount()).toBe(before);
  });

  test.each(['demo-social-worker', 'demo-health-visitor', 'demo-parent', 'demo-team-manager'])('%s may not check or import', async (subject) => {
    const ctx = await contextFor(db(), subject);
    await expect(services().checkDeletionReturnsFile(ctx, fixture('deletion-returns-officer-mixed.csv'))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(services().importDeletionReturns(ctx, fixture('deletion-returns-officer-mixed.csv'), { mode: 'valid-only' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  test('a failure inside a batch rolls back that whole batch, stops, and says which lines', async () => {
    const ctx = await contextFor(db(), 'demo-data-officer');
    const simple = createSimpleMatcher();
    const failing: ChildMatcher = {
      findCandidates: (executor, person) => (person.firstName === 'Testrow203' ? Promise.reject(new Error('matcher unavailable')) : simple.findCandidates(executor, person)),
      findCandidatesForMany: (executor, people) =>
        people.some((p) => p.firstName === 'Testrow203') ? Promise.reject(new Error('matcher unavailable')) : simple.findCandidatesForMany(executor, people),
    };
    const rows = Array.from({ length: 5 }, (_, i) => officerRow(201 + i)).join('\n');
    const before = await returnCount();
    const eventsBefore = (await db().select({ n: count() }).from(domainEvents))[0]!.n;
    const result = await importDeletionReturns({ runInTransaction: setup.runtime.runInTransaction, matcher: failing }, ctx, text(`${OFFICER_HEADER}\n${rows}\n`), { mode: 'all-or-nothing', batchSize: 2 });
    expect(result).toMatchObject({ status: 'stopped', imported: 2, failedBatch: { fromLine: 4, toLine: 5, reason: 'matcher unavailable', notAttempted: 1 } });
    expect(await returnCount()).toBe(before + 2);
    const names = (await db().select().from(deletionReturns).where(sql`${deletionReturns.pupilFirstName} like 'Testrow20%'`)).map((r) => r.pupilFirstName).sort();
    expect(names).toEqual(['Testrow201', 'Testrow202']);
    expect((await db().select({ n: count() }).from(domainEvents))[0]!.n).toBe(eventsBefore);
    expect(await lastAudit()).toMatchObject({ action: 'deletion-returns.import-file', details: { status: 'stopped', imported: 2 } });
    // Running the whole file again once the fault is gone completes it without doubling anything.
    const again = await services().importDeletionReturns(ctx, text(`${OFFICER_HEADER}\n${rows}\n`), { mode: 'all-or-nothing', batchSize: 2 });
    expect(again).toMatchObject({ status: 'imported', imported: 3, duplicates: 2 });
    expect((await verifyAuditLog(db())).ok).toBe(true);
  });
});
