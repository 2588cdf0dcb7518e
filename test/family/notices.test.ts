import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import {
  adults,
  auditLog,
  childAddresses,
  childAdults,
  children,
  domainEvents,
  educationArrangements,
  educationProviders,
  episodes,
  familySubmissions,
  formDrafts,
  letters,
  referrals,
} from '../../src/db/schema/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { demoFamily, NOW, setRegisterRegime, takeOffRollAfterMove } from './notices-helpers.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;

const fullNotice = (childId: string, overrides: Record<string, unknown> = {}) => ({
  childId,
  homeEducationFrom: '2026-11-23',
  onRoll: 'no',
  eheReason: 'philosophical',
  whoEducates: 'me',
  parentHoursPerWeek: '20',
  hasProviders: 'yes',
  providers: [{ type: 'tutor', name: 'Northshire Maths Tutoring', addressOrWebsite: 'https://maths.example', hoursPerWeek: '4', hoursWithoutParentPerWeek: '2' }],
  hoursWithoutParentPerWeek: '2',
  ...overrides,
});

describe.each(ENGINES)('the family service’s notices on %s', (engine) => {
  let setup: Setup;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;
  const parent = () => contextFor(db(), 'demo-parent', NOW);
  const officer = () => contextFor(db(), 'demo-ehe-officer', NOW);

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('with the register regime off, a parent tells the council with only what the law has always asked', async () => {
    await setRegisterRegime(db(), false);
    const { ellis } = await demoFamily(db());
    const [before] = await db().select().from(episodes).where(and(eq(episodes.childId, ellis.id), eq(episodes.kind, 'ehe'), isNull(episodes.closedOn)));
    const sent = await services().sendHomeEducationNotice(await parent(), { childId: ellis.id, homeEducationFrom: '2026-11-02' });
    expect(sent.outcome).toBe('ehe-episode-opened');
    expect(sent.reference).toMatch(/^FS-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const [submission] = await db().select().from(familySubmissions).where(eq(familySubmissions.id, sent.submissionId));
    // Ellis already had an episode open from his school's return: the notice joins it.
    expect(submission).toMatchObject({ kind: 'home-education-notice', childId: ellis.id, eheEpisodeId: before!.id, status: 'received' });
    const lines = (submission!.details as { lines: { label: string; value: string }[] }).lines;
    expect(lines).toContainEqual({ label: 'Reason for home education', value: 'Not given' });
    expect(lines).toContainEqual({ label: 'Who provides the education', value: 'Not given' });
    expect(await db().select().from(episodes).where(and(eq(episodes.childId, ellis.id), eq(episodes.kind, 'ehe')))).toHaveLength(1);
    expect(await db().select().from(educationArrangements).where(and(eq(educationArrangements.childId, ellis.id), eq(educationArrangements.recordedAt, NOW)))).toHaveLength(0);
    const [referral] = await db().select().from(referrals).where(and(eq(referrals.childId, ellis.id), eq(referrals.kind, 'parent-notification')));
    expect(referral).toMatchObject({ referrerName: 'Robin Fairweather', homeEducationFrom: '2026-11-02', eheReason: 'no-reason', status: 'processed' });
  });

  test('with the regime on, the register items are required, and the council says which', async () => {
    await setRegisterRegime(db(), true);
    const { maisie } = await demoFamily(db());
    await expect(services().sendHomeEducationNotice(await parent(), { childId: maisie.id, homeEducationFrom: '2026-11-23' })).rejects.toMatchObject({
      code: 'validation',
      fields: {
        whoEducates: 'Select who provides your child’s education',
        parentHoursPerWeek: 'Enter about how many hours a week your child is educated by a parent',
        hasProviders: 'Select yes if anyone else provides part of your child’s education',
      },
    });
    await expect(
      services().sendHomeEducationNotice(await parent(), fullNotice(maisie.id, { providers: [{ type: 'tutor', name: 'Tutor', addressOrWebsite: 'x', hoursPerWeek: '2', hoursWithoutParentPerWeek: '3' }], hoursWithoutParentPerWeek: '' })),
    ).rejects.toMatchObject({ code: 'validation', fields: { providers: 'Check the details of each other provider', hoursWithoutParentPerWeek: 'Enter about how many hours a week in total your child is educated without a parent there' } });
    await expect(services().sendHomeEducationNotice(await parent(), fullNotice(maisie.id, { homeEducationFrom: '2028-01-01' }))).rejects.toMatchObject({
      fields: { homeEducationFrom: 'The date home education starts must be within the next 12 months' },
    });
  });

  test('with the regime on, a full notice opens an episode, records the register items with source "parent", and gives a reference', async () => {
    await setRegisterRegime(db(), true);
    const { maisie, adult } = await demoFamily(db());
    await takeOffRollAfterMove(db(), services(), maisie);
    await services().saveHomeEducationNoticeDraft(await parent(), { childId: maisie.id });
    const sent = await services().sendHomeEducationNotice(await parent(), fullNotice(maisie.id));
    expect(sent.outcome).toBe('ehe-episode-opened');

    const [episode] = await db().select().from(episodes).where(and(eq(episodes.childId, maisie.id), eq(episodes.kind, 'ehe')));
    expect(episode).toMatchObject({ status: 'notified', openedBy: 'parent-notification', openedOn: '2026-11-23', reason: 'philosophical' });
    const [arrangement] = await db().select().from(educationArrangements).where(eq(educationArrangements.childId, maisie.id)).orderBy(desc(educationArrangements.recordedAt));
    expect(arrangement).toMatchObject({ parentHoursPerWeek: 20, otherHoursPerWeek: 4, source: 'parent' });
    const providers = await db().select().from(educationProviders).where(and(eq(educationProviders.childId, maisie.id), eq(educationProviders.source, 'parent')));
    expect(providers).toEqual([expect.objectContaining({ name: 'Northshire Maths Tutoring', type: 'tutor', hoursPerWeek: 4, hoursWithoutParentPerWeek: 2 })]);
    const [link] = await db().select().from(childAdults).where(and(eq(childAdults.childId, maisie.id), eq(childAdults.adultId, adult.id)));
    expect(link!.providesEducation).toBe(true);

    const [submission] = await db().select().from(familySubmissions).where(eq(familySubmissions.id, sent.submissionId));
    expect(submission).toMatchObject({ reference: sent.reference, childId: maisie.id, eheEpisodeId: episode!.id, adultId: adult.id });
    expect((submission!.details as { lines: unknown[] }).lines).toEqual(
      expect.arrayContaining([
        { label: 'Child', value: 'Maisie Fairweather' },
        { label: 'Home education started or starts', value: '23 November 2026' },
        { label: 'Reason for home education', value: 'Philosophical or preferential' },
        { label: 'Who provides the education', value: 'Robin Fairweather' },
        { label: 'Time educated by parents', value: '20 hours a week' },
        { label: 'Other provider', value: 'Northshire Maths Tutoring (tutor), https://maths.example; 4 hours a week, 2 without a parent' },
        { label: 'Time educated without a parent there', value: '2 hours a week' },
      ]),
    );
    // The answers kept between pages are gone once the notice is sent.
    expect(await db().select().from(formDrafts).where(eq(formDrafts.userId, (await parent()).actor.id!))).toHaveLength(0);
    const events = await db().select().from(domainEvents).where(eq(domainEvents.childId, maisie.id));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['parent-notification.received', 'ehe-episode.opened', 'education.arrangement-recorded', 'education.provider-added', 'family.home-education-notice']));

    const confirmation = await services().viewNoticeConfirmation(await parent(), sent.submissionId, ['home-education-notice']);
    expect(confirmation).toMatchObject({ reference: sent.reference, childName: 'Maisie Fairweather', details: expect.objectContaining({ outcome: 'ehe-episode-opened', regimeInForce: true }) });
    await expect(services().viewNoticeConfirmation(await parent(), sent.submissionId, ['support-request'])).rejects.toMatchObject({ code: 'not-found' });
  });

  test('a child not listed goes to the council as a notification to match, from the parent’s address', async () => {
    await setRegisterRegime(db(), false);
    const { adult } = await demoFamily(db());
    const sent = await services().sendHomeEducationNotice(await parent(), { childId: 'other', otherFirstName: 'Juniper', otherLastName: 'Fairweather', otherDateOfBirth: '2015-06-30', homeEducationFrom: '2026-11-10', onRoll: 'yes', schoolName: 'Elmbridge Moor Academy' });
    expect(sent.outcome).toBe('awaiting-match');
    const [submission] = await db().select().from(familySubmissions).where(eq(familySubmissions.id, sent.submissionId));
    expect(submission).toMatchObject({ childId: null, eheEpisodeId: null });
    const waiting = await services().listReferrals(await officer(), { status: 'awaiting-match' });
    const referral = waiting.find((r) => r.childFirstName === 'Juniper');
    expect(referral).toMatchObject({ kind: 'parent-notification', childLastName: 'Fairweather', childDateOfBirth: '2015-06-30', addressLine1: adult.addressLine1, postcode: adult.postcode, homeEducationFrom: '2026-11-10' });
    expect(referral!.details).toContain('Elmbridge Moor Academy');

    await expect(services().sendHomeEducationNotice(await parent(), { childId: 'other', homeEducationFrom: '2026-11-10' })).rejects.toMatchObject({
      fields: { otherFirstName: 'Enter the child’s first name', otherLastName: 'Enter the child’s last name', otherDateOfBirth: 'Enter the child’s date of birth' },
    });
  });

  test('a parent cannot notify, save a draft or ask for support about another family’s child, and other roles are refused', async () => {
    const ctx = await parent();
    const [someoneElses] = await db()
      .select({ id: children.id })
      .from(children)
      .where(sql`not exists (select 1 from ${childAdults} ca join ${adults} a on a.id = ca.adult_id where ca.child_id = ${children.id} and a.user_id = ${ctx.actor.id})`)
      .limit(1);
    await setRegisterRegime(db(), false);
    await expect(services().sendHomeEducationNotice(ctx, { childId: someoneElses!.id, homeEducationFrom: '2026-11-23' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(services().saveHomeEducationNoticeDraft(ctx, { childId: someoneElses!.id })).rejects.toMatchObject({ code: 'not-found' });
    await expect(services().requestSupport(ctx, { kinds: ['advice'], childId: someoneElses!.id })).rejects.toMatchObject({ code: 'not-found' });
    await expect(services().reportNewProvider(ctx, { childId: someoneElses!.id, type: 'tutor', name: 'A tutor', addressOrWebsite: 'https://tutor.example' })).rejects.toMatchObject({ code: 'not-found' });
    const refusals = await db().select().from(auditLog).where(and(eq(auditLog.correlationId, ctx.correlationId), eq(auditLog.action, 'family.home-education-notice.refused')));
    expect(refusals).toHaveLength(1);
    expect(await db().select().from(referrals).where(eq(referrals.childId, someoneElses!.id))).toHaveLength(0);

    for (const subject of ['demo-ehe-officer', 'demo-school-user', 'demo-social-worker']) {
      const other = await contextFor(db(), subject, NOW);
      await expect(services().sendHomeEducationNotice(other, fullNotice(someoneElses!.id))).rejects.toMatchObject({ code: 'forbidden' });
      await expect(services().loadHomeEducationNoticeDraft(other)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(services().changeMyContactPreferences(other, { version: 1 })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(services().requestSupport(other, { kinds: ['advice'] })).rejects.toMatchObject({ code: 'forbidden' });
    }
  });

  test('the notice’s answers are kept between pages for the parent who gave them, and can be discarded', async () => {
    const { ellis } = await demoFamily(db());
    const ctx = await parent();
    await services().saveHomeEducationNoticeDraft(ctx, { childId: ellis.id, homeEducationFrom: '2026-12-01', providers: [{ type: 'group', name: 'Elm Co-op', addressOrWebsite: 'Elm Hall', hoursPerWeek: '3', hoursWithoutParentPerWeek: '0' }] });
    const draft = await services().loadHomeEducationNoticeDraft(ctx);
    expect(draft.answers).toMatchObject({ childId: ellis.id, homeEducationFrom: '2026-12-01', providers: [{ name: 'Elm Co-op' }] });
    expect(draft.children.map((c) => c.name)).toEqual(['Ellis Fairweather', 'Maisie Fairweather']);
    await services().discardHomeEducationNoticeDraft(ctx);
    expect((await services().loadHomeEducationNoticeDraft(ctx)).answers).toEqual({});
  });

  test('a parent reports a new address: their record (version-checked), the children who move, and their address history', async () => {
    const { adult, ellis, maisie } = await demoFamily(db());
    const ctx = await parent();
    const change = { version: adult.version, addressLine1: '8 Heron Way', addressLine2: 'Upper Flat', town: 'Brackenthwaite', postcode: 'nz2 8hw', movedOn: '2026-11-20', childIds: [ellis.id] };
    await expect(services().reportChangeOfAddress(ctx, { ...change, postcode: 'nowhere', movedOn: '' })).rejects.toMatchObject({
      code: 'validation',
      fields: { postcode: 'Enter a real postcode, like NZ1 2AB', movedOn: 'Enter the date you moved or will move' },
    });
    await expect(services().reportChangeOfAddress(ctx, { ...change, version: adult.version + 1 })).rejects.toMatchObject({ code: 'stale-version' });
    const sent = await services().reportChangeOfAddress(ctx, change);
    const [after] = await db().select().from(adults).where(eq(adults.id, adult.id));
    expect(after).toMatchObject({ addressLine1: '8 Heron Way, Upper Flat', town: 'Brackenthwaite', postcode: 'NZ2 8HW', version: adult.version + 1 });
    const [movedChild] = await db().select().from(children).where(eq(children.id, ellis.id));
    expect(movedChild).toMatchObject({ addressLine1: '8 Heron Way', addressLine2: 'Upper Flat', postcode: 'NZ2 8HW', postcodeKey: 'NZ28HW' });
    const [stayed] = await db().select().from(children).where(eq(children.id, maisie.id));
    expect(stayed!.addressLine1).toBe(maisie.addressLine1);
    const history = await db().select().from(childAddresses).where(eq(childAddresses.childId, ellis.id));
    expect(history).toContainEqual(expect.objectContaining({ addressLine1: ellis.addressLine1, livedTo: '2026-11-20', source: 'parent' }));
    const [submission] = await db().select().from(familySubmissions).where(eq(familySubmissions.id, sent.submissionId));
    expect(submission).toMatchObject({ kind: 'change-of-address', childId: ellis.id });
    // The new address never reaches the timeline, which the other parent may read.
    const events = await db().select().from(domainEvents).where(eq(domainEvents.correlationId, ctx.correlationId));
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e.summary).not.toContain('Heron');
    expect(events.filter((e) => e.visibility !== 'staff')).toEqual([]);
    expect(events.map((e) => e.summary)).toContain('A parent reported a change of address');
    // A stale form, from before this change, is refused.
    await expect(services().reportChangeOfAddress(ctx, change)).rejects.toMatchObject({ code: 'stale-version' });
  });

  test('a parent reports a new provider, recorded with source "parent" against the child’s open episode', async () => {
    await setRegisterRegime(db(), true);
    const { ellis } = await demoFamily(db());
    const ctx = await parent();
    await expect(services().reportNewProvider(ctx, { childId: ellis.id, type: 'online school', name: 'Brightwater Online', addressOrWebsite: 'https://brightwater.example' })).rejects.toMatchObject({
      fields: { hoursPerWeek: 'Enter how many hours a week your child spends with the provider', hoursWithoutParentPerWeek: 'Enter how many of those hours your child is there without a parent' },
    });
    const sent = await services().reportNewProvider(ctx, { childId: ellis.id, type: 'online school', name: 'Brightwater Online', addressOrWebsite: 'https://brightwater.example', hoursPerWeek: '6', hoursWithoutParentPerWeek: '6', startedOn: '2026-11-16' });
    const [provider] = await db().select().from(educationProviders).where(and(eq(educationProviders.childId, ellis.id), eq(educationProviders.name, 'Brightwater Online')));
    expect(provider).toMatchObject({ type: 'online school', source: 'parent', hoursPerWeek: 6 });
    const [episode] = await db().select().from(episodes).where(and(eq(episodes.childId, ellis.id), eq(episodes.kind, 'ehe'), isNull(episodes.closedOn)));
    const [submission] = await db().select().from(familySubmissions).where(eq(familySubmissions.id, sent.submissionId));
    expect(submission).toMatchObject({ kind: 'new-provider', childId: ellis.id, eheEpisodeId: episode!.id });
    await setRegisterRegime(db(), false);
  });

  test('a parent sets how they want to be contacted; officers see it on the child, and a stale save is refused', async () => {
    const { ellis, adult } = await demoFamily(db());
    const ctx = await parent();
    const mine = await services().viewMyContactPreferences(ctx);
    expect(mine.values).toMatchObject({ contactPreference: 'written-only', preferredChannel: 'post', format: 'none', language: 'english' });
    const form = {
      version: mine.version,
      contactPreference: 'written-only',
      preferredChannel: 'email',
      email: '',
      format: 'other',
      formatOther: '',
      language: 'other',
      languageOther: '',
      supportiveName: '',
      supportiveContact: '07700 900123',
    };
    await expect(services().changeMyContactPreferences(ctx, form)).rejects.toMatchObject({
      code: 'validation',
      fields: {
        email: 'Enter your email address',
        formatOther: 'Enter the format you need',
        languageOther: 'Enter the language you want the council to use',
        supportiveName: 'Enter the supportive person’s name',
      },
    });
    await expect(services().changeMyContactPreferences(ctx, { ...form, email: 'not an email' })).rejects.toMatchObject({ fields: { email: 'Enter an email address in the correct format, like name@example.com' } });
    const saved = await services().changeMyContactPreferences(ctx, {
      ...form,
      email: 'robin@family.example',
      format: 'large-print',
      languageOther: 'Polish',
      interpreter: 'yes',
      supportiveName: 'Sam Okafor',
      supportiveRelationship: 'friend',
    });
    expect(saved.summary).toEqual(['Contact in writing only.', 'Letters by email.', 'Large print.', 'Language: Polish (interpreter needed).', 'Supportive person: Sam Okafor (friend), 07700 900123.']);
    const again = await services().viewMyContactPreferences(ctx);
    expect(again.values).toMatchObject({ preferredChannel: 'email', email: 'robin@family.example', format: 'large-print', language: 'other', languageOther: 'Polish', interpreter: true, supportiveName: 'Sam Okafor', supportiveRelationship: 'friend', supportiveContact: '07700 900123' });
    await expect(services().changeMyContactPreferences(ctx, { ...form, email: 'x@example.com', formatOther: 'Braille grade 1', languageOther: 'Welsh', supportiveName: 'Sam' })).rejects.toMatchObject({ code: 'stale-version' });

    const seen = await services().viewContactPreferencesForChild(await officer(), ellis.id);
    const robin = seen.find((p) => p.name === 'Robin Fairweather');
    expect(robin).toMatchObject({ writtenOnly: true, summary: saved.summary });
    expect(seen.find((p) => p.name !== 'Robin Fairweather')!.summary.join(' ')).not.toMatch(/Larch|NZ9/);
    await expect(services().viewContactPreferencesForChild(ctx, ellis.id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(services().viewContactPreferencesForChild(await contextFor(db(), 'demo-school-user', NOW), ellis.id)).rejects.toMatchObject({ code: 'forbidden' });
    const events = await db().select().from(domainEvents).where(and(eq(domainEvents.childId, ellis.id), eq(domainEvents.type, 'adult.contact-preferences-changed')));
    expect(events[0]).toMatchObject({ visibility: 'staff', summary: 'Robin Fairweather changed how they want to be contacted' });
    const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.action, 'family.contact-preferences.change'), eq(auditLog.correlationId, ctx.correlationId)));
    expect(audit!.details).toMatchObject({ changed: { preferredChannel: { from: 'post', to: 'email' } } });

    // Letters follow the channel the parent chose, and say that contact will be in writing only.
    const [episode] = await db().select().from(episodes).where(and(eq(episodes.childId, ellis.id), eq(episodes.kind, 'ehe'), isNull(episodes.closedOn)));
    await services().sendInformalEnquiry(await officer(), episode!.id, { version: episode!.version });
    const [letter] = await db().select().from(letters).where(and(eq(letters.episodeId, episode!.id), eq(letters.recipientAdultId, adult.id)));
    expect(letter).toMatchObject({ channel: 'email', emailAddress: 'robin@family.example' });
    expect(JSON.stringify(letter!.content)).toContain('We will only contact you in writing.');
  });

  test('a parent asks for support, about one child or the whole family', async () => {
    const { maisie } = await demoFamily(db());
    const ctx = await parent();
    await expect(services().requestSupport(ctx, { kinds: [] })).rejects.toMatchObject({ fields: { kinds: 'Select the support you would like' } });
    await expect(services().requestSupport(ctx, { kinds: ['other'], details: '' })).rejects.toMatchObject({ fields: { details: 'Tell us what support you would like' } });
    const sent = await services().requestSupport(ctx, { kinds: ['exam-centre', 'groups'], childId: maisie.id, details: 'GCSE English next summer.' });
    const [submission] = await db().select().from(familySubmissions).where(eq(familySubmissions.id, sent.submissionId));
    expect(submission).toMatchObject({ kind: 'support-request', childId: maisie.id });
    expect((submission!.details as { lines: unknown[] }).lines).toContainEqual({ label: 'Support asked for', value: 'Help finding an exam centre; Local groups and community organisations' });
    const whole = await services().requestSupport(ctx, { kinds: 'advice', childId: 'family' });
    const [family] = await db().select().from(familySubmissions).where(eq(familySubmissions.id, whole.submissionId));
    expect(family).toMatchObject({ childId: null, eheEpisodeId: null });
    const options = await services().viewSupportOptions(ctx);
    expect(options).toMatchObject({ team: 'Elective Home Education Team', phone: '01632 960 000' });
  });
});
