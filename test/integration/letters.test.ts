import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { adults, auditLog, childAdults, children, domainEvents, letters, letterTemplates, notifications, schools, users } from '../../src/db/schema/index.ts';
import { queueLetterToSchool, queueLettersToParents } from '../../src/domain/letters/queue.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { sendQueuedLetter } from '../../src/jobs/letters.ts';
import { letterPlainText, type Letter } from '../../src/letters/index.ts';
import { createGovukNotifyNotifier, createOutboxNotifier, type Notifier } from '../../src/notify/notifier.ts';
import { DEMO_SCHOOL_URN } from '../../src/seed/demo-accounts.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime, TEST_TODAY } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';

const PROTECTED_LINE = '12 Larch Close';
const PROTECTED_POSTCODE = 'NZ9 3LC';

describe.each(ENGINES)('letters on %s', (engine) => {
  let setup: Awaited<ReturnType<typeof createTestRuntime>>;
  const db = () => setup.runtime.database.db;
  const now = new Date(`${TEST_TODAY}T10:00:00Z`);
  const deps = (notifier: Notifier = createOutboxNotifier()) => ({ db: db(), runInTransaction: setup.runtime.runInTransaction, notifier, baseUrl: 'http://localhost:3000', now: () => now });
  let childId: string;
  let parentAdultId: string;
  let otherParentAdultId: string;
  const parentEmail = 'robin.fairweather@family.example';

  async function waitForStatus(ids: readonly string[], status: string) {
    const deadline = Date.now() + 20_000;
    let rows: (typeof letters.$inferSelect)[] = [];
    while (Date.now() < deadline) {
      rows = await db().select().from(letters).where(inArray(letters.id, [...ids]));
      if (rows.length === ids.length && rows.every((r) => r.status === status)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return rows;
  }

  beforeAll(async () => {
    setup = await createTestRuntime(engine, { workers: true });
    // The demo parent's children have a second parent whose address must not be disclosed.
    const [parent] = await db().select({ adultId: adults.id }).from(adults).innerJoin(users, eq(users.id, adults.userId)).where(eq(users.subject, 'demo-parent'));
    parentAdultId = parent!.adultId;
    const [link] = await db().select().from(childAdults).where(eq(childAdults.adultId, parentAdultId)).limit(1);
    childId = link!.childId;
    const [other] = await db()
      .select({ id: adults.id })
      .from(childAdults)
      .innerJoin(adults, eq(adults.id, childAdults.adultId))
      .where(and(eq(childAdults.childId, childId), eq(adults.doNotDiscloseAddress, true)));
    otherParentAdultId = other!.id;
    await db().update(adults).set({ preferredChannel: 'email', email: parentEmail }).where(eq(adults.id, parentAdultId));
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('one letter goes to each parent with parental responsibility, by the channel they chose, with its event and audit in the same transaction', async () => {
    const ctx = await contextFor(db(), 'demo-ehe-officer', now);
    const { letterIds } = await setup.runtime.runInTransaction(ctx, (uow) => queueLettersToParents(uow, { childId, templateKey: 'informal-enquiry', data: { replyBy: '13 December 2026' } }));
    const withResponsibility = await db().select().from(childAdults).where(and(eq(childAdults.childId, childId), eq(childAdults.parentalResponsibility, true)));
    expect(letterIds).toHaveLength(withResponsibility.length);
    expect(letterIds.length).toBeGreaterThanOrEqual(2);

    const rows = await db().select().from(letters).where(inArray(letters.id, letterIds));
    const toParent = rows.find((r) => r.recipientAdultId === parentAdultId)!;
    const toOther = rows.find((r) => r.recipientAdultId === otherParentAdultId)!;
    expect(toParent).toMatchObject({ channel: 'email', emailAddress: parentEmail, templateKey: 'informal-enquiry', childId, createdBy: ctx.actor.id });
    expect(toOther).toMatchObject({ channel: 'post', emailAddress: null });
    const [child] = await db().select().from(children).where(eq(children.id, childId));
    expect(toParent.reference).toMatch(new RegExp(`^EHE/${child!.laChildId}/[0-9A-F]{8}$`));
    expect(toParent.subject).toBe(`Your child’s education: ${child!.firstName} ${child!.lastName}`);

    const parentText = letterPlainText(toParent.content as Letter);
    expect(parentText).toContain('We will only contact you in writing.');
    expect(parentText).toContain('by 13 December 2026');
    expect(parentText).toContain('Yours sincerely\n\nElective Home Education Team\nNorthshire Council');
    expect(parentText).not.toContain(PROTECTED_LINE);
    expect(parentText).not.toContain(PROTECTED_POSTCODE);
    // Someone's own address is never withheld from them.
    expect((toOther.content as Letter).recipient.addressLines).toEqual([PROTECTED_LINE, 'Elmbridge Moor', PROTECTED_POSTCODE]);

    const events = await db().select().from(domainEvents).where(and(eq(domainEvents.type, 'letter.queued'), inArray(domainEvents.aggregateId, letterIds)));
    expect(events).toHaveLength(letterIds.length);
    for (const event of events) {
      expect(event.visibility).toBe('family');
      expect(event.correlationId).toBe(ctx.correlationId);
      expect(event.summary).toMatch(/^Letter sent to .+: Your child’s education: /);
    }
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.action, 'letter.queue'), eq(auditLog.correlationId, ctx.correlationId)));
    expect(audits.map((a) => a.recordId).sort()).toEqual([...letterIds].sort());

    // The worker sends each through the embedded outbox: the email as text, the posted letter as a letter.
    const sent = await waitForStatus(letterIds, 'delivered');
    expect(sent.every((r) => r.sentAt !== null && r.providerReference !== null)).toBe(true);
    const emailed = await db().select().from(notifications).where(and(eq(notifications.recipientEmail, parentEmail), eq(notifications.template, 'letter')));
    expect(emailed).toHaveLength(1);
    expect(emailed[0]!.body).toContain('We will only contact you in writing.');
    const posted = await db().select().from(notifications).where(eq(notifications.providerReference, toOther.reference));
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ template: 'letter', status: 'in-outbox', subject: toOther.subject });
    expect(posted[0]!.recipientEmail).toContain('(by post)');
  });

  test('the council’s own wording is used when it has saved some', async () => {
    await db().insert(letterTemplates).values({ key: 'sao-revoked', subject: 'Order ended for {{ child.firstName }}', body: 'Dear {{ recipient.name }},\n\nOur own wording. {{ data.reasons }}', version: 1 });
    const ctx = await contextFor(db(), 'demo-ehe-officer', now);
    const { letterIds } = await setup.runtime.runInTransaction(ctx, (uow) => queueLettersToParents(uow, { childId, templateKey: 'sao-revoked', data: { revokedOn: '22 November 2026', reasons: 'A plan was received.' } }));
    const rows = await db().select().from(letters).where(inArray(letters.id, letterIds));
    const [child] = await db().select().from(children).where(eq(children.id, childId));
    for (const row of rows) {
      expect(row.subject).toBe(`Order ended for ${child!.firstName}`);
      expect(letterPlainText(row.content as Letter)).toContain('Our own wording. A plan was received.');
    }
    await db().delete(letterTemplates).where(eq(letterTemplates.key, 'sao-revoked'));
  });

  test('a child with nobody holding parental responsibility gets no letters, and the caller is told why', async () => {
    const [lonely] = await db()
      .insert(children)
      .values({ laChildId: `LTR${engine}`, firstName: 'Ash', lastName: 'Penhallow', dateOfBirth: '2015-06-14', sex: 'U', addressLine1: '3 Quarry Lane', town: 'Brackenthwaite', postcode: 'NZ1 5QL', postcodeKey: 'NZ15QL' })
      .returning();
    const ctx = await contextFor(db(), 'demo-ehe-officer', now);
    const attempt = setup.runtime.runInTransaction(ctx, (uow) => queueLettersToParents(uow, { childId: lonely!.id, templateKey: 'informal-enquiry', data: { replyBy: '13 December 2026' } }));
    await expect(attempt).rejects.toMatchObject({ code: 'validation', message: 'Add a parent or carer with parental responsibility before sending letters' });
    expect(await db().select().from(letters).where(eq(letters.childId, lonely!.id))).toHaveLength(0);
  });

  test('a letter to a school goes to the headteacher and never shows an address that must not be disclosed', async () => {
    const [school] = await db().select().from(schools).where(eq(schools.urn, DEMO_SCHOOL_URN));
    const ctx = await contextFor(db(), 'demo-ehe-officer', now);
    const data = { decision: 'granted', reasons: 'The family’s plan is clear.', schoolName: school!.name, decidedOn: '22 November 2026' };
    const { letterId } = await setup.runtime.runInTransaction(ctx, (uow) => queueLetterToSchool(uow, { schoolId: school!.id, childId, templateKey: 'consent-decision-school', data }));
    const [row] = await db().select().from(letters).where(eq(letters.id, letterId));
    const text = letterPlainText(row!.content as Letter);
    expect(text).not.toContain(PROTECTED_LINE);
    expect(text.replace(/\s/g, '')).not.toContain(PROTECTED_POSTCODE.replace(/\s/g, ''));
    expect(text).toContain(`The Headteacher\n${school!.name}\n${school!.postcode}`);
    expect(text).toContain('Dear Headteacher,');
    const [schoolUser] = await db().select().from(users).where(eq(users.subject, 'demo-school-user'));
    expect(row).toMatchObject({ recipientSchoolId: school!.id, recipientAdultId: null, channel: 'email', emailAddress: schoolUser!.email, recipientName: `The Headteacher, ${school!.name}` });
    const [event] = await db().select().from(domainEvents).where(eq(domainEvents.aggregateId, letterId));
    expect(event).toMatchObject({ visibility: 'partners', correlationId: ctx.correlationId });
    const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.action, 'letter.queue'), eq(auditLog.recordId, letterId)));
    expect(audit!.correlationId).toBe(ctx.correlationId);
    const [delivered] = await waitForStatus([letterId], 'delivered');
    expect(delivered!.status).toBe('delivered');

    // Details that would reveal the protected address are refused, and nothing is written.
    const leaking = setup.runtime.runInTransaction(ctx, (uow) =>
      queueLetterToSchool(uow, { schoolId: school!.id, childId, templateKey: 'consent-decision-school', data: { ...data, reasons: `The other parent lives at ${PROTECTED_LINE.toUpperCase()}.` } }),
    );
    await expect(leaking).rejects.toBeInstanceOf(DomainError);
    await expect(leaking).rejects.toMatchObject({ code: 'validation' });
    expect(await db().select().from(letters).where(sql`${letters.content}::text like ${`%${PROTECTED_LINE.toUpperCase()}%`}`)).toHaveLength(0);
  });

  async function unsentLetter(): Promise<string> {
    // A copy of an existing letter with no job behind it, so only the test sends it.
    const [source] = await db().select().from(letters).where(and(eq(letters.childId, childId), eq(letters.channel, 'post'))).limit(1);
    const { id: _id, ...rest } = source!;
    const [copy] = await db()
      .insert(letters)
      .values({ ...rest, status: 'queued', sentAt: null, providerReference: null, statusDetail: null, reference: `${source!.reference}-T${Date.now()}` })
      .returning();
    return copy!.id;
  }

  test('a send that fails marks the letter failed with the reason and is thrown for a retry; a retry sends it once', async () => {
    const letterId = await unsentLetter();
    const broken: Notifier = {
      sendEmail: () => Promise.reject(new Error('Notify is not answering')),
      sendLetter: () => Promise.reject(new Error('Notify is not answering')),
    };
    await expect(sendQueuedLetter(deps(broken), 'job-fail', { letterId })).rejects.toThrow('Notify is not answering');
    const [failed] = await db().select().from(letters).where(eq(letters.id, letterId));
    expect(failed).toMatchObject({ status: 'failed', statusDetail: 'Notify is not answering', sentAt: null });
    const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.action, 'letter.send-failed'), eq(auditLog.recordId, letterId)));
    expect(audit).toBeDefined();

    expect(await sendQueuedLetter(deps(), 'job-retry', { letterId })).toBe('delivered');
    expect(await sendQueuedLetter(deps(), 'job-again', { letterId })).toBe('already-sent');
    const [sent] = await db().select().from(letters).where(eq(letters.id, letterId));
    expect(sent).toMatchObject({ status: 'delivered', statusDetail: null });
    expect(sent!.sentAt?.toISOString()).toBe(now.toISOString());
    expect(await db().select().from(notifications).where(eq(notifications.providerReference, sent!.reference))).toHaveLength(1);
  });

  test('GOV.UK Notify receives a posted letter as a precompiled PDF and the letter is marked sent', async () => {
    const letterId = await unsentLetter();
    const calls: { reference: string; pdf: Buffer }[] = [];
    const notifier = createGovukNotifyNotifier('key', { 'overdue-work-digest': 'tmpl-digest', 'case-note-added': 'tmpl-note' }, {
      sendEmail: () => Promise.reject(new Error('not used')),
      async sendPrecompiledLetter(reference, pdf) {
        calls.push({ reference, pdf });
        return { data: { id: 'notify-letter-1' } };
      },
    });
    expect(await sendQueuedLetter(deps(notifier), 'job-notify', { letterId })).toBe('sent');
    const [row] = await db().select().from(letters).where(eq(letters.id, letterId));
    expect(row).toMatchObject({ status: 'sent', providerReference: 'notify-letter-1' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.reference).toBe(row!.reference);
    expect(calls[0]!.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
