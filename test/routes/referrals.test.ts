import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { referrals } from '../../src/db/schema/index.ts';
import { SYSTEM_ACTOR } from '../../src/domain/auth/actor.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { sessionFor } from '../support/sessions.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

describe('referral and notification pages and API (PGlite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => {
    await t?.close();
  });

  test('a health visitor refers a child through the form and sees what happens next', async () => {
    const hv = await sessionFor(t.runtime.database.db, 'demo-health-visitor');
    expect((await t.app.inject({ url: '/referrals/new', headers: { cookie: hv.cookie } })).statusCode).toBe(200);
    const bad = await t.app.inject({ method: 'POST', url: '/referrals/new', headers: { cookie: hv.cookie, ...FORM }, payload: form({ _csrf: hv.csrfToken, childFirstName: 'Ash' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select who is making the referral');
    expect(bad.body).toContain('value="Ash"');
    const sent = await t.app.inject({
      method: 'POST',
      url: '/referrals/new',
      headers: { cookie: hv.cookie, ...FORM },
      payload: form({
        _csrf: hv.csrfToken,
        referrerType: 'health-visitor',
        referrerName: 'Emerson Tolleshunt',
        childFirstName: 'Ash',
        childLastName: 'Brightwater',
        'childDateOfBirth-day': '3',
        'childDateOfBirth-month': '9',
        'childDateOfBirth-year': '2015',
        addressLine1: '9 Quarry Row',
        town: 'Brackenthwaite',
        postcode: 'NZ2 9QR',
        details: 'Not seen at school since the family arrived.',
      }),
    });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/referrals/sent?outcome=cme-case-opened');
    const page = await t.app.inject({ url: String(sent.headers.location), headers: { cookie: hv.cookie } });
    expect(page.body).toContain('children missing education case');
  });

  test('a parent tells the council through the form', async () => {
    const parent = await sessionFor(t.runtime.database.db, 'demo-parent');
    const page = await t.app.inject({ url: '/home-education/notify', headers: { cookie: parent.cookie } });
    expect(page.statusCode).toBe(200);
    const childId = /name="childId" type="radio" value="([0-9a-f-]{36})"/.exec(page.body)?.[1];
    expect(childId).toBeTruthy();
    const bad = await t.app.inject({ method: 'POST', url: '/home-education/notify', headers: { cookie: parent.cookie, ...FORM }, payload: form({ _csrf: parent.csrfToken }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select the child you are telling us about');
    const sent = await t.app.inject({
      method: 'POST',
      url: '/home-education/notify',
      headers: { cookie: parent.cookie, ...FORM },
      payload: form({ _csrf: parent.csrfToken, childId: childId!, 'homeEducationFrom-day': '1', 'homeEducationFrom-month': '12', 'homeEducationFrom-year': '2026', eheReason: '' }),
    });
    expect(sent.statusCode).toBe(303);
    expect(String(sent.headers.location)).toMatch(/^\/home-education\/notified\?outcome=/);
    const officer = await sessionFor(t.runtime.database.db, 'demo-ehe-officer');
    expect((await t.app.inject({ url: '/home-education/notify', headers: { cookie: officer.cookie } })).statusCode).toBe(403);
  });

  test('systems refer through the API', async () => {
    const { token } = await t.runtime.services.createApiClient({ actor: SYSTEM_ACTOR, correlationId: 't', now: new Date() }, { name: 'health-system', role: 'health_visitor' });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/referrals',
      headers: { authorization: `Bearer ${token}` },
      payload: { referrerType: 'gp-practice', referrerName: 'Practice manager', childFirstName: 'Remy', childLastName: 'Castellane', childDateOfBirth: '2013-01-20', addressLine1: '2 Ford Way', town: 'Elmbridge Moor', postcode: 'NZ7 2FW', details: 'Registered with the practice; no school known.' },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.outcome).toBe('cme-case-opened');
    expect(await t.runtime.database.db.select().from(referrals).where(eq(referrals.id, body.referralId))).toHaveLength(1);
  });

  test('an officer records a school admission from the child’s record and the open episode closes', async () => {
    const db = t.runtime.database.db;
    const officer = await sessionFor(db, 'demo-cme-officer');
    const [open] = await db.execute(sql`select child_id from episodes where closed_on is null and kind = 'cme' limit 1`).then((r) => (r as unknown as { rows: { child_id: string }[] }).rows);
    const url = `/children/${open!.child_id}/admission`;
    expect((await t.app.inject({ url, headers: { cookie: officer.cookie } })).statusCode).toBe(200);
    const bad = await t.app.inject({ method: 'POST', url, headers: { cookie: officer.cookie, ...FORM }, payload: form({ _csrf: officer.csrfToken, schoolUrn: '' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('govuk-error-summary');
    const today = new Date();
    const done = await t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: officer.cookie, ...FORM },
      payload: form({ _csrf: officer.csrfToken, schoolUrn: '999101', 'startDate-day': String(today.getUTCDate()), 'startDate-month': String(today.getUTCMonth() + 1), 'startDate-year': String(today.getUTCFullYear()) }),
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/children/${open!.child_id}?done=admitted`);
    const still = await db.execute(sql`select id from episodes where child_id = ${open!.child_id} and closed_on is null`).then((r) => (r as unknown as { rows: unknown[] }).rows);
    expect(still).toHaveLength(0);
    const parent = await sessionFor(db, 'demo-parent');
    expect((await t.app.inject({ url, headers: { cookie: parent.cookie } })).statusCode).toBe(403);
  });
});
