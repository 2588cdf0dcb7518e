import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { allocations, auditLog, caseNotes, childAdults, adults, children, domainEvents, enrolments, schools } from '../../src/db/schema/index.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { DEMO_SCHOOL_URN } from '../../src/seed/demo-accounts.ts';
import { verifyAuditLog } from '../../src/domain/audit/verify-audit-log.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe.each(ENGINES)('child record use cases on %s', (engine) => {
  let setup: Setup;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;
  const lastAudit = async () => (await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1))[0];

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('a search finds children by name, postcode and UPN, and is audited with what came back', async () => {
    const [child] = await db().select().from(children).where(sql`${children.upn} is not null`).limit(1);
    if (!child) throw new Error('seed has no child with a UPN');
    const ctx = await contextFor(db(), 'demo-ehe-officer');
    const byName = await services().searchChildren(ctx, { name: `${child.firstName} ${child.lastName}` });
    expect(byName.results.map((r) => r.id)).toContain(child.id);
    const audit = await lastAudit();
    expect(audit?.action).toBe('child.search');
    expect(audit?.correlationId).toBe(ctx.correlationId);
    expect((audit?.details as { returned: string[] }).returned).toContain(child.id);

    const byPostcode = await services().searchChildren(ctx, { postcode: child.postcode.toLowerCase().replace(' ', '') });
    expect(byPostcode.results.every((r) => r.postcode === child.postcode)).toBe(true);
    const byUpn = await services().searchChildren(ctx, { upn: child.upn?.toLowerCase() });
    expect(byUpn.results.map((r) => r.id)).toEqual([child.id]);
    const byDob = await services().searchChildren(ctx, { dateOfBirth: child.dateOfBirth });
    expect(byDob.results.every((r) => r.dateOfBirth === child.dateOfBirth)).toBe(true);
  });

  test('a search with nothing to search by, or a bad UPN, is refused with field errors', async () => {
    const ctx = await contextFor(db(), 'demo-ehe-officer');
    await expect(services().searchChildren(ctx, {})).rejects.toMatchObject({ code: 'validation', fields: { name: 'Enter a name, date of birth, postcode or UPN' } });
    await expect(services().searchChildren(ctx, { upn: 'A999000000000' })).rejects.toMatchObject({ code: 'validation' });
  });

  test('a school user finds only children on, or recently off, their school’s roll', async () => {
    const ctx = await contextFor(db(), 'demo-school-user');
    const found = await services().searchChildren(ctx, { name: 'a' });
    const everyone = await services().searchChildren(await contextFor(db(), 'demo-team-manager'), { name: 'a' });
    expect(found.total).toBeGreaterThan(0);
    expect(found.total).toBeLessThan(everyone.total);
    const [school] = await db().select().from(schools).where(eq(schools.urn, DEMO_SCHOOL_URN));
    const cutoff = new Date(ctx.now.getTime() - 90 * 86_400_000).toISOString().slice(0, 10);
    for (const child of found.results) {
      const rows = await db().select().from(enrolments).where(and(eq(enrolments.childId, child.id), eq(enrolments.schoolId, school!.id)));
      expect(rows.some((r) => r.endDate === null || r.endDate >= cutoff)).toBe(true);
    }
  });

  test('a parent lists only their own children and is refused another child, and the refusal is audited', async () => {
    const ctx = await contextFor(db(), 'demo-parent');
    const mine = await services().listMyChildren(ctx);
    expect(mine).toHaveLength(2);
    const record = await services().viewChildRecord(ctx, mine[0]!.id);
    expect(record.allowed).toEqual({ edit: false, editSocialCare: false, merge: false, addNote: false, viewNotes: false });
    expect(record.staffDetails).toBeNull();
    const protectedAdult = record.adults.find((a) => a.doNotDiscloseAddress);
    expect(protectedAdult).toMatchObject({ addressLine1: null, postcode: null });
    const officerView = await services().viewChildRecord(await contextFor(db(), 'demo-ehe-officer'), mine[0]!.id);
    expect(officerView.adults.find((a) => a.id === protectedAdult!.id)!.addressLine1).not.toBeNull();
    expect(record.timeline.every((t) => t.noteBody === null)).toBe(true);
    const [other] = await db().select().from(children).where(sql`${children.id} not in (${sql.join(mine.map((c) => sql`${c.id}`), sql`, `)})`).limit(1);
    expect(await codeOf(services().viewChildRecord(ctx, other!.id))).toBe('forbidden');
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: 'child.view.refused', recordId: other!.id, actorId: ctx.actor.id });
    await expect(services().searchChildren(ctx, { name: 'a' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  test('a health visitor opens allocated children only', async () => {
    const ctx = await contextFor(db(), 'demo-health-visitor');
    const [allocated] = await db().select().from(allocations).where(and(eq(allocations.userId, ctx.actor.id!), isNull(allocations.endedOn))).limit(1);
    expect(await codeOf(services().viewChildRecord(ctx, allocated!.childId))).toBe('ok');
    const [notAllocated] = await db()
      .select({ id: children.id })
      .from(children)
      .where(sql`not exists (select 1 from allocations a where a.child_id = ${children.id} and a.user_id = ${ctx.actor.id})`)
      .limit(1);
    expect(await codeOf(services().viewChildRecord(ctx, notAllocated!.id))).toBe('forbidden');
  });

  test('opening a record is audited; an unknown child is not found', async () => {
    const ctx = await contextFor(db(), 'demo-social-worker');
    const [child] = await db().select().from(children).limit(1);
    const record = await services().viewChildRecord(ctx, child!.id);
    expect(record.child.id).toBe(child!.id);
    expect(await lastAudit()).toMatchObject({ action: 'child.view', recordId: child!.id, childId: child!.id, correlationId: ctx.correlationId });
    expect(await codeOf(services().viewChildRecord(ctx, '00000000-0000-4000-8000-000000000000'))).toBe('not-found');
    expect(await codeOf(services().viewChildRecord(ctx, 'not-a-uuid'))).toBe('not-found');
  });

  test('adding a case note writes the note, its timeline event, its job and its audit row together', async () => {
    const ctx = await contextFor(db(), 'demo-social-worker');
    const [child] = await db().select().from(children).limit(1);
    const note = await services().addCaseNote(ctx, child!.id, { body: '  Visited at home; child seen.  ', followUpBy: '2026-12-01' });
    expect(note.body).toBe('Visited at home; child seen.');
    const [event] = await db().select().from(domainEvents).where(eq(domainEvents.aggregateId, note.id));
    expect(event).toMatchObject({ type: 'case-note.added', childId: child!.id, correlationId: ctx.correlationId, visibility: 'staff' });
    const jobs = (await db().execute(sql`select data from pgboss.job where name = 'case-note-added' and data->>'noteId' = ${note.id}`)) as unknown as { rows: unknown[] };
    expect(jobs.rows).toHaveLength(1);
    expect(await lastAudit()).toMatchObject({ action: 'case-note.add', recordId: note.id, childId: child!.id });
    const record = await services().viewChildRecord(ctx, child!.id);
    expect(record.timeline[0]).toMatchObject({ type: 'case-note.added', noteBody: 'Visited at home; child seen.' });
  });

  test('a failed unit of work leaves no note, event, job or audit row behind', async () => {
    const ctx = await contextFor(db(), 'demo-social-worker');
    const [child] = await db().select().from(children).limit(1);
    const auditBefore = (await lastAudit())?.seq;
    const body = `never saved ${ctx.correlationId}`;
    await expect(
      setup.runtime.runInTransaction(ctx, async (uow) => {
        const [saved] = await uow.tx.insert(caseNotes).values({ childId: child!.id, authorId: ctx.actor.id!, body }).returning();
        uow.event({ type: 'case-note.added', aggregateType: 'case_note', aggregateId: saved!.id, childId: child!.id, summary: 'x', visibility: 'staff' });
        uow.job({ queue: 'case-note-added', data: { noteId: saved!.id } });
        uow.audit({ action: 'case-note.add', recordType: 'case_note', recordId: saved!.id, childId: child!.id });
        await uow.tx.execute(sql`select 1 / 0`);
      }),
    ).rejects.toThrow();
    expect(await db().select().from(caseNotes).where(eq(caseNotes.body, body))).toHaveLength(0);
    expect(await db().select().from(domainEvents).where(eq(domainEvents.correlationId, ctx.correlationId))).toHaveLength(0);
    expect((await lastAudit())?.seq).toBe(auditBefore);
  });

  test('invalid notes and roles that may not add notes are refused', async () => {
    const [child] = await db().select().from(children).limit(1);
    const worker = await contextFor(db(), 'demo-social-worker');
    await expect(services().addCaseNote(worker, child!.id, { body: '   ' })).rejects.toMatchObject({ code: 'validation', fields: { body: 'Enter the case note' } });
    await expect(services().addCaseNote(worker, child!.id, { body: 'x', followUpBy: '2026-02-30' })).rejects.toMatchObject({ code: 'validation', fields: { followUpBy: 'Enter a real date' } });
    await expect(services().addCaseNote(worker, child!.id, { body: 'x', followUpBy: '2020-01-01' })).rejects.toMatchObject({ code: 'validation' });
    for (const subject of ['demo-data-officer', 'demo-administrator', 'demo-parent', 'demo-school-user', 'demo-health-visitor']) {
      expect(await codeOf(services().addCaseNote(await contextFor(db(), subject), child!.id, { body: 'x' }))).toBe('forbidden');
    }
  });

  test('a stale edit of a child’s details is refused, and of two concurrent edits exactly one wins', async () => {
    const ctx = await contextFor(db(), 'demo-ehe-officer');
    const [child] = await db().select().from(children).limit(1);
    const form = (version: number, town: string) => ({
      version,
      firstName: child!.firstName,
      lastName: child!.lastName,
      dateOfBirth: child!.dateOfBirth,
      sex: child!.sex,
      addressLine1: child!.addressLine1,
      town,
      postcode: child!.postcode,
    });
    const updated = await services().changeChildDetails(ctx, child!.id, form(child!.version, 'Kettlewick'));
    expect(updated.version).toBe(child!.version + 1);
    expect(await codeOf(services().changeChildDetails(ctx, child!.id, form(child!.version, 'Elsewhere')))).toBe('stale-version');
    const outcomes = await Promise.all([
      codeOf(services().changeChildDetails(ctx, child!.id, form(updated.version, 'Ashby'))),
      codeOf(services().changeChildDetails(await contextFor(db(), 'demo-cme-officer'), child!.id, form(updated.version, 'Brantwood'))),
    ]);
    expect(outcomes.sort()).toEqual(['ok', 'stale-version']);
    const [after] = await db().select().from(children).where(eq(children.id, child!.id));
    expect(after!.version).toBe(updated.version + 1);
    expect(['Ashby', 'Brantwood']).toContain(after!.town);
  });

  test('concurrent audited reads append to one unbroken chain', async () => {
    const ctx = await contextFor(db(), 'demo-team-manager');
    const ids = (await db().select({ id: children.id }).from(children).limit(20)).map((r) => r.id);
    const before = (await lastAudit())!.seq;
    await Promise.all(ids.map((id) => services().viewChildRecord({ ...ctx, correlationId: `c-${id}` }, id)));
    expect((await lastAudit())!.seq).toBe(before + ids.length);
    expect((await verifyAuditLog(db())).ok).toBe(true);
  });

  test('rows cut from the end of the audit log are noticed through the chain’s head', async () => {
    const ctx = await contextFor(db(), 'demo-social-worker');
    const [child] = await db().select().from(children).limit(1);
    await services().viewChildRecord(ctx, child!.id);
    const last = await lastAudit();
    await db().execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await db().execute(sql`delete from audit_log where seq = ${last!.seq}`);
    await db().execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    expect(await verifyAuditLog(db())).toMatchObject({ ok: false, firstBreak: { seq: last!.seq, problem: 'head-mismatch', lastSeq: last!.seq - 1 } });
    await db().insert(auditLog).values(last!);
    expect((await verifyAuditLog(db())).ok).toBe(true);
  });

  test('the audit log verifies, refuses changes, and reports the first row altered behind its back', async () => {
    const intact = await verifyAuditLog(db());
    expect(intact.ok).toBe(true);
    expect(intact.checked).toBeGreaterThan(5);
    await expect(db().execute(sql`update audit_log set action = 'x' where seq = 3`)).rejects.toThrow();
    await expect(db().execute(sql`delete from audit_log where seq = 3`)).rejects.toThrow();
    await db().execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await db().execute(sql`update audit_log set details = '{"tampered":true}' where seq = 3`);
    await db().execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    const broken = await verifyAuditLog(db());
    expect(broken).toMatchObject({ ok: false, checked: 2, firstBreak: { seq: 3, problem: 'content-altered' } });
  });
});

describe('seeded relationships the policies rely on', () => {
  test('the demo parent is linked to a family', async () => {
    const setup = await createTestRuntime('pglite', { childCount: 60 });
    try {
      const rows = await setup.runtime.database.db
        .select({ childId: childAdults.childId })
        .from(childAdults)
        .innerJoin(adults, eq(adults.id, childAdults.adultId))
        .where(sql`${adults.userId} is not null`);
      expect(rows.length).toBeGreaterThanOrEqual(2);
    } finally {
      await setup.close();
    }
  });
});
