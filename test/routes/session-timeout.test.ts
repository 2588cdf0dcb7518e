import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { sessionFor, type TestSession } from '../support/sessions.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('the session timeout warning', () => {
  let t: TestApp;
  let officer: TestSession;

  beforeAll(async () => {
    t = await createTestApp('pglite', { env: { CAIRN_SESSION_IDLE_MINUTES: '20' } });
    officer = await sessionFor(t.runtime.database.db, 'demo-ehe-officer');
  });
  afterAll(async () => {
    await t?.close();
  });

  test('every signed-in page carries the warning with the idle time; signed-out pages do not', async () => {
    const page = await t.app.inject({ url: '/home', headers: { cookie: officer.cookie } });
    expect(page.body).toContain('id="timeout-warning"');
    expect(page.body).toContain('data-idle-seconds="1200"');
    expect(page.body).toContain('data-warn-seconds="120"');
    expect(page.body).toContain('we sign you out if you do nothing for 20 minutes');
    const start = await t.app.inject({ url: '/' });
    expect(start.body).not.toContain('timeout-warning');
  });

  test('"Stay signed in" answers script with JSON and forms with a redirect back, never off the site, and needs the CSRF token', async () => {
    const json = await t.app.inject({ method: 'POST', url: '/session/keep-alive', headers: { cookie: officer.cookie, accept: 'application/json', ...FORM }, payload: `_csrf=${officer.csrfToken}` });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual({ signedIn: true });
    const back = await t.app.inject({ method: 'POST', url: '/session/keep-alive', headers: { cookie: officer.cookie, ...FORM }, payload: `_csrf=${officer.csrfToken}&returnTo=%2Fchildren%3Fname%3Da` });
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe('/children?name=a');
    for (const away of ['//elsewhere.example/', 'https://elsewhere.example/', '/\\\\elsewhere.example']) {
      const refused = await t.app.inject({ method: 'POST', url: '/session/keep-alive', headers: { cookie: officer.cookie, ...FORM }, payload: `_csrf=${officer.csrfToken}&returnTo=${encodeURIComponent(away)}` });
      expect(refused.headers.location, away).toBe('/home');
    }
    const forged = await t.app.inject({ method: 'POST', url: '/session/keep-alive', headers: { cookie: officer.cookie, ...FORM }, payload: '_csrf=wrong' });
    expect(forged.statusCode).toBe(403);
    const signedOut = await t.app.inject({ method: 'POST', url: '/session/keep-alive', headers: { accept: 'application/json', ...FORM }, payload: '' });
    expect(signedOut.statusCode).toBe(401);
  });
});
