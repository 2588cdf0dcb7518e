import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { auditLog, familySubmissions } from '../../src/db/schema/index.ts';
import { attachDocuments, checkUpload, insertSubmission, loadFamily, sanitiseFileName, type CheckedUpload } from '../../src/domain/family/core.ts';
import { nextStatuses, staffMaySee } from '../../src/domain/family/staff.ts';
import type { Actor } from '../../src/domain/auth/actor.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { sessionFor, type TestSession } from '../support/sessions.ts';
import { parentInAnotherFamily } from '../support/family.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (values: Record<string, string>) => new URLSearchParams(values).toString();
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

const actor = (role: Actor['role']): Actor => ({ kind: 'user', id: 'u', label: 'x', role, schoolId: null });

describe('who on the staff sees what a family sends, and what can follow', () => {
  test('complaints go to team managers, social care matters to social care, the rest to caseworkers and data officers', () => {
    const plain = { kind: 'support-request', socialCareEpisodeId: null, details: {} };
    const socialCare = { kind: 'visit-declined', socialCareEpisodeId: 'e', details: {} };
    const complaint = { kind: 'complaint', socialCareEpisodeId: null, details: { about: 'home-education' } };
    expect(staffMaySee(actor('ehe_officer'), plain)).toBe(true);
    expect(staffMaySee(actor('data_officer'), plain)).toBe(true);
    expect(staffMaySee(actor('school_user'), plain)).toBe(false);
    expect(staffMaySee(actor('parent'), plain)).toBe(false);
    expect(staffMaySee(actor('ehe_officer'), socialCare)).toBe(false);
    expect(staffMaySee(actor('social_worker'), socialCare)).toBe(true);
    expect(staffMaySee(actor('ehe_officer'), complaint)).toBe(false);
    expect(staffMaySee(actor('team_manager'), complaint)).toBe(true);
  });

  test('each kind has its own closing outcomes', () => {
    expect(nextStatuses('support-request', 'received')).toEqual(['acknowledged', 'done']);
    expect(nextStatuses('correction-request', 'acknowledged')).toEqual(['corrected', 'declined']);
    expect(nextStatuses('complaint', 'escalated')).toEqual(['acknowledged', 'upheld', 'partly-upheld', 'not-upheld']);
    expect(nextStatuses('complaint', 'upheld')).toEqual([]);
  });

  test('uploads are recognised by their content, limited in size and given safe names', () => {
    expect(checkUpload({ fileName: 'report.pdf', data: PDF })).toMatchObject({ fileName: 'report.pdf', mediaType: 'application/pdf' });
    expect(checkUpload({ fileName: 'report.pdf', data: new TextEncoder().encode('<html>') })).toEqual({ error: expect.stringContaining('must be a PDF') });
    expect(checkUpload({ fileName: 'empty.txt', data: new Uint8Array() })).toEqual({ error: 'The selected file empty.txt is empty' });
    expect(checkUpload({ fileName: 'big.pdf', data: new Uint8Array(10 * 1024 * 1024 + 1) })).toEqual({ error: 'The selected file big.pdf must be smaller than 10MB' });
    expect(sanitiseFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitiseFileName('C:\\Users\\me\\work "final".pdf')).toBe('work final.pdf');
    expect(sanitiseFileName('...')).toBe('document');
    expect(sanitiseFileName(`${'a'.repeat(200)}.pdf`)).toHaveLength(100);
  });
});

