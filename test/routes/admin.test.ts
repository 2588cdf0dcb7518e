import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ENGINES } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { sessionFor, type TestSession } from '../support/sessions.ts';
import { loadCouncilSettings } from '../../src/db/repositories/councils.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (values: Record<string, string>) => new URLSearchParams(values).toString();
const inputWithValue = (id: string, value: string) => new RegExp(`<input[^>]* id="${id}"[^>]* value="${value}"`);

describe.each(ENGINES)('council settings pages on %s', (engine) => {
  let t: TestApp;
  let admin: TestSession;
  let officer: TestSession;
  const db = () => t.runtime.database.db;
  const version = async () => /name="version" value="(\d+)"/.exec((await t.app.inject({ url: '/admin/settings', headers: { cookie: admin.cookie } })).body)?.[1] ?? '';

  /** The settings form as a browser posts it, date in three parts. */
  const settingsPost = async (overrides: Record<string, string> = {}) => ({
    _csrf: admin.csrfToken,
    version: await version(),
    registerRegimeEnabled: 'yes',
    'commencesOn-day': '1',
    'commencesOn-month': '9',
    'commencesOn-year': '2027',
    s437NoticeDays: '21',
    schoolChoiceDays: '15',
    annualContactMonths: '12',
    homeConsiderationDays: '15',
    providerUpdateIntervalMonths: '3',
    consentProtectionLookbackYears: '0',
    closureNoticeWorkingDays: '20',
    cinReviewMonths: '3',
    contactTeam: 'Elective Home Education Team',
    contactAddress: 'Northshire Council\nCounty Hall',
    contactPhone: '01632 960 000',
    contactEmail: 'home.education@northshire.example',
    contactWebsite: 'https://www.northshire.example/home-education',
    socialCareTeam: 'Children’s Social Care',
    socialCarePhone: '01632 960 100',
    socialCareEmail: 'childrens.services@northshire.example',
    ...overrides,
  });

  beforeAll(async () => {
    t = await createTestApp(engine, { childCount: 60 });
    admin = await sessionFor(db(), 'demo-administrator');
    officer = await sessionFor(db(), 'demo-ehe-officer');
  });
  afterAll(async () => {
    await t?.close();
  });

  test('an administrator opens the settings: periods with the law in their hints, and a Settings item in the navigation', async () => {
    const page = await t.app.inject({ url: '/admin/settings', headers: { cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1 class="govuk-heading-l">Council settings</h1>');
    expect(page.body).toContain('At least 15 days (Education Act 1996, section 437(1)), and no more than 90.');
    expect(page.body).toContain('Education Act 1996, section 437(3)');
    expect(page.body).toContain('name="_csrf"');
    expect(page.body).toContain('data-module="govuk-radios"');
    expect(page.body).toMatch(/id="conditional-registerRegimeEnabled"/);
    expect(page.body).toContain('href="/admin/settings"');
    expect(page.body).toContain('href="/admin/home-education-policy"');
    const officerHome = await t.app.inject({ url: '/home', headers: { cookie: officer.cookie } });
    expect(officerHome.body).not.toContain('href="/admin/settings"');
  });

  test('anyone else is refused the settings and the policy editor', async () => {
    for (const subject of ['demo-ehe-officer', 'demo-team-manager', 'demo-parent']) {
      const session = await sessionFor(db(), subject);
      expect((await t.app.inject({ url: '/admin/settings', headers: { cookie: session.cookie } })).statusCode, subject).toBe(403);
      expect((await t.app.inject({ url: '/admin/home-education-policy', headers: { cookie: session.cookie } })).statusCode, subject).toBe(403);
      const post = await t.app.inject({ method: 'POST', url: '/admin/settings', headers: { cookie: session.cookie, ...FORM }, payload: form({ ...(await settingsPost()), _csrf: session.csrfToken }) });
      expect(post.statusCode, subject).toBe(403);
    }
    const signedOut = await t.app.inject({ url: '/admin/settings' });
    expect(signedOut.statusCode).toBe(302);
    expect(signedOut.headers.location).toContain('/sign-in');
  });

  test('a bad form comes back with a 400, the GOV.UK error summary and what was typed', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/admin/settings',
      headers: { cookie: admin.cookie, ...FORM },
      payload: form(await settingsPost({ s437NoticeDays: '7', 'commencesOn-day': '', 'commencesOn-month': '', 'commencesOn-year': '', contactPhone: '01632 999 999' })),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('There is a problem');
    expect(response.body).toContain('<title>Error: Council settings');
    expect(response.body).toContain('<a href="#s437NoticeDays">The notice period must be at least 15 days</a>');
    expect(response.body).toContain('<a href="#commencesOn-day">Enter the date the register duties start</a>');
    expect(response.body).toMatch(inputWithValue('s437NoticeDays', '7'));
    expect(response.body).toContain('value="01632 999 999"');
    expect((await loadCouncilSettings(db())).periods.s437NoticeDays).toBe(15);
  });

  test('a good form saves, redirects and shows a success banner', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/admin/settings', headers: { cookie: admin.cookie, ...FORM }, payload: form(await settingsPost()) });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin/settings?saved=settings');
    const page = await t.app.inject({ url: String(response.headers.location), headers: { cookie: admin.cookie } });
    expect(page.body).toContain('govuk-notification-banner--success');
    expect(page.body).toContain('Council settings saved');
    expect(page.body).toMatch(inputWithValue('s437NoticeDays', '21'));
    const settings = await loadCouncilSettings(db());
    expect(settings.periods.s437NoticeDays).toBe(21);
    expect(settings.registerRegime).toEqual({ enabled: true, commencesOn: '2027-09-01' });
  });

  test('a form saved by someone else first is refused with a 409 and the latest settings', async () => {
    const stale = await settingsPost({ s437NoticeDays: '30' });
    await t.app.inject({ method: 'POST', url: '/admin/settings', headers: { cookie: admin.cookie, ...FORM }, payload: form(await settingsPost({ s437NoticeDays: '25' })) });
    const response = await t.app.inject({ method: 'POST', url: '/admin/settings', headers: { cookie: admin.cookie, ...FORM }, payload: form(stale) });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('Someone else changed this council’s settings');
    expect(response.body).toMatch(inputWithValue('s437NoticeDays', '25'));
  });

  test('a post without the CSRF token is refused', async () => {
    const { _csrf, ...withoutToken } = await settingsPost({ s437NoticeDays: '40' });
    expect(_csrf).toBeTruthy();
    const response = await t.app.inject({ method: 'POST', url: '/admin/settings', headers: { cookie: admin.cookie, ...FORM }, payload: form(withoutToken) });
    expect(response.statusCode).toBe(403);
    const policy = await t.app.inject({ method: 'POST', url: '/admin/home-education-policy', headers: { cookie: admin.cookie, ...FORM }, payload: form({ _csrf: 'wrong', version: await version(), policy: 'Changed' }) });
    expect(policy.statusCode).toBe(403);
    expect((await loadCouncilSettings(db())).periods.s437NoticeDays).not.toBe(40);
  });

  test('the policy editor saves the text, which the public page shows signed out, escaped', async () => {
    const editor = await t.app.inject({ url: '/admin/home-education-policy', headers: { cookie: admin.cookie } });
    expect(editor.statusCode).toBe(200);
    expect(editor.body).toContain('href="/home-education-policy"');
    expect(editor.body).toContain('# Elective home education in Northshire');

    const empty = await t.app.inject({ method: 'POST', url: '/admin/home-education-policy', headers: { cookie: admin.cookie, ...FORM }, payload: form({ _csrf: admin.csrfToken, version: await version(), policy: '   ' }) });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('<a href="#policy">Enter the home education policy</a>');

    const policy = ['# Home education in Northshire', '', 'We <script>alert("x")</script> respect', 'your choice.', '', '## Support', '- advice & help', '- <b>exam</b> centres'].join('\r\n');
    const saved = await t.app.inject({ method: 'POST', url: '/admin/home-education-policy', headers: { cookie: admin.cookie, ...FORM }, payload: form({ _csrf: admin.csrfToken, version: await version(), policy }) });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/admin/home-education-policy?saved=policy');
    expect((await t.app.inject({ url: String(saved.headers.location), headers: { cookie: admin.cookie } })).body).toContain('Home education policy saved');

    const page = await t.app.inject({ url: '/home-education-policy' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1 class="govuk-heading-xl">Home education policy</h1>');
    expect(page.body).toContain('<h2 class="govuk-heading-l">Home education in Northshire</h2>');
    expect(page.body).toContain('<h3 class="govuk-heading-m">Support</h3>');
    expect(page.body).toContain('<p class="govuk-body">We &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; respect your choice.</p>');
    expect(page.body).toContain('<li>advice &amp; help</li><li>&lt;b&gt;exam&lt;/b&gt; centres</li>');
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toContain('<b>exam');
    expect(page.body).toContain('href="/home-education-policy"');
  });

  test('a policy saved over someone else’s change is refused, keeping the text that was typed to copy from', async () => {
    const old = await version();
    await t.app.inject({ method: 'POST', url: '/admin/home-education-policy', headers: { cookie: admin.cookie, ...FORM }, payload: form({ _csrf: admin.csrfToken, version: old, policy: 'The newest policy' }) });
    const response = await t.app.inject({ method: 'POST', url: '/admin/home-education-policy', headers: { cookie: admin.cookie, ...FORM }, payload: form({ _csrf: admin.csrfToken, version: old, policy: 'My edit' }) });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('Someone else changed this council’s home education policy');
    expect(response.body).toContain('The newest policy</textarea>');
    expect(response.body).toContain('My edit');
  });
});
