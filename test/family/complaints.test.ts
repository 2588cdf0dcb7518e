import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, domainEvents, users } from '../../src/db/schema/index.ts';
import { loadWorkingDayCalendar } from '../../src/db/repositories/calendar.ts';
import { loadFamily } from '../../src/domain/family/core.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { sessionFor, type TestSession } from '../support/sessions.ts';
import { parentInAnotherFamily } from '../support/family.ts';

const on = (day: string) => new Date(`${day}T12:00:00Z`);

describe.each(ENGINES)('complaints and escalation to a team manager on %s', (engine) => {
  let t: TestApp;
  let childId: string;
  let otherSubject: string;
  const db = () => t.runtime.database.db;
  const services = () => t.runtime.services;
  const parent = (day = '2026-11-23') => contextFor(db(), 'demo-parent', on(day));
  const manager = (day = '2026-11-24') => contextFor(db(), 'demo-team-manager', on(day));

  const complaint = (overrides: Record<string, string> = {}) => ({
    about: 'home-education',
    childId,
    whatHappened: 'The officer turned up without warning.',
    wantedOutcome: 'Please write to us first in future.',
    ...overrides,
  });

  beforeAll(async () => {
    t = await createTestApp(engine);
    const ctx = await parent();
    const family = await t.runtime.runInTransaction(ctx, async (uow) => loadFamily(uow.tx, ctx.actor));
    childId = family.children[0]!.childId;
    otherSubject = (await parentInAnotherFamily(db())).subject;
  });
  afterAll(async () => {
    await t?.close();
  });

  test('a complaint goes to a team manager, due in 10 working days; the parent sees the acknowledgement and outcome, and can escalate once', async () => {
    await expect(services().makeFamilyComplaint(await parent(), { childId: 'none', whatHappened: '', wantedOutcome: '' })).rejects.toMatchObject({
      fields: { about: 'Select what your complaint is about', whatHappened: 'Tell us what happened', wantedOutcome: 'Tell us what you would like to happen' },
    });
    const [casey] = await db().select().from(users).where(eq(users.subject, 'demo-team-manager'));
    const made = await services().makeFamilyComplaint(await parent(), complaint());
    expect(made).toMatchObject({ kind: 'complaint', status: 'received', childId, assignedTo: casey!.id, dueOn: '2026-12-07' });
    expect((made.details as { lines: { label: string }[] }).lines.map((l) => l.label)).toEqual(['What it is about', 'Child', 'What happened', 'What I would like to happen']);
    const [event] = await db().select().from(domainEvents).where(eq(domainEvents.aggregateId, made.id));
    expect(event!.visibility).toBe('family');

    const listed = await services().listFamilyComplaints(await parent());
    expect(listed.map((c) => c.submission.id)).toContain(made.id);
    expect(listed.find((c) => c.submission.id === made.id)).toMatchObject({ about: 'Home education', statusLabel: 'Received', stage: 1, canEscalate: false });
    await expect(services().escalateFamilyComplaint(await parent(), made.id, { version: made.version, reason: 'Too soon.' })).rejects.toMatchObject({ message: expect.stringContaining('once we have told you the outcome') });

    const acknowledged = await services().handleFamilySubmission(await manager('2026-11-24'), made.id, { status: 'acknowledged', version: made.version });
    expect((await services().viewFamilyComplaint(await parent('2026-11-24'), made.id)).submission.acknowledgedOn).toBe('2026-11-24');
    const decided = await services().handleFamilySubmission(await manager('2026-11-30'), made.id, { status: 'not-upheld', outcome: 'The visit had been agreed by phone.', version: acknowledged.version });
    const seen = await services().viewFamilyComplaint(await parent('2026-12-01'), made.id);
    expect(seen).toMatchObject({ statusLabel: 'Not upheld', hasOutcome: true, canEscalate: true, submission: { outcome: 'The visit had been agreed by phone.' } });

    await expect(services().escalateFamilyComplaint(await parent('2026-12-01'), made.id, { version: decided.version, reason: '' })).rejects.toMatchObject({ fields: { reason: 'Tell us why you are not satisfied with the outcome' } });
    await expect(services().escalateFamilyComplaint(await parent('2026-12-01'), made.id, { version: made.version, reason: 'It was not agreed.' })).rejects.toMatchObject({ code: 'stale-version' });
    const escalated = await services().escalateFamilyComplaint(await parent('2026-12-01'), made.id, { version: decided.version, reason: 'It was not agreed.' });
    const calendar = await loadWorkingDayCalendar(db());
    expect(escalated).toMatchObject({ status: 'escalated', dueOn: calendar.addWorkingDays('2026-12-01', 25), outcome: null, acknowledgedOn: null, version: decided.version + 1 });
    expect(escalated.details).toMatchObject({ stage: 2, escalation: { reason: 'It was not agreed.', stage1Status: 'not-upheld', stage1Outcome: 'The visit had been agreed by phone.' } });
    expect((await db().select().from(auditLog).where(and(eq(auditLog.action, 'family.complaint.escalate'), eq(auditLog.recordId, made.id)))).length).toBe(1);

    const stage2 = await services().handleFamilySubmission(await manager('2026-12-10'), made.id, { status: 'partly-upheld', outcome: 'We will write first from now on.', version: escalated.version });
    const final = await services().viewFamilyComplaint(await parent('2026-12-11'), made.id);
    expect(final).toMatchObject({ stage: 2, statusLabel: 'Partly upheld', canEscalate: false, firstOutcome: { status: 'Not upheld', outcome: 'The visit had been agreed by phone.' } });
    await expect(services().escalateFamilyComplaint(await parent('2026-12-11'), made.id, { version: stage2.version, reason: 'Again.' })).rejects.toMatchObject({ message: expect.stringContaining('Ombudsman') });
  });

  test('a complaint about social care stays with social care staff on the timeline, and can be linked to the family’s own case only', async () => {
    const episode = await services().receiveSocialCareReferral(await contextFor(db(), 'demo-mash-worker', on('2026-11-23')), {
      childId,
      referralDate: '2026-11-23',
      referralSource: 'gp',
      referrerName: 'Dr Ottoline Ferrars',
      concerns: 'Worried.',
      homeEducationOnly: 'no',
      priorConcernDocumented: 'no',
    });
    const made = await services().makeFamilyComplaint(await parent(), complaint({ about: 'social-care', socialCareEpisodeId: episode.id }));
    expect(made.socialCareEpisodeId).toBe(episode.id);
    const [event] = await db().select().from(domainEvents).where(eq(domainEvents.aggregateId, made.id));
    expect(event!.visibility).toBe('social-care');
    const other = await contextFor(db(), otherSubject, on('2026-11-23'));
    await expect(services().makeFamilyComplaint(other, complaint({ about: 'social-care', childId: '', socialCareEpisodeId: episode.id }))).rejects.toMatchObject({ code: 'not-found' });
    await expect(services().makeFamilyComplaint(other, complaint())).rejects.toMatchObject({ code: 'not-found' });
  });

  test('another family’s complaint is not found, and the attempt is audited', async () => {
    const made = await services().makeFamilyComplaint(await parent(), complaint({ childId: 'none', about: 'something-else' }));
    expect(made.childId).toBeNull();
    const other = await contextFor(db(), otherSubject, on('2026-11-23'));
    await expect(services().viewFamilyComplaint(other, made.id)).rejects.toMatchObject({ code: 'not-found' });
    await expect(services().escalateFamilyComplaint(other, made.id, { version: 1, reason: 'x' })).rejects.toMatchObject({ code: 'not-found' });
    expect((await services().listFamilyComplaints(other)).map((c) => c.submission.id)).not.toContain(made.id);
    const refused = await db().select().from(auditLog).where(and(eq(auditLog.action, 'family.complaint.view.refused'), eq(auditLog.actorId, other.actor.id!)));
    expect(refused).toHaveLength(1);
    await expect(services().makeFamilyComplaint(await contextFor(db(), 'demo-ehe-officer'), complaint())).rejects.toMatchObject({ code: 'forbidden' });
  });

  describe('pages', () => {
    let session: TestSession;
    let otherSession: TestSession;
    const get = (url: string, s: TestSession) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
    const post = (url: string, s: TestSession, values: Record<string, string>) =>
      t.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: s.csrfToken, ...values }).toString() });

    beforeAll(async () => {
      session = await sessionFor(db(), 'demo-parent');
      otherSession = await sessionFor(db(), otherSubject);
    });

    test('a parent makes a complaint through the form, sees the confirmation and the list; errors keep what they typed', async () => {
      expect((await get('/family/complaints', session)).statusCode).toBe(200);
      const form = await get('/family/complaints/new', session);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('It is not about one child');
      const bad = await post('/family/complaints/new', session, { about: 'home-education', whatHappened: 'Something I typed', wantedOutcome: '' });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('Tell us what you would like to happen');
      expect(bad.body).toContain('Something I typed');
      const sent = await post('/family/complaints/new', session, { about: 'home-education', childId: 'none', whatHappened: 'A letter went to the wrong address.', wantedOutcome: 'Check the address.' });
      expect(sent.statusCode).toBe(303);
      const confirmation = await get(sent.headers.location as string, session);
      expect(confirmation.body).toContain('Complaint sent');
      expect(confirmation.body).toMatch(/Your reference is<br><strong>FS-/);
      const id = (sent.headers.location as string).split('/')[3]!.split('?')[0]!;
      expect((await get(`/family/complaints/${id}`, otherSession)).statusCode).toBe(404);
      expect((await post(`/family/complaints/${id}/escalate`, otherSession, { version: '1', reason: 'x' })).statusCode).toBe(404);
      const early = await post(`/family/complaints/${id}/escalate`, session, { version: '1', reason: 'x' });
      expect(early.statusCode).toBe(400);
      expect(early.body).toContain('once we have told you the outcome');
    });
  });
});
