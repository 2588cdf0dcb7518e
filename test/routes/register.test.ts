import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { episodes } from '../../src/db/schema/index.ts';
import { DEMO_SCHOOL_URN } from '../../src/seed/demo-accounts.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { deletionReturnFor, pupilOnDemoRoll } from '../support/register.ts';
import { sessionFor, type TestSession } from '../support/sessions.ts';

const form = (values: Record<string, string>) => new URLSearchParams(values).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
const dateFields = (name: string, iso: string) => {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year };
};

describe.each(ENGINES)('register pages on %s', (engine) => {
  let t: TestApp;
  let officer: TestSession;
  const db = () => t.runtime.database.db;

  /** A CME case opened by the demo school deleting a pupil under ground i, two days ago. */
  async function openCmeCase() {
    const { child } = await pupilOnDemoRoll(db(), { withoutEpisodes: true });
    await t.runtime.services.submitDeletionReturn(
      await contextFor(db(), 'demo-school-user'),
      deletionReturnFor(child, { deletionDate: daysAgo(2) }),
      'form',
    );
    const [episode] = await db().select().from(episodes).where(and(eq(episodes.childId, child.id), eq(episodes.kind, 'cme')));
    return { child, episode: episode! };
  }

  beforeAll(async () => {
    t = await createTestApp(engine);
    officer = await sessionFor(db(), 'demo-cme-officer');
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (url: string, session: TestSession = officer) => t.app.inject({ url, headers: { cookie: session.cookie } });
  const post = (url: string, values: Record<string, string>, session: TestSession = officer) =>
    t.app.inject({ method: 'POST', url, headers: { cookie: session.cookie, ...FORM }, payload: form({ _csrf: session.csrfToken, ...values }) });

  test('signed-out visitors are sent to sign in; schools and parents are refused', async () => {
    const response = await t.app.inject({ url: '/register' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/sign-in');
    for (const subject of ['demo-school-user', 'demo-parent']) {
      expect((await get('/register', await sessionFor(db(), subject))).statusCode).toBe(403);
    }
  });

  test('the register lists cases and filters them; worklists show theirs', async () => {
    const { child, episode } = await openCmeCase();
    const list = await get('/register');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`/register/episodes/${episode.id}`);
    expect(list.body).toContain(`${child.firstName} ${child.lastName}`);
    expect((await get('/register?kind=ehe')).body).not.toContain(`/register/episodes/${episode.id}`);
    expect((await get(`/register?kind=cme&status=identified&school=${DEMO_SCHOOL_URN}&reason=i&officer=unallocated`)).body).toContain(`/register/episodes/${episode.id}`);
    const bad = await get('/register?kind=sideways');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select a kind of episode');
    for (const name of ['new', 'unallocated']) {
      const worklist = await get(`/register/worklists/${name}`);
      expect(worklist.statusCode).toBe(200);
      expect(worklist.body).toContain(`/register/episodes/${episode.id}`);
    }
    expect((await get('/register/worklists/enquiries-overdue')).body).not.toContain(`/register/episodes/${episode.id}`);
    expect((await get('/register/worklists/nothing')).statusCode).toBe(404);
  });

  test('the case page shows days missing and only the actions the lifecycle allows', async () => {
    const { child, episode } = await openCmeCase();
    const page = await get(`/register/episodes/${episode.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`/children/${child.id}`);
    expect(page.body).toMatch(/id="days-missing">\s*<span[^>]*>2<\/span>\s*days missing education/);
    expect(page.body).toContain('Make reasonable enquiries jointly with the school');
    expect(page.body).toContain('Record an enquiry');
    expect(page.body).toContain('Mark whereabouts unknown');
    expect(page.body).toContain('Record where the child was found');
    // A data officer reads the case but is offered nothing to do, and cannot open the forms.
    const dataOfficer = await sessionFor(db(), 'demo-data-officer');
    const read = await get(`/register/episodes/${episode.id}`, dataOfficer);
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain('Record an enquiry');
    expect((await get(`/register/episodes/${episode.id}/enquiries/new`, dataOfficer)).statusCode).toBe(403);
    expect((await post(`/register/episodes/${episode.id}/enquiries/new`, {}, dataOfficer)).statusCode).toBe(403);
    expect((await get('/register/episodes/00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
  });

  test('recording an enquiry: CSRF, GOV.UK errors, post-redirect-get, and a stale version', async () => {
    const { episode } = await openCmeCase();
    const url = `/register/episodes/${episode.id}/enquiries/new`;
    const page = await get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`name="_csrf" value="${officer.csrfToken}"`);
    expect(page.body).toContain('enquiries should be made jointly with the school');
    const values = { version: '1', withWhom: 'School attendance lead', method: 'school', ...dateFields('madeOn', daysAgo(1)), outcome: 'No contact since half term.', jointWithSchool: 'yes' };
    const forged = await t.app.inject({ method: 'POST', url, headers: { cookie: officer.cookie, ...FORM }, payload: form({ ...values, _csrf: 'wrong' }) });
    expect(forged.statusCode).toBe(403);
    const invalid = await post(url, { version: '1', ...dateFields('madeOn', '2026-02-30') });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Enter who the enquiry was made with');
    expect(invalid.body).toContain('href="#madeOn-day"');
    const saved = await post(url, values);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/register/episodes/${episode.id}?done=enquiry-recorded`);
    const after = await get(String(saved.headers.location));
    expect(after.body).toContain('Enquiry recorded');
    expect(after.body).toContain('School attendance lead');
    expect(after.body).toContain('Enquiries under way');
    const stale = await post(url, values);
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this case');
    expect(stale.body).toContain('name="version" value="2"');
  });

  test('whereabouts unknown, allocation, and found moved away close the case and remove its actions', async () => {
    const { episode } = await openCmeCase();
    const base = `/register/episodes/${episode.id}`;
    expect((await get(`${base}/whereabouts-unknown`)).statusCode).toBe(200);
    const escalated = await post(`${base}/whereabouts-unknown`, { version: '1', ...dateFields('policeReferredOn', daysAgo(1)), policeReference: 'NP-1', ...dateFields('socialCareReferredOn', daysAgo(1)), socialCareReference: 'CSC-2' });
    expect(escalated.statusCode).toBe(303);
    const page = await get(base);
    expect(page.body).toContain('Whereabouts unknown');
    expect(page.body).toContain('NP-1');
    expect(page.body).not.toContain(`href="${base}/whereabouts-unknown"`);
    // The form for an event the lifecycle no longer allows sends the officer back to the case.
    const refused = await get(`${base}/whereabouts-unknown`);
    expect(refused.statusCode).toBe(303);
    const refusedPost = await post(`${base}/whereabouts-unknown`, { version: '2', ...dateFields('policeReferredOn', daysAgo(1)), policeReference: 'NP-1', ...dateFields('socialCareReferredOn', daysAgo(1)), socialCareReference: 'CSC-2' });
    expect(refusedPost.statusCode).toBe(400);
    expect(refusedPost.body).toContain('Whereabouts cannot be marked unknown on a case that is whereabouts unknown.');

    const allocatePage = await get(`${base}/allocate`);
    expect(allocatePage.statusCode).toBe(200);
    expect(allocatePage.body).toContain('Rowan Pellow');
    expect((await post(`${base}/allocate`, { version: '2', officerId: '' })).body).toContain('Select an officer');
    const allocated = await post(`${base}/allocate`, { version: '2', officerId: officer.userId });
    expect(allocated.statusCode).toBe(303);

    const invalid = await post(`${base}/located`, { version: '3', where: 'moved-away', councilName: 'Southshire Council', laNumber: '12' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Enter a 3-digit local authority number, like 931');
    const located = await post(`${base}/located`, { version: '3', where: 'moved-away', councilName: 'Southshire Council', laNumber: '931', ...dateFields('handOverDate', daysAgo(0)), contact: 'Pat Example, 01632 960 001' });
    expect(located.statusCode).toBe(303);
    const closed = await get(base);
    expect(closed.body).toContain('Located');
    expect(closed.body).toContain('Southshire Council (LA 931)');
    expect(closed.body).not.toContain('Record an enquiry');
    expect(closed.body).not.toContain(`href="${base}/allocate"`);
  });
});
