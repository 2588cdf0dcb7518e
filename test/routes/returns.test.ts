import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { children, deletionReturns, enrolments, formDrafts, schools } from '../../src/db/schema/index.ts';
import { DEMO_SCHOOL_URN } from '../../src/seed/demo-accounts.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { sessionFor, type TestSession } from '../support/sessions.ts';

const form = (values: Record<string, string>) => new URLSearchParams(values).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe.each(ENGINES)('school deletion return pages on %s', (engine) => {
  let t: TestApp;
  let school: TestSession;
  const db = () => t.runtime.database.db;

  beforeAll(async () => {
    t = await createTestApp(engine);
    school = await sessionFor(db(), 'demo-school-user');
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (session: TestSession, url: string) => t.app.inject({ url, headers: { cookie: session.cookie } });
  const answer = (session: TestSession, slug: string, values: Record<string, string>, query = '') =>
    t.app.inject({ method: 'POST', url: `/returns/new/${slug}${query}`, headers: { cookie: session.cookie, ...FORM }, payload: form({ ...values, _csrf: session.csrfToken }) });

  /** Expects a 400 page with the message both in the error summary and inline by its field. */
  function expectError(response: { statusCode: number; body: string }, message: string) {
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toContain('<title>Error: ');
    expect(response.body.split(message).length - 1, message).toBeGreaterThanOrEqual(2);
    expect(response.body).toMatch(new RegExp(`govuk-error-message">\\s*<span class="govuk-visually-hidden">Error:</span> ${message.replace(/[()]/g, '\\$&')}`));
  }

  async function pupilOnDemoRoll(offset: number) {
    const [demo] = await db().select().from(schools).where(eq(schools.urn, DEMO_SCHOOL_URN));
    const rows = await db()
      .select({ child: children })
      .from(enrolments)
      .innerJoin(children, eq(children.id, enrolments.childId))
      .where(and(eq(enrolments.schoolId, demo!.id), isNull(enrolments.endDate)))
      .orderBy(children.laChildId)
      .limit(1)
      .offset(offset);
    return { school: demo!, child: rows[0]!.child };
  }

  const dateFields = (name: string, iso: string) => {
    const [year = '', month = '', day = ''] = iso.split('-');
    return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year };
  };

  test('each page validates only its own answers, with the GOV.UK error summary and inline messages', async () => {
    expectError(await answer(school, 'name', { pupilFirstName: '', pupilLastName: 'Smith' }), 'Enter the pupil’s first name');
    expectError(await answer(school, 'date-of-birth', dateFields('pupilDateOfBirth', '2015-02-30')), 'Enter a real date');
    expectError(await answer(school, 'upn', { upn: 'A999000000000' }), 'Enter a real UPN: 13 characters, like A999212345678, with a correct check letter');
    expectError(await answer(school, 'parent', { parentName: '', parentAddressLine1: '1 Road', parentTown: 'Town', parentPostcode: 'NZ1 1AA' }), 'Enter the name of the parent the pupil normally lives with');
    expectError(await answer(school, 'parent', { parentName: 'Jo', parentAddressLine1: '1 Road', parentTown: 'Town', parentPostcode: 'nope' }), 'Enter a real postcode, like NZ1 2AB');
    expectError(await answer(school, 'emergency-phone', { emergencyPhone: '' }), 'Enter an emergency telephone number');
    expectError(await answer(school, 'future-address', { futureAddress: 'x'.repeat(301) }), 'Future address must be 300 characters or fewer');
    expectError(await answer(school, 'destination', { destinationSchool: '', ...dateFields('destinationStartDate', '2027-01-06') }), 'Enter the destination school');
    expectError(await answer(school, 'ground', {}), 'Select the ground for deletion');
    expectError(await answer(school, 'deletion-date', {}), 'Enter a real date');
    expectError(await answer(school, 'safeguarding', {}), 'Select yes if the school has documented safeguarding concerns');
    const yesWithout = await answer(school, 'safeguarding', { safeguardingConcerns: 'yes' });
    expectError(yesWithout, 'Enter the date the concerns were documented');
    expectError(yesWithout, 'Enter what the school documented');
    expect(yesWithout.body).toContain('href="#concernsDocumentedOn-day"');
    // What was typed is shown again.
    const kept = await answer(school, 'name', { pupilFirstName: '', pupilLastName: 'Keepme' });
    expect(kept.body).toContain('value="Keepme"');
    // Nothing invalid was saved.
    const [draft] = await db().select().from(formDrafts).where(eq(formDrafts.userId, school.userId));
    expect(draft?.data ?? {}).toEqual({});
  });

  test('the reason for home education is asked only for ground f', async () => {
    const other = await answer(school, 'ground', { ground: 'a' });
    expect(other.statusCode).toBe(303);
    expect(other.headers.location).toBe('/returns/new/deletion-date');
    const skipped = await get(school, '/returns/new/home-education-reason');
    expect(skipped.statusCode).toBe(303);
    expect(skipped.headers.location).toBe('/returns/new/check');

    const f = await answer(school, 'ground', { ground: 'f' });
    expect(f.headers.location).toBe('/returns/new/home-education-reason');
    const page = await get(school, '/returns/new/home-education-reason');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Religious reasons');
    expect(page.body).toContain('href="/returns/new/ground"');
    expectError(await answer(school, 'home-education-reason', { eheReason: 'made-up' }), 'Select a reason from the list');
    const notGiven = await answer(school, 'home-education-reason', { eheReason: 'not-given' });
    expect(notGiven.headers.location).toBe('/returns/new/deletion-date');
    // Changing the ground from check answers: away from f forgets the reason; back to f asks it again.
    expect((await answer(school, 'ground', { ground: 'k' }, '?change=1')).headers.location).toBe('/returns/new/check');
    const backToF = await answer(school, 'ground', { ground: 'f' }, '?change=1');
    expect(backToF.headers.location).toBe('/returns/new/home-education-reason?change=1');
    expect((await answer(school, 'home-education-reason', { eheReason: 'religious' }, '?change=1')).headers.location).toBe('/returns/new/check');
    expect((await get(school, '/returns/new/check')).body).toContain('Religious reasons');
  });

  test('a school walks the journey, checks its answers, changes one, sends the return and the pupil leaves the roll', async () => {
    const { school: demo, child } = await pupilOnDemoRoll(4);
    expect((await get(school, '/returns/new')).headers.location).toBe('/returns/new/name');
    const first = await get(school, '/returns/new/name');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('href="/returns"');

    const steps: [string, Record<string, string>, string][] = [
      ['name', { pupilFirstName: child.firstName, pupilLastName: child.lastName }, 'date-of-birth'],
      ['date-of-birth', dateFields('pupilDateOfBirth', child.dateOfBirth), 'upn'],
      ['upn', { upn: child.upn ?? '' }, 'parent'],
      ['parent', { parentName: 'Jo Example', parentAddressLine1: child.addressLine1, parentTown: child.town, parentPostcode: child.postcode.toLowerCase() }, 'emergency-phone'],
      ['emergency-phone', { emergencyPhone: '07700 900123' }, 'future-address'],
      ['future-address', { futureAddress: '' }, 'destination'],
      ['destination', { destinationSchool: 'Fellside Academy', ...dateFields('destinationStartDate', '2026-12-01') }, 'ground'],
      ['ground', { ground: 'a' }, 'deletion-date'],
      ['deletion-date', dateFields('deletionDate', '2026-11-20'), 'safeguarding'],
      ['safeguarding', { safeguardingConcerns: 'no', concernsDetail: 'ignored when no' }, 'check'],
    ];
    for (const [slug, values, next] of steps) {
      const response = await answer(school, slug, values);
      expect(response.statusCode, `${slug}: ${response.body.slice(0, 200)}`).toBe(303);
      expect(response.headers.location).toBe(`/returns/new/${next}`);
    }
    // Answers survive a refresh, and the back link goes to the page before.
    const again = await get(school, '/returns/new/destination');
    expect(again.body).toContain('value="Fellside Academy"');
    expect(again.body).toContain('href="/returns/new/future-address"');

    const check = await get(school, '/returns/new/check');
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Check your answers before sending the return');
    expect(check.body).toContain(`${child.firstName} ${child.lastName}`);
    expect(check.body).toContain('Jo Example');
    expect(check.body).toContain('Fellside Academy, starting 1 December 2026');
    expect(check.body).toContain('(a) Registered at another school');
    expect(check.body).toContain('20 November 2026');
    expect(check.body).not.toContain('Reason for home education');
    expect(check.body).not.toContain('ignored when no');
    expect(check.body).toContain('href="/returns/new/emergency-phone?change=1"');

    // A Change link returns to check answers.
    const changePage = await get(school, '/returns/new/emergency-phone?change=1');
    expect(changePage.body).toContain('action="/returns/new/emergency-phone?change=1"');
    expect(changePage.body).toContain('href="/returns/new/check"');
    const changed = await answer(school, 'emergency-phone', { emergencyPhone: '01632 960 001' }, '?change=1');
    expect(changed.headers.location).toBe('/returns/new/check');
    expect((await get(school, '/returns/new/check')).body).toContain('01632 960 001');

    const sent = await t.app.inject({ method: 'POST', url: '/returns/new/check', headers: { cookie: school.cookie, ...FORM }, payload: form({ _csrf: school.csrfToken }) });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toMatch(/^\/returns\/[0-9a-f-]{36}\/sent$/);
    const confirmation = await get(school, String(sent.headers.location));
    expect(confirmation.statusCode).toBe(200);
    expect(confirmation.body).toContain('govuk-panel');
    expect(confirmation.body).toContain('Deletion return sent');
    expect(confirmation.body).toContain('The pupil has been taken off your roll and the council has a record of the return.');

    const [enrolment] = await db().select().from(enrolments).where(and(eq(enrolments.childId, child.id), eq(enrolments.schoolId, demo.id)));
    expect(enrolment).toMatchObject({ endDate: '2026-11-20', deletionGround: 'a' });
    const [saved] = await db().select().from(deletionReturns).where(eq(deletionReturns.childId, child.id));
    expect(saved).toMatchObject({ emergencyPhone: '01632 960 001', source: 'form', status: 'processed', parentPostcode: child.postcode });
    expect(await db().select().from(formDrafts).where(eq(formDrafts.userId, school.userId))).toEqual([]);

    const list = await get(school, '/returns');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Send a deletion return');
    expect(list.body).toContain(`${child.firstName} ${child.lastName}`);
    expect(list.body).toContain('Processed');
  });

  test('sending with answers missing shows them on check answers, each linked to its page', async () => {
    await answer(school, 'name', { pupilFirstName: 'Half', pupilLastName: 'Done' });
    const response = await t.app.inject({ method: 'POST', url: '/returns/new/check', headers: { cookie: school.cookie, ...FORM }, payload: form({ _csrf: school.csrfToken }) });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toContain('href="/returns/new/parent?change=1"');
  });

  test('every form post needs the session’s CSRF token', async () => {
    const missing = await t.app.inject({ method: 'POST', url: '/returns/new/name', headers: { cookie: school.cookie, ...FORM }, payload: form({ pupilFirstName: 'A', pupilLastName: 'B' }) });
    expect(missing.statusCode).toBe(403);
    const wrong = await t.app.inject({ method: 'POST', url: '/returns/new/check', headers: { cookie: school.cookie, ...FORM }, payload: form({ _csrf: 'forged' }) });
    expect(wrong.statusCode).toBe(403);
  });

  test('parents and health visitors are refused', async () => {
    for (const subject of ['demo-parent', 'demo-health-visitor']) {
      const session = await sessionFor(db(), subject);
      expect((await get(session, '/returns')).statusCode).toBe(403);
      expect((await get(session, '/returns/new/name')).statusCode).toBe(403);
      expect((await answer(session, 'name', { pupilFirstName: 'A', pupilLastName: 'B' })).statusCode).toBe(403);
    }
  });

  test('an officer chooses the school first, sees waiting returns and matches one to a new child', async () => {
    const officer = await sessionFor(db(), 'demo-cme-officer');
    expect((await get(officer, '/returns/new')).headers.location).toBe('/returns/new/school');
    expectError(await answer(officer, 'school', { schoolUrn: '' }), 'Enter the school’s URN');
    expectError(await answer(officer, 'school', { schoolUrn: '999999' }), 'There is no school with that URN in Cairn');
    expect((await answer(officer, 'school', { schoolUrn: DEMO_SCHOOL_URN })).headers.location).toBe('/returns/new/name');

    const schoolCtx = school;
    const steps: [string, Record<string, string>][] = [
      ['name', { pupilFirstName: 'Unlisted', pupilLastName: 'Pupil' }],
      ['date-of-birth', dateFields('pupilDateOfBirth', '2014-05-05')],
      ['upn', { upn: '' }],
      ['parent', { parentName: 'Sam Unlisted', parentAddressLine1: '1 Test Row', parentTown: 'Brackenthwaite', parentPostcode: 'NZ1 1AA' }],
      ['emergency-phone', { emergencyPhone: '07700 900456' }],
      ['future-address', {}],
      ['destination', {}],
      ['ground', { ground: 'i' }],
      ['deletion-date', dateFields('deletionDate', '2026-11-18')],
      ['safeguarding', { safeguardingConcerns: 'no' }],
    ];
    for (const [slug, values] of steps) expect((await answer(schoolCtx, slug, values)).statusCode).toBe(303);
    const sent = await t.app.inject({ method: 'POST', url: '/returns/new/check', headers: { cookie: schoolCtx.cookie, ...FORM }, payload: form({ _csrf: schoolCtx.csrfToken }) });
    expect(sent.statusCode).toBe(303);
    const returnId = /\/returns\/([0-9a-f-]{36})\/sent/.exec(String(sent.headers.location))![1]!;
    expect((await get(schoolCtx, `/returns/${returnId}/sent`)).body).toContain('An officer will match the return');

    const waiting = await get(officer, '/returns?status=awaiting-match');
    expect(waiting.statusCode).toBe(200);
    expect(waiting.body).toContain(`/returns/${returnId}`);
    const view = await get(officer, `/returns/${returnId}`);
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain('Which child is this return about?');
    expect(view.body).toContain('Add a new child from this return’s details');
    // A school cannot match.
    expect((await t.app.inject({ method: 'POST', url: `/returns/${returnId}/match`, headers: { cookie: school.cookie, ...FORM }, payload: form({ match: 'new', _csrf: school.csrfToken }) })).statusCode).toBe(403);
    const none = await t.app.inject({ method: 'POST', url: `/returns/${returnId}/match`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ _csrf: officer.csrfToken }) });
    expectError(none, 'Select the child this return is about, or add a new child');
    const matched = await t.app.inject({ method: 'POST', url: `/returns/${returnId}/match`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ match: 'new', _csrf: officer.csrfToken }) });
    expect(matched.statusCode).toBe(303);
    const after = await get(officer, String(matched.headers.location));
    expect(after.body).toContain('Return matched to a child');
    expect(after.body).toContain('Processed');
    expect(after.body).not.toContain('Which child is this return about?');
  });
});
