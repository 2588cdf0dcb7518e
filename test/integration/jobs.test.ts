import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { allocations, children, notifications, users } from '../../src/db/schema/index.ts';
import { sendOverdueWorkDigests, notifyAllocatedWorkersOfNote } from '../../src/jobs/handlers.ts';
import { createOutboxNotifier, createGovukNotifyNotifier } from '../../src/notify/notifier.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime, TEST_TODAY } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';

describe.each(ENGINES)('background jobs on %s', (engine) => {
  let setup: Awaited<ReturnType<typeof createTestRuntime>>;
  const db = () => setup.runtime.database.db;
  const deps = () => ({ db: db(), runInTransaction: setup.runtime.runInTransaction, notifier: createOutboxNotifier(), baseUrl: 'http://localhost:3000', now: () => new Date(`${TEST_TODAY}T07:00:00Z`) });

  beforeAll(async () => {
    setup = await createTestRuntime(engine, { workers: true });
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('the daily digest emails each worker with overdue follow-ups once, listing them', async () => {
    const sent = await sendOverdueWorkDigests(deps(), 'digest-1');
    expect(sent).toBeGreaterThan(0);
    const [ehe] = await db().select().from(users).where(eq(users.subject, 'demo-ehe-officer'));
    const mine = await db().select().from(notifications).where(and(eq(notifications.recipientEmail, ehe!.email), eq(notifications.template, 'overdue-work-digest')));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.subject).toMatch(/^You have \d+ overdue follow-ups?$/);
    expect(mine[0]!.body).toContain('/children/');
    const digests = await db().select().from(notifications).where(eq(notifications.template, 'overdue-work-digest'));
    expect(digests).toHaveLength(sent);
  });

  test('a case note added through the use case reaches the allocated worker through the queue and the worker', async () => {
    const [allocation] = await db()
      .select({ childId: allocations.childId, userId: allocations.userId, email: users.email })
      .from(allocations)
      .innerJoin(users, eq(users.id, allocations.userId))
      .where(and(isNull(allocations.endedOn), eq(users.subject, 'demo-social-worker')))
      .limit(1);
    const author = await contextFor(db(), 'demo-team-manager');
    const note = await setup.runtime.services.addCaseNote(author, allocation!.childId, { body: 'Strategy discussion arranged.' });
    const deadline = Date.now() + 20_000;
    let delivered: (typeof notifications.$inferSelect)[] = [];
    while (Date.now() < deadline) {
      delivered = await db().select().from(notifications).where(eq(notifications.providerReference, `case-note-added:${note.id}:${allocation!.userId}`));
      if (delivered.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(delivered).toHaveLength(1);
    const [child] = await db().select().from(children).where(eq(children.id, allocation!.childId));
    expect(delivered[0]!.subject).toBe(`New case note for child ${child!.laChildId}`);
    expect(delivered[0]!.body).not.toContain(child!.lastName);
  });

  test('the note job tells nobody when nobody else is allocated', async () => {
    const [child] = await db()
      .select({ id: children.id })
      .from(children)
      .where(sql`not exists (select 1 from allocations a where a.child_id = ${children.id})`)
      .limit(1);
    const author = await contextFor(db(), 'demo-mash-worker');
    const note = await setup.runtime.services.addCaseNote(author, child!.id, { body: 'Referral received.' });
    expect(await notifyAllocatedWorkersOfNote(deps(), 'direct', { noteId: note.id })).toBe(0);
  });

  test('GOV.UK Notify is called with the template, personalisation and a stable reference', async () => {
    const calls: unknown[] = [];
    const notifier = createGovukNotifyNotifier('key', { 'overdue-work-digest': 'tmpl-digest', 'case-note-added': 'tmpl-note' }, {
      async sendEmail(templateId, email, options) {
        calls.push({ templateId, email, options });
        return { data: { id: 'notify-id-1' } };
      },
    });
    await notifier.sendEmail(db(), { to: 'someone@northshire.example', template: 'case-note-added', subject: 'S', body: 'B', reference: 'ref-1' });
    expect(calls).toEqual([{ templateId: 'tmpl-note', email: 'someone@northshire.example', options: { personalisation: { subject: 'S', body: 'B' }, reference: 'ref-1' } }]);
    const [row] = await db().select().from(notifications).where(eq(notifications.providerReference, 'notify-id-1'));
    expect(row).toMatchObject({ status: 'sent', template: 'case-note-added' });
  });
});
