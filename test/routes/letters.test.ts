import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { adults, auditLog, childAdults, letters, letterTemplates, users } from '../../src/db/schema/index.ts';
import { queueLettersToParents } from '../../src/domain/letters/queue.ts';
import { SHIPPED_TEMPLATES } from '../../src/domain/letters/templates.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { sessionFor, type TestSession } from '../support/sessions.ts';
import { contextFor } from '../support/actors.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

describe.each(ENGINES)('correspondence and letter templates on %s', (engine) => {
  let t: TestApp;
  let officer: TestSession;
  let administrator: TestSession;
  let childId: string;
  let letterId: string;
  const db = () => t.runtime.database.db;

  beforeAll(async () => {
    t = await createTestApp(engine);
    officer = await sessionFor(db(), 'demo-ehe-officer');
    administrator = await sessionFor(db(), 'demo-administrator');
    const [parent] = await db().select({ adultId: adults.id }).from(adults).innerJoin(users, eq(users.id, adults.userId)).where(eq(users.subject, 'demo-parent'));
    const [link] = await db().select().from(childAdults).where(eq(childAdults.adultId, parent!.adultId)).limit(1);
    childId = link!.childId;
    const ctx = await contextFor(db(), 'demo-ehe-officer');
    const queued = await t.runtime.runInTransaction(ctx, (uow) => queueLettersToParents(uow, { childId, templateKey: 'informal-enquiry', data: { replyBy: '13 December 2026' } }));
    letterId = queued.letterIds[0]!;
  });
  afterAll(async () => {
    await t?.close();
  });

  test('the child’s record lists the letters sent, each linking to the letter, and the read is audited', async () => {
    const page = await t.app.inject({ url: `/children/${childId}`, headers: { cookie: officer.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Correspondence');
    expect(page.body).toContain(`href="/letters/${letterId}"`);
    expect(page.body).toContain('Waiting to send');
    expect(page.body).toMatch(/<td class="govuk-table__cell">(Email|Post)<\/td>/);
    const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.action, 'letter.list'), eq(auditLog.childId, childId))).orderBy(desc(auditLog.seq)).limit(1);
    expect(audit!.actorId).toBe(officer.userId);
  });

  test('an officer reads a letter and downloads it as a PDF; both are audited against the child', async () => {
    const [row] = await db().select().from(letters).where(eq(letters.id, letterId));
    const view = await t.app.inject({ url: `/letters/${letterId}`, headers: { cookie: officer.cookie } });
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain(`href="/letters/${letterId}.pdf"`);
    expect(view.body).toContain('Download the letter as a PDF');
    expect(view.body).toContain('class="app-letter"');
    expect(view.body).toContain(row!.reference);

    const pdf = await t.app.inject({ url: `/letters/${letterId}.pdf`, headers: { cookie: officer.cookie } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename="letter-EHE-[A-Za-z0-9-]+\.pdf"$/);

    const reads = await db().select().from(auditLog).where(and(eq(auditLog.recordId, letterId), eq(auditLog.actorId, officer.userId)));
    expect(reads.map((r) => r.action)).toEqual(expect.arrayContaining(['letter.view', 'letter.download']));
    expect(reads.every((r) => r.childId === childId)).toBe(true);
  });

  test('schools and parents cannot read letters here, and their record page shows none', async () => {
    for (const subject of ['demo-school-user', 'demo-parent']) {
      const session = await sessionFor(db(), subject);
      expect((await t.app.inject({ url: `/letters/${letterId}`, headers: { cookie: session.cookie } })).statusCode).toBe(403);
      expect((await t.app.inject({ url: `/letters/${letterId}.pdf`, headers: { cookie: session.cookie } })).statusCode).toBe(403);
    }
    const parent = await sessionFor(db(), 'demo-parent');
    const record = await t.app.inject({ url: `/children/${childId}`, headers: { cookie: parent.cookie } });
    expect(record.statusCode).toBe(200);
    expect(record.body).not.toContain('id="correspondence"');
    const refused = await db().select().from(auditLog).where(and(eq(auditLog.action, 'letter.view.refused'), eq(auditLog.recordId, letterId)));
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect((await t.app.inject({ url: '/letters/not-a-letter', headers: { cookie: officer.cookie } })).statusCode).toBe(404);
  });

  test('an administrator sees every template and whose wording is in use', async () => {
    const list = await t.app.inject({ url: '/admin/letters', headers: { cookie: administrator.cookie } });
    expect(list.statusCode).toBe(200);
    for (const template of Object.values(SHIPPED_TEMPLATES)) expect(list.body).toContain(template.title);
    expect(list.body).toContain('Shipped wording');
    expect(list.body).toContain('Letter templates');
    const page = await t.app.inject({ url: '/admin/letters/informal-enquiry', headers: { cookie: administrator.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data.replyBy');
    expect(page.body).toContain('council.policyUrl');
    expect(page.body).toContain('{{ child.firstName }}');
    expect((await t.app.inject({ url: '/admin/letters/no-such-letter', headers: { cookie: administrator.cookie } })).statusCode).toBe(404);
  });

  test('preview shows the letter without saving; a bad placeholder is a GOV.UK error; save, a stale save and reset', async () => {
    const url = '/admin/letters/informal-enquiry';
    const post = (values: Record<string, string>) => t.app.inject({ method: 'POST', url, headers: { cookie: administrator.cookie, ...FORM }, payload: form({ _csrf: administrator.csrfToken, ...values }) });
    const subject = 'About {{ child.firstName }}’s education';
    const body = 'Dear {{ recipient.name }},\n\nPlease tell us about **{{ child.firstName }}** by {{ data.replyBy }}.';

    const preview = await post({ action: 'preview', version: '0', subject, body });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Preview');
    expect(preview.body).toContain('Please tell us about <strong>Ellis</strong> by 24 March 2027.');
    expect(preview.body).toContain('Northshire Council');
    expect(await db().select().from(letterTemplates)).toHaveLength(0);

    const bad = await post({ action: 'save', version: '0', subject, body: `${body}\n\nShoe size: {{ child.shoeSize }}\n\n{{ range.constructor("x")() }}` });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('href="#body"');
    expect(bad.body).toContain('the template uses brackets to call something');
    expect(await db().select().from(letterTemplates)).toHaveLength(0);
    const unknown = await post({ action: 'save', version: '0', subject, body: `${body}\n\nShoe size: {{ child.shoeSize }}` });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('The template uses “child.shoeSize”, which is not available');
    const empty = await post({ action: 'save', version: '0', subject: '', body });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter a subject');

    const saved = await post({ action: 'save', version: '0', subject, body });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/admin/letters?saved=informal-enquiry');
    const [row] = await db().select().from(letterTemplates).where(eq(letterTemplates.key, 'informal-enquiry'));
    expect(row).toMatchObject({ version: 1, subject, body, updatedBy: administrator.userId });
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.action, 'letter-template.change')).orderBy(desc(auditLog.seq)).limit(1);
    expect(audit).toMatchObject({ recordId: 'informal-enquiry', actorId: administrator.userId });
    const list = await t.app.inject({ url: '/admin/letters?saved=informal-enquiry', headers: { cookie: administrator.cookie } });
    expect(list.body).toContain('Council’s own wording');
    expect(list.body).toContain('your wording has been saved');

    const stale = await post({ action: 'save', version: '0', subject: 'Another subject', body });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this letter template');
    expect(stale.body).toContain('Show the wording you entered, which was not saved');
    expect((await db().select().from(letterTemplates).where(eq(letterTemplates.key, 'informal-enquiry')))[0]!.subject).toBe(subject);

    expect((await post({ action: 'reset', version: '0' })).statusCode).toBe(409);
    const reset = await post({ action: 'reset', version: '1' });
    expect(reset.statusCode).toBe(303);
    expect(reset.headers.location).toBe('/admin/letters?reset=informal-enquiry');
    expect(await db().select().from(letterTemplates)).toHaveLength(0);
    const [resetAudit] = await db().select().from(auditLog).where(eq(auditLog.action, 'letter-template.reset')).orderBy(desc(auditLog.seq)).limit(1);
    expect(resetAudit).toMatchObject({ recordId: 'informal-enquiry', actorId: administrator.userId });
  });

  test('officers and team managers cannot see or change letter templates', async () => {
    for (const subject of ['demo-ehe-officer', 'demo-team-manager']) {
      const session = await sessionFor(db(), subject);
      expect((await t.app.inject({ url: '/admin/letters', headers: { cookie: session.cookie } })).statusCode).toBe(403);
      expect((await t.app.inject({ url: '/admin/letters/informal-enquiry', headers: { cookie: session.cookie } })).statusCode).toBe(403);
      const change = await t.app.inject({
        method: 'POST',
        url: '/admin/letters/informal-enquiry',
        headers: { cookie: session.cookie, ...FORM },
        payload: form({ _csrf: session.csrfToken, action: 'save', version: '0', subject: 'Changed', body: 'Dear {{ recipient.name }},' }),
      });
      expect(change.statusCode).toBe(403);
      const ctx = await contextFor(db(), subject);
      await expect(t.runtime.services.changeLetterTemplate(ctx, 'informal-enquiry', { version: 0, subject: 'Changed', body: 'Hello' })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(t.runtime.services.resetLetterTemplate(ctx, 'informal-enquiry', { version: 0 })).rejects.toMatchObject({ code: 'forbidden' });
    }
    expect(await db().select().from(letterTemplates)).toHaveLength(0);
    const nav = await t.app.inject({ url: '/home', headers: { cookie: administrator.cookie } });
    expect(nav.body).toContain('href="/admin/letters"');
  });
});
