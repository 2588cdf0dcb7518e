import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { adults, childAdults, educationArrangements, familySubmissions } from '../../src/db/schema/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { sessionFor, type TestSession } from '../support/sessions.ts';
import { contextFor } from '../support/actors.ts';
import { demoFamily, setRegisterRegime, takeOffRollAfterMove } from './notices-helpers.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (values: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  return params.toString();
};

describe.each(ENGINES)('the family service’s notice pages on %s', (engine) => {
  let t: TestApp;
  let parent: TestSession;
  let officer: TestSession;
  const db = () => t.runtime.database.db;
  const get = (url: string, who = parent) => t.app.inject({ url, headers: { cookie: who.cookie } });
  const post = (url: string, values: Record<string, string | string[]>, who = parent) =>
    t.app.inject({ method: 'POST', url, headers: { cookie: who.cookie, ...FORM }, payload: form({ _csrf: who.csrfToken, ...values }) });

  beforeAll(async () => {
    t = await createTestApp(engine);
    parent = await sessionFor(db(), 'demo-parent');
    officer = await sessionFor(db(), 'demo-ehe-officer');
  });
  afterAll(async () => {
    await t?.close();
  });

  test('a parent walks through the notice one question at a time; each page explains its errors and keeps what was typed', async () => {
    await setRegisterRegime(db(), true);
    const { maisie } = await demoFamily(db());
    await takeOffRollAfterMove(db(), t.runtime.services, maisie);

    const start = await get('/family/notify');
    expect(start.statusCode).toBe(200);
    expect(start.body).toContain('Start now');
    expect(start.body).toContain('The law asks you to tell it who provides the education');

    const child = await get('/family/notify/child');
    expect(child.body).toContain('A child not listed here');
    const noChild = await post('/family/notify/child', {});
    expect(noChild.statusCode).toBe(400);
    expect(noChild.body).toContain('govuk-error-summary');
    expect(noChild.body).toContain('href="#childId"');
    expect(noChild.body).toContain('Select the child you are telling us about');
    expect((await post('/family/notify/child', { childId: maisie.id })).headers.location).toBe('/family/notify/start-date');

    const badDate = await post('/family/notify/start-date', { 'homeEducationFrom-day': '31', 'homeEducationFrom-month': '2', 'homeEducationFrom-year': '2027' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('Enter a real date');
    expect(badDate.body).toContain('href="#homeEducationFrom-day"');
    expect(badDate.body).toMatch(/name="homeEducationFrom-day" type="text" value="31"/);
    expect(badDate.body).toContain('When did or will home education start for Maisie?');
    expect((await post('/family/notify/start-date', { 'homeEducationFrom-day': '23', 'homeEducationFrom-month': '11', 'homeEducationFrom-year': '2026' })).headers.location).toBe('/family/notify/school');
    expect((await post('/family/notify/school', { onRoll: 'no', schoolName: 'ignored' })).headers.location).toBe('/family/notify/reason');
    const reason = await get('/family/notify/reason');
    expect(reason.body).toContain('You do not have to give a reason');
    expect((await post('/family/notify/reason', { eheReason: 'not-given' })).headers.location).toBe('/family/notify/who-educates');

    const noWho = await post('/family/notify/who-educates', {});
    expect(noWho.statusCode).toBe(400);
    expect(noWho.body).toContain('Select who provides your child’s education');
    expect(noWho.body).toContain('The law asks for this');
    const noName = await post('/family/notify/who-educates', { whoEducates: 'someone-else' });
    expect(noName.body).toContain('Enter who provides the education');
    expect((await post('/family/notify/who-educates', { whoEducates: 'me' })).headers.location).toBe('/family/notify/parent-hours');
    const badHours = await post('/family/notify/parent-hours', { parentHoursPerWeek: 'lots' });
    expect(badHours.statusCode).toBe(400);
    expect(badHours.body).toContain('Enter the hours a week educated by a parent as a number, like 10');
    expect(badHours.body).toContain('value="lots"');
    expect((await post('/family/notify/parent-hours', { parentHoursPerWeek: '20' })).headers.location).toBe('/family/notify/other-providers');

    expect((await post('/family/notify/other-providers', {})).body).toContain('Select yes if anyone else provides part of your child’s education');
    expect((await post('/family/notify/other-providers', { hasProviders: 'yes' })).headers.location).toBe('/family/notify/provider');
    const badProvider = await post('/family/notify/provider', { name: 'Elm Co-op', hoursPerWeek: '3', hoursWithoutParentPerWeek: '5' });
    expect(badProvider.statusCode).toBe(400);
    for (const message of ['Select the type of provider', 'Enter the provider’s address or website', 'The hours without a parent must be no more than the hours with the provider']) expect(badProvider.body).toContain(message);
    expect(badProvider.body).toContain('value="Elm Co-op"');
    expect((await post('/family/notify/provider', { type: 'group', name: 'Elm Co-op', addressOrWebsite: 'Elm Hall, Brackenthwaite', hoursPerWeek: '3', hoursWithoutParentPerWeek: '1' })).headers.location).toBe('/family/notify/other-providers');
    const added = await get('/family/notify/other-providers');
    expect(added.body).toContain('You have added 1 other provider');
    expect(added.body).toContain('Group or co-operative, 3 hours a week, 1 without a parent');
    expect((await post('/family/notify/other-providers', {})).body).toContain('Select yes if you need to add another provider');
    expect((await post('/family/notify/other-providers', { addAnother: 'no' })).headers.location).toBe('/family/notify/time-without-parent');
    expect((await post('/family/notify/time-without-parent', { hoursWithoutParentPerWeek: '1' })).headers.location).toBe('/family/notify/check');

    const check = await get('/family/notify/check');
    expect(check.statusCode).toBe(200);
    for (const text of ['Maisie Fairweather', '23 November 2026', 'I would rather not say', 'I do', '20 hours a week', 'Elm Hall, Brackenthwaite']) expect(check.body).toContain(text);
    expect(check.body).toContain('href="/family/notify/parent-hours?change=1"');
    expect(check.body).toContain('href="/family/notify/other-providers?change=1"');

    // Changing an answer from Check your answers comes back to it.
    expect((await post('/family/notify/parent-hours?change=1', { parentHoursPerWeek: '22' })).headers.location).toBe('/family/notify/check');

    const sent = await post('/family/notify/check', {});
    expect(sent.statusCode).toBe(303);
    const location = String(sent.headers.location);
    expect(location).toMatch(/^\/family\/notify\/sent\/[0-9a-f-]{36}$/);
    const confirmation = await get(location);
    expect(confirmation.body).toContain('Notice sent');
    const [submission] = await db().select().from(familySubmissions).where(eq(familySubmissions.id, location.split('/').pop()!));
    expect(confirmation.body).toContain(submission!.reference);
    expect(confirmation.body).toContain('The council keeps a register of children who are not in school');
    const [arrangement] = await db().select().from(educationArrangements).where(eq(educationArrangements.childId, maisie.id));
    expect(arrangement).toMatchObject({ parentHoursPerWeek: 22, otherHoursPerWeek: 3, source: 'parent' });

    // The officer sees the education with its source on the child's record.
    const record = await get(`/children/${maisie.id}`, officer);
    expect(record.body).toContain('Told by the parent');
    expect(record.body).toContain('Elm Co-op');
    // Nobody else reads the confirmation.
    expect((await get(location, officer)).statusCode).toBe(403);
    expect((await get('/family/notify/sent/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  test('Check your answers lists what is missing, each linking to its question', async () => {
    await setRegisterRegime(db(), true);
    const { ellis } = await demoFamily(db());
    await t.runtime.services.discardHomeEducationNoticeDraft(await contextFor(db(), 'demo-parent'));
    await post('/family/notify/child', { childId: ellis.id });
    const check = await post('/family/notify/check', {});
    expect(check.statusCode).toBe(400);
    expect(check.body).toContain('Enter the date home education started or will start');
    expect(check.body).toContain('href="/family/notify/start-date?change=1"');
    expect(check.body).toContain('href="/family/notify/who-educates?change=1"');
    const started = await get('/family/notify');
    expect(started.body).toContain('Continue where you left off');
    expect(started.body).toContain('href="/family/notify/start-date"');
    expect((await post('/family/notify/start-again', {})).headers.location).toBe('/family/notify/child');
    expect((await get('/family/notify')).body).toContain('Start now');
    await setRegisterRegime(db(), false);
  });

  test('the old notification form leads to the new one, and staff cannot use the family’s pages', async () => {
    expect((await get('/home-education/notify')).headers.location).toBe('/family/notify');
    expect((await post('/home-education/notify', {})).headers.location).toBe('/family/notify');
    for (const url of ['/family/notify', '/family/notify/child', '/family/changes', '/family/contact-preferences', '/family/support']) expect((await get(url, officer)).statusCode).toBe(403);
    expect((await post('/family/contact-preferences', { version: '1' }, officer)).statusCode).toBe(403);

    // What another parent sent is not found, at any of the confirmation addresses.
    const { ellis } = await demoFamily(db());
    const [otherParent] = await db()
      .select({ id: adults.id })
      .from(childAdults)
      .innerJoin(adults, eq(adults.id, childAdults.adultId))
      .where(and(eq(childAdults.childId, ellis.id), isNull(adults.userId)));
    const [theirs] = await db()
      .insert(familySubmissions)
      .values({ reference: 'FS-TEST-0001', kind: 'support-request', adultId: otherParent!.id, childId: ellis.id, details: { lines: [{ label: 'Support asked for', value: 'Advice' }] }, status: 'received' })
      .returning();
    for (const url of [`/family/support/sent/${theirs!.id}`, `/family/changes/sent/${theirs!.id}`, `/family/notify/sent/${theirs!.id}`]) {
      const response = await get(url);
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('FS-TEST-0001');
    }
  });

  test('contact preferences: errors keep what was typed; a save shows a banner; officers see it on every view of the family', async () => {
    const { ellis } = await demoFamily(db());
    const page = await get('/family/contact-preferences');
    expect(page.statusCode).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
    const bad = await post('/family/contact-preferences', { version, contactPreference: 'written-only', preferredChannel: 'email', email: 'robin at family', format: 'other', formatOther: '', language: 'other', languageOther: 'Polish', supportiveName: 'Sam Okafor' });
    expect(bad.statusCode).toBe(400);
    for (const message of ['Enter an email address in the correct format, like name@example.com', 'Enter the format you need', 'Enter how the council can contact the supportive person']) expect(bad.body).toContain(message);
    expect(bad.body).toContain('value="robin at family"');
    expect(bad.body).toContain('value="Polish"');
    const saved = await post('/family/contact-preferences', {
      version,
      contactPreference: 'written-only',
      preferredChannel: 'email',
      email: 'robin@family.example',
      format: 'large-print',
      language: 'other',
      languageOther: 'Polish',
      interpreter: 'yes',
      supportiveName: 'Sam Okafor',
      supportiveContact: '07700 900123',
      supportiveRelationship: 'friend',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/family/contact-preferences?saved=1');
    const after = await get(String(saved.headers.location));
    expect(after.body).toContain('Your contact preferences have been saved');
    const expected = 'Contact in writing only. Letters by email. Large print. Language: Polish (interpreter needed). Supportive person: Sam Okafor (friend), 07700 900123.';
    expect(after.body).toContain(expected);
    const stale = await post('/family/contact-preferences', { version, contactPreference: 'any', preferredChannel: 'post', format: 'none', language: 'english' });
    expect(stale.statusCode).toBe(409);

    const record = await get(`/children/${ellis.id}`, officer);
    expect(record.body).toContain(`How Robin Fairweather wants to be contacted:</strong> ${expected}`);
    const [episodeId] = (await t.runtime.services.listEpisodes(await contextFor(db(), 'demo-ehe-officer'), { kind: 'ehe' })).items.filter((e) => e.childId === ellis.id && !e.closedOn).map((e) => e.id);
    const ehe = await get(`/home-education/episodes/${episodeId}`, officer);
    expect(ehe.body).toContain(expected);
    const socialCare = await t.runtime.services.receiveSocialCareReferral(await contextFor(db(), 'demo-mash-worker'), {
      childId: ellis.id,
      referralDate: new Date().toISOString().slice(0, 10),
      referralSource: 'gp',
      referrerName: 'Dr Ottoline Ferrars',
      concerns: 'Not seen by the practice this year.',
      homeEducationOnly: 'no',
      priorConcernDocumented: 'no',
    });
    const mash = await sessionFor(db(), 'demo-mash-worker');
    const episode = await get(`/social-care/episodes/${socialCare.id}`, mash);
    expect(episode.body).toContain('How the family wants to be contacted');
    expect(episode.body).toContain(expected);
  });

  test('report a change and ask for support: errors, then a confirmation with a reference', async () => {
    const { ellis } = await demoFamily(db());
    expect((await post('/family/changes', {})).body).toContain('Select what has changed');
    expect((await post('/family/changes', { change: 'address' })).headers.location).toBe('/family/changes/address');
    const form = await get('/family/changes/address');
    expect(form.body).toContain('Which children are moving with you?');
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const bad = await post('/family/changes/address', { version, addressLine1: '8 Heron Way', postcode: 'nowhere', childIds: [ellis.id] });
    expect(bad.statusCode).toBe(400);
    for (const message of ['Enter the town or city', 'Enter a real postcode, like NZ1 2AB', 'Enter the date you moved or will move']) expect(bad.body).toContain(message);
    expect(bad.body).toContain('value="8 Heron Way"');
    const moved = await post('/family/changes/address', { version, addressLine1: '8 Heron Way', town: 'Brackenthwaite', postcode: 'NZ2 8HW', 'movedOn-day': '20', 'movedOn-month': '11', 'movedOn-year': '2026', childIds: [ellis.id] });
    expect(moved.statusCode).toBe(303);
    const movedPage = await get(String(moved.headers.location));
    expect(movedPage.body).toContain('Change of address sent');
    expect(movedPage.body).toMatch(/FS-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    expect((await post('/family/changes/address', { version, addressLine1: '9 Heron Way', town: 'Brackenthwaite', postcode: 'NZ2 8HW', 'movedOn-day': '21', 'movedOn-month': '11', 'movedOn-year': '2026' })).statusCode).toBe(409);

    const provider = await post('/family/changes/provider', { childId: ellis.id, type: 'tutor' });
    expect(provider.statusCode).toBe(400);
    expect(provider.body).toContain('Enter the name of the provider');
    expect((await post('/family/changes/provider', { childId: ellis.id, type: 'tutor', name: 'Ada Lovelace Tutoring', addressOrWebsite: 'https://ada.example' })).statusCode).toBe(303);

    const support = await get('/family/support');
    expect(support.body).toContain('href="/home-education-policy"');
    const noKinds = await post('/family/support', { details: 'Help please' });
    expect(noKinds.statusCode).toBe(400);
    expect(noKinds.body).toContain('Select the support you would like');
    expect(noKinds.body).toContain('Help please');
    const asked = await post('/family/support', { kinds: ['advice', 'sen'], childId: 'family' });
    expect(asked.statusCode).toBe(303);
    expect((await get(String(asked.headers.location))).body).toContain('Request for support sent');
  });
});
