import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { desc, eq, sql } from 'drizzle-orm';
import { auditLog, children, sessions } from '../../src/db/schema/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { sessionFor, type TestSession } from '../support/sessions.ts';

const form = (values: Record<string, string>) => new URLSearchParams(values).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe.each(ENGINES)('web routes on %s', (engine) => {
  let t: TestApp;
  let officer: TestSession;
  let childId: string;
  const db = () => t.runtime.database.db;

  beforeAll(async () => {
    t = await createTestApp(engine);
    officer = await sessionFor(db(), 'demo-social-worker');
    const [child] = await db().select().from(children).limit(1);
    childId = child!.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  test('the start page is public, with security headers and a CSP nonce on its one inline script', async () => {
    const response = await t.app.inject({ url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Children not in school');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(response.body).toContain(`<script nonce="${nonce}">`);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-correlation-id']).toBeTruthy();
  });

  test('signed-out visitors are sent to sign in', async () => {
    const response = await t.app.inject({ url: `/children/${childId}` });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/sign-in');
  });

  test('an officer searches, opens a record and sees the timeline; both reads are audited', async () => {
    const [child] = await db().select().from(children).where(eq(children.id, childId));
    const search = await t.app.inject({ url: `/children?name=${encodeURIComponent(child!.lastName)}`, headers: { cookie: officer.cookie } });
    expect(search.statusCode).toBe(200);
    expect(search.body).toContain(`/children/${childId}`);
    const page = await t.app.inject({ url: `/children/${childId}`, headers: { cookie: officer.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(child!.laChildId);
    expect(page.body).toContain('Timeline');
    const [last] = await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    expect(last).toMatchObject({ action: 'child.view', recordId: childId, correlationId: page.headers['x-correlation-id'] });
  });

  test('a search with a bad date shows GOV.UK errors and keeps what was typed', async () => {
    const response = await t.app.inject({ url: '/children?name=Sam&dateOfBirth-day=31&dateOfBirth-month=2&dateOfBirth-year=2015', headers: { cookie: officer.cookie } });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('There is a problem');
    expect(response.body).toContain('href="#dateOfBirth-day"');
    expect(response.body).toContain('value="Sam"');
  });

  test('adding a case note needs the session’s CSRF token', async () => {
    const refused = await t.app.inject({ method: 'POST', url: `/children/${childId}/notes/new`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ body: 'forged', _csrf: 'wrong' }) });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('You do not have access');
    const missing = await t.app.inject({ method: 'POST', url: `/children/${childId}/notes/new`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ body: 'forged' }) });
    expect(missing.statusCode).toBe(403);

    const saved = await t.app.inject({ method: 'POST', url: `/children/${childId}/notes/new`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ body: 'Telephoned the family.', _csrf: officer.csrfToken }) });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/children/${childId}?done=note-added`);
    const page = await t.app.inject({ url: String(saved.headers.location), headers: { cookie: officer.cookie } });
    expect(page.body).toContain('Case note added');
    expect(page.body).toContain('Telephoned the family.');
    expect(page.body).not.toContain('forged');
  });

  test('an empty case note is sent back with an error message', async () => {
    const response = await t.app.inject({ method: 'POST', url: `/children/${childId}/notes/new`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ body: ' ', _csrf: officer.csrfToken }) });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter the case note');
    expect(response.body).toContain('govuk-error-summary');
  });

  test('a stale change of details says someone else changed it and shows the latest details', async () => {
    const [child] = await db().select().from(children).where(eq(children.id, childId));
    const values = (version: number, town: string) =>
      form({
        _csrf: officer.csrfToken,
        version: String(version),
        firstName: child!.firstName,
        lastName: child!.lastName,
        'dateOfBirth-day': String(Number(child!.dateOfBirth.slice(8, 10))),
        'dateOfBirth-month': String(Number(child!.dateOfBirth.slice(5, 7))),
        'dateOfBirth-year': child!.dateOfBirth.slice(0, 4),
        sex: child!.sex,
        addressLine1: child!.addressLine1,
        town,
        postcode: child!.postcode,
      });
    const first = await t.app.inject({ method: 'POST', url: `/children/${childId}/details`, headers: { cookie: officer.cookie, ...FORM }, payload: values(child!.version, 'Harrowdale') });
    expect(first.statusCode).toBe(303);
    const stale = await t.app.inject({ method: 'POST', url: `/children/${childId}/details`, headers: { cookie: officer.cookie, ...FORM }, payload: values(child!.version, 'Otherplace') });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed');
    expect(stale.body).toContain('value="Harrowdale"');
  });

  test('a refusal shows “You do not have access” with 403 and the session carries on', async () => {
    const parent = await sessionFor(db(), 'demo-parent');
    const [notTheirs] = await db()
      .select({ id: children.id })
      .from(children)
      .where(sql`not exists (select 1 from child_adults ca join adults a on a.id = ca.adult_id where ca.child_id = ${children.id} and a.user_id = ${parent.userId})`)
      .limit(1);
    const refused = await t.app.inject({ url: `/children/${notTheirs!.id}`, headers: { cookie: parent.cookie } });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('You do not have access');
    expect(refused.headers['set-cookie']).toBeUndefined();
    const home = await t.app.inject({ url: '/home', headers: { cookie: parent.cookie } });
    expect(home.statusCode).toBe(303);
    expect(home.headers.location).toBe('/family');
    const family = await t.app.inject({ url: '/family', headers: { cookie: parent.cookie } });
    expect(family.statusCode).toBe(200);
    expect(family.body).toContain('Your family');
    const search = await t.app.inject({ url: '/children', headers: { cookie: parent.cookie } });
    expect(search.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/work', headers: { cookie: parent.cookie } })).statusCode).toBe(403);
    const admin = await sessionFor(db(), 'demo-administrator');
    expect((await t.app.inject({ url: `/children/${notTheirs!.id}`, headers: { cookie: admin.cookie } })).statusCode).toBe(403);
  });

  test('a school user cannot open a child who was never on their roll', async () => {
    const school = await sessionFor(db(), 'demo-school-user');
    const [outsider] = await db()
      .select({ id: children.id })
      .from(children)
      .where(sql`not exists (select 1 from enrolments e join schools s on s.id = e.school_id where e.child_id = ${children.id} and s.urn = '999101')`)
      .limit(1);
    expect((await t.app.inject({ url: `/children/${outsider!.id}`, headers: { cookie: school.cookie } })).statusCode).toBe(403);
  });

  test('sign-out ends the session on the server', async () => {
    const session = await sessionFor(db(), 'demo-ehe-officer');
    const before = await db().select().from(sessions);
    const response = await t.app.inject({ method: 'POST', url: '/sign-out', headers: { cookie: session.cookie, ...FORM }, payload: form({ _csrf: session.csrfToken }) });
    expect(response.statusCode).toBe(302);
    expect(String(response.headers.location)).toMatch(/\/idp\/session\/end|\/signed-out/);
    expect((await db().select().from(sessions)).length).toBe(before.length - 1);
    const after = await t.app.inject({ url: '/home', headers: { cookie: session.cookie } });
    expect(after.statusCode).toBe(302);
    expect(after.headers.location).toBe('/sign-in');
  });

  test('an idle session times out', async () => {
    const session = await sessionFor(db(), 'demo-cme-officer');
    await db().update(sessions).set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) }).where(eq(sessions.userId, session.userId));
    const response = await t.app.inject({ url: '/home', headers: { cookie: session.cookie } });
    expect(response.statusCode).toBe(302);
    expect(String(response.headers['set-cookie'])).toContain('cairn_session=;');
  });

  test('the work list shows overdue follow-ups and marks one done, refusing a stale second click', async () => {
    const ehe = await sessionFor(db(), 'demo-ehe-officer');
    const page = await t.app.inject({ url: '/work', headers: { cookie: ehe.cookie } });
    expect(page.statusCode).toBe(200);
    const action = /action="(\/work\/[^"]+\/done)"/.exec(page.body)?.[1];
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1];
    expect(action && version).toBeTruthy();
    const done = await t.app.inject({ method: 'POST', url: action!, headers: { cookie: ehe.cookie, ...FORM }, payload: form({ _csrf: ehe.csrfToken, version: version! }) });
    expect(done.headers.location).toBe('/work?done=1');
    const again = await t.app.inject({ method: 'POST', url: action!, headers: { cookie: ehe.cookie, ...FORM }, payload: form({ _csrf: ehe.csrfToken, version: version! }) });
    expect(again.headers.location).toBe('/work?stale=1');
  });

  test('unknown pages get the GOV.UK not found page', async () => {
    const response = await t.app.inject({ url: '/no-such-page', headers: { cookie: officer.cookie } });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('Page not found');
  });

  test('sign-in is rate limited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await t.app.inject({ url: '/auth/callback?code=x&state=y' })).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  test('health, ping and metrics answer', async () => {
    const health = await t.app.inject({ url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok', checks: { database: 'ok', queue: 'ok' } });
    expect((await t.app.inject({ url: '/ping' })).json()).toEqual({ status: 'ok' });
    const metrics = await t.app.inject({ url: '/metrics' });
    expect(metrics.body).toContain('cairn_http_requests_total');
  });
});