describe.each(ENGINES)('what families send, as staff handle it, on %s', (engine) => {
  let t: TestApp;
  let parent: TestSession;
  let other: TestSession;
  let officer: TestSession;
  let manager: TestSession;
  let socialWorker: TestSession;
  let school: TestSession;
  let supportId: string;
  let complaintId: string;
  let socialCareId: string;
  let documentId: string;
  let childId: string;
  const db = () => t.runtime.database.db;

  beforeAll(async () => {
    t = await createTestApp(engine);
    parent = await sessionFor(db(), 'demo-parent');
    const someoneElse = await parentInAnotherFamily(db());
    other = await sessionFor(db(), someoneElse.subject);
    officer = await sessionFor(db(), 'demo-ehe-officer');
    manager = await sessionFor(db(), 'demo-team-manager');
    socialWorker = await sessionFor(db(), 'demo-social-worker');
    school = await sessionFor(db(), 'demo-school-user');
    const ctx = await contextFor(db(), 'demo-parent');
    const family = await t.runtime.runInTransaction(ctx, async (uow) => loadFamily(uow.tx, ctx.actor));
    const episode = await t.runtime.services.receiveSocialCareReferral(await contextFor(db(), 'demo-mash-worker', new Date('2026-11-23T10:00:00Z')), {
      childId: family.children[0]!.childId,
      referralDate: '2026-11-23',
      referralSource: 'gp',
      referrerName: 'Dr Imogen Valcourt',
      concerns: 'Worried about the child’s weight.',
      homeEducationOnly: 'no',
      priorConcernDocumented: 'no',
    });
    ({ supportId, complaintId, socialCareId, documentId, childId } = await t.runtime.runInTransaction(ctx, async (uow) => {
      const family = await loadFamily(uow.tx, ctx.actor);
      const child = family.children[0]!.childId;
      const support = await insertSubmission(uow, family, { kind: 'support-request', childId: child, details: { lines: [{ label: 'What support', value: 'Help finding an exam centre' }] }, summary: 'The family asked for support' });
      const [doc] = await attachDocuments(uow, family, support, [checkUpload({ fileName: 'plan.pdf', data: PDF }) as CheckedUpload]);
      const complaint = await insertSubmission(uow, family, { kind: 'complaint', childId: child, details: { about: 'home-education', lines: [{ label: 'What happened', value: 'No reply to my letter' }] }, summary: 'The family made a complaint', dueOn: '2026-12-07' });
      const sc = await insertSubmission(uow, family, { kind: 'views-for-meeting', childId: child, socialCareEpisodeId: episode.id, details: { lines: [{ label: 'Your views', value: 'We would like the meeting after school' }] }, summary: 'Views sent', visibility: 'social-care' });
      return { supportId: support.id, complaintId: complaint.id, socialCareId: sc.id, documentId: doc!.id, childId: child };
    }));
  });
  afterAll(async () => {
    await t?.close();
  });

  test('the family sees what it sent on its start page and on its own page, with the document', async () => {
    const home = await t.app.inject({ url: '/family', headers: { cookie: parent.cookie } });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Your family');
    expect(home.body).toContain('Request for support');
    const own = await t.app.inject({ url: `/family/sent/${supportId}`, headers: { cookie: parent.cookie } });
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('Help finding an exam centre');
    expect(own.body).toContain('The council has not finished with this yet');
    const file = await t.app.inject({ url: `/family/documents/${documentId}`, headers: { cookie: parent.cookie } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toContain('attachment; filename="plan.pdf"');
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  test('another family, a school and staff outside the team are told it was not found or refused, and it is audited', async () => {
    for (const url of [`/family/sent/${supportId}`, `/family/documents/${documentId}`, `/family/sent/${complaintId}`]) {
      const response = await t.app.inject({ url, headers: { cookie: other.cookie } });
      expect(response.statusCode, url).toBe(404);
      expect(response.body).not.toContain('exam centre');
    }
    const [refusal] = await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    expect(refusal?.action).toMatch(/\.refused$/);
    expect((await t.app.inject({ url: `/family/documents/${documentId}`, headers: { cookie: school.cookie } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/family-items', headers: { cookie: school.cookie } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/family-items', headers: { cookie: parent.cookie } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/family', headers: { cookie: officer.cookie } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: `/family-items/${complaintId}`, headers: { cookie: officer.cookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/family-items/${socialCareId}`, headers: { cookie: officer.cookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/family-items/not-an-id`, headers: { cookie: officer.cookie } })).statusCode).toBe(404);
  });

  test('each team sees its own items; the child record shows what the family sent', async () => {
    const officerList = await t.app.inject({ url: '/family-items', headers: { cookie: officer.cookie } });
    expect(officerList.statusCode).toBe(200);
    expect(officerList.body).toContain('Request for support');
    expect(officerList.body).not.toContain('Complaint');
    expect(officerList.body).not.toContain('Views for a meeting');
    const managerList = await t.app.inject({ url: '/family-items', headers: { cookie: manager.cookie } });
    expect(managerList.body).toContain('Complaint');
    const socialCareList = await t.app.inject({ url: '/family-items', headers: { cookie: socialWorker.cookie } });
    expect(socialCareList.body).toContain('Views for a meeting');
    const record = await t.app.inject({ url: `/children/${childId}`, headers: { cookie: officer.cookie } });
    expect(record.body).toContain('From the family');
    expect(record.body).toContain(`/family-items/${supportId}`);
    expect(record.body).not.toContain(`/family-items/${socialCareId}`);
    const staffFile = await t.app.inject({ url: `/family/documents/${documentId}`, headers: { cookie: officer.cookie } });
    expect(staffFile.statusCode).toBe(200);
  });

  test('staff record what was done; closing needs words, a stale form is refused, and the family sees the outcome', async () => {
    const page = await t.app.inject({ url: `/family-items/${supportId}`, headers: { cookie: officer.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('plan.pdf');
    const [before] = await db().select().from(familySubmissions).where(eq(familySubmissions.id, supportId));
    const noWords = await t.app.inject({ method: 'POST', url: `/family-items/${supportId}`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ _csrf: officer.csrfToken, status: 'done', outcome: '', version: String(before!.version) }) });
    expect(noWords.statusCode).toBe(400);
    expect(noWords.body).toContain('Enter what the council did, in words the family will read');
    const nothing = await t.app.inject({ method: 'POST', url: `/family-items/${supportId}`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ _csrf: officer.csrfToken, version: String(before!.version) }) });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.body).toContain('Select what the council has done');
    const acknowledged = await t.app.inject({ method: 'POST', url: `/family-items/${supportId}`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ _csrf: officer.csrfToken, status: 'acknowledged', version: String(before!.version) }) });
    expect(acknowledged.statusCode).toBe(303);
    const stale = await t.app.inject({ method: 'POST', url: `/family-items/${supportId}`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ _csrf: officer.csrfToken, status: 'done', outcome: 'Sent the list', version: String(before!.version) }) });
    expect(stale.statusCode).toBe(409);
    const done = await t.app.inject({
      method: 'POST',
      url: `/family-items/${supportId}`,
      headers: { cookie: officer.cookie, ...FORM },
      payload: form({ _csrf: officer.csrfToken, status: 'done', outcome: 'We sent you the list of exam centres that take private candidates.', version: String(before!.version + 1) }),
    });
    expect(done.statusCode).toBe(303);
    const [after] = await db().select().from(familySubmissions).where(eq(familySubmissions.id, supportId));
    expect(after).toMatchObject({ status: 'done', acknowledgedOn: expect.any(String), handledBy: officer.userId });
    const [audit] = await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    expect(audit).toMatchObject({ action: 'family-submission.handle', recordId: supportId });
    const seen = await t.app.inject({ url: `/family/sent/${supportId}`, headers: { cookie: parent.cookie } });
    expect(seen.body).toContain('We sent you the list of exam centres');
    const closed = await t.app.inject({ method: 'POST', url: `/family-items/${supportId}`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ _csrf: officer.csrfToken, status: 'acknowledged', version: String(after!.version) }) });
    expect(closed.statusCode).toBe(400);
  });
});
