import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { children, referrals } from '../../src/db/schema/index.ts';
import { contextFor } from '../support/actors.ts';
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

  test('the old notification form leads parents to the family service’s notice', async () => {
    const parent = await sessionFor(t.runtime.database.db, 'demo-parent');
    const page = await t.app.inject({ url: '/home-education/notify', headers: { cookie: parent.cookie } });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/family/notify');
    const sent = await t.app.inject({ method: 'POST', url: '/home-education/notify', headers: { cookie: parent.cookie, ...FORM }, payload: form({ _csrf: parent.csrfToken }) });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/family/notify');
    expect((await t.app.inject({ url: '/family/notify', headers: { cookie: parent.cookie } })).statusCode).toBe(200);
    const officer = await sessionFor(t.runtime.database.db, 'demo-ehe-officer');
    expect((await t.app.inject({ url: '/family/notify', headers: { cookie: officer.cookie } })).statusCode).toBe(403);
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

  test('an officer finds a referral waiting for a match, sees the candidates and matches it in the browser', async () => {
    const [known] = await t.runtime.database.db
      .select()
      .from(children)
      .where(sql`not exists (select 1 from episodes e where e.child_id = ${children.id}) and not exists (select 1 from enrolments n where n.child_id = ${children.id} and n.end_date is null)`)
      .orderBy(children.laChildId)
      .limit(1);
    const hv = await sessionFor(t.runtime.database.db, 'demo-health-visitor');
    const sent = await t.runtime.services.referChildNotInSchool(await contextFor(t.runtime.database.db, 'demo-health-visitor'), {
      referrerType: 'gp-practice',
      referrerName: 'Dr Ottoline Ferrars',
      childFirstName: known!.firstName,
      childLastName: known!.lastName,
      childDateOfBirth: known!.dateOfBirth,
      addressLine1: '3 Elsewhere Close',
      town: 'Brackenthwaite',
      postcode: 'NZ6 6EC',
      details: 'Registered with the practice; no school named.',
    });
    expect(sent.outcome).toBe('awaiting-match');
    expect((await t.app.inject({ url: '/referrals', headers: { cookie: hv.cookie } })).statusCode).toBe(403);

    const officer = await sessionFor(t.runtime.database.db, 'demo-cme-officer');
    const list = await t.app.inject({ url: '/referrals', headers: { cookie: officer.cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`/referrals/${sent.referralId}`);
    const view = await t.app.inject({ url: `/referrals/${sent.referralId}`, headers: { cookie: officer.cookie } });
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain('Which child is this referral about?');
    expect(view.body).toContain('Same date of birth');
    const missing = await t.app.inject({ method: 'POST', url: `/referrals/${sent.referralId}/match`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ _csrf: officer.csrfToken }) });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Select the child this referral is about, or add a new child');
    const matched = await t.app.inject({ method: 'POST', url: `/referrals/${sent.referralId}/match`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ _csrf: officer.csrfToken, match: known!.id }) });
    expect(matched.statusCode).toBe(303);
    const after = await t.app.inject({ url: String(matched.headers.location), headers: { cookie: officer.cookie } });
    expect(after.body).toContain('Referral matched');
    expect(after.body).toContain(`/children/${known!.id}`);
  });

  test('a social worker changes a child’s social care status; an EHE officer is refused', async () => {
    const [child] = await t.runtime.database.db.select().from(children).orderBy(children.laChildId).limit(1);
    const worker = await sessionFor(t.runtime.database.db, 'demo-social-worker');
    const page = await t.app.inject({ url: `/children/${child!.id}/social-care`, headers: { cookie: worker.cookie } });
    expect(page.statusCode).toBe(200);
    const bad = await t.app.inject({ method: 'POST', url: `/children/${child!.id}/social-care`, headers: { cookie: worker.cookie, ...FORM }, payload: form({ _csrf: worker.csrfToken, version: String(child!.version), lookedAfter: 'no' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select whether the child is a child in need');
    const saved = await t.app.inject({
      method: 'POST',
      url: `/children/${child!.id}/social-care`,
      headers: { cookie: worker.cookie, ...FORM },
      payload: form({ _csrf: worker.csrfToken, version: String(child!.version), lookedAfter: 'no', childInNeed: 'yes', protectionStatus: 's47-enquiry' }),
    });
    expect(saved.statusCode).toBe(303);
    const stale = await t.app.inject({
      method: 'POST',
      url: `/children/${child!.id}/social-care`,
      headers: { cookie: worker.cookie, ...FORM },
      payload: form({ _csrf: worker.csrfToken, version: String(child!.version), lookedAfter: 'no', childInNeed: 'no', protectionStatus: 'none' }),
    });
    expect(stale.statusCode).toBe(409);
    const record = await t.app.inject({ url: `/children/${child!.id}`, headers: { cookie: worker.cookie } });
    expect(record.body).toContain('Section 47 enquiries');
    expect(record.body).toContain('Change social care status');

    const officer = await sessionFor(t.runtime.database.db, 'demo-ehe-officer');
    expect((await t.app.inject({ url: `/children/${child!.id}/social-care`, headers: { cookie: officer.cookie } })).statusCode).toBe(403);
    const refused = await t.app.inject({
      method: 'POST',
      url: `/children/${child!.id}/social-care`,
      headers: { cookie: officer.cookie, ...FORM },
      payload: form({ _csrf: officer.csrfToken, version: String(child!.version + 1), lookedAfter: 'no', childInNeed: 'no', protectionStatus: 'none' }),
    });
    expect(refused.statusCode).toBe(403);
    expect((await t.app.inject({ url: `/children/${child!.id}`, headers: { cookie: officer.cookie } })).body).not.toContain('Change social care status');
  });
});
