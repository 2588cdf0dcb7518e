import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { desc } from 'drizzle-orm';
import { auditLog } from '../../src/db/schema/index.ts';
import { loadCouncilSettings } from '../../src/db/repositories/councils.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;

const OTHER_ROLES = ['demo-ehe-officer', 'demo-team-manager', 'demo-data-officer', 'demo-school-user', 'demo-parent'] as const;

/** A complete settings form as the page would post it, with every field valid. */
function settingsForm(version: number, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    version: String(version),
    registerRegimeEnabled: 'yes',
    commencesOn: '2027-09-01',
    s437NoticeDays: '20',
    schoolChoiceDays: '15',
    annualContactMonths: '12',
    homeConsiderationDays: '15',
    providerUpdateIntervalMonths: '3',
    consentProtectionLookbackYears: '2',
    closureNoticeWorkingDays: '20',
    cinReviewMonths: '3',
    contactTeam: 'Home Education Team',
    contactAddress: 'Northshire Council\r\nCounty Hall\r\n\r\nNZ1 1AA',
    contactPhone: '01632 960 001',
    contactEmail: 'ehe@northshire.example',
    contactWebsite: 'https://www.northshire.example/ehe',
    ...overrides,
  };
}

describe.each(ENGINES)('council settings and the home education policy on %s', (engine) => {
  let setup: Setup;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;
  const admin = () => contextFor(db(), 'demo-administrator');
  const currentVersion = async () => (await services().viewCouncilSettings(await admin())).version;
  const lastAudit = async () => (await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1))[0];

  beforeAll(async () => {
    setup = await createTestRuntime(engine, { childCount: 60 });
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('an administrator sees the settings, the policy and the version', async () => {
    const view = await services().viewCouncilSettings(await admin());
    expect(view.name).toBe('Northshire Council');
    expect(view.version).toBeGreaterThanOrEqual(1);
    expect(view.settings.periods.s437NoticeDays).toBe(15);
    expect(view.settings.contact.addressLines).toContain('County Hall');
    expect(view.homeEducationPolicy).toContain('# Elective home education in Northshire');
  });

  test('an administrator changes the settings: saved, version bumped, and what changed is audited', async () => {
    const ctx = await admin();
    const before = await services().viewCouncilSettings(ctx);
    const saved = await services().changeCouncilSettings(ctx, settingsForm(before.version));
    expect(saved.registerRegime).toEqual({ enabled: true, commencesOn: '2027-09-01' });
    expect(saved.periods).toMatchObject({ s437NoticeDays: 20, consentProtectionLookbackYears: 2 });
    expect(saved.contact.addressLines).toEqual(['Northshire Council', 'County Hall', 'NZ1 1AA']);

    const stored = await loadCouncilSettings(db());
    expect(stored).toEqual(saved);
    expect(await currentVersion()).toBe(before.version + 1);

    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: 'council.settings-change', recordType: 'council', correlationId: ctx.correlationId });
    const changed = (audit!.details as { changed: Record<string, { from: unknown; to: unknown }> }).changed;
    expect(changed['periods.s437NoticeDays']).toEqual({ from: 15, to: 20 });
    expect(changed['registerRegime.enabled']).toEqual({ from: false, to: true });
    expect(changed['registerRegime.commencesOn']).toEqual({ from: null, to: '2027-09-01' });
    expect(changed['contact.team']).toEqual({ from: 'Elective Home Education Team', to: 'Home Education Team' });
    expect(changed).not.toHaveProperty('periods.schoolChoiceDays');
  });

  test('turning the register duties off clears the date, whatever was left in the hidden date field', async () => {
    const ctx = await admin();
    const saved = await services().changeCouncilSettings(ctx, settingsForm(await currentVersion(), { registerRegimeEnabled: 'no', commencesOn: '2027-02-30' }));
    expect(saved.registerRegime).toEqual({ enabled: false, commencesOn: null });
  });

  test('every other role is refused, and nothing changes', async () => {
    const version = await currentVersion();
    for (const subject of OTHER_ROLES) {
      const ctx = await contextFor(db(), subject);
      await expect(services().viewCouncilSettings(ctx), subject).rejects.toMatchObject({ code: 'forbidden' });
      await expect(services().changeCouncilSettings(ctx, settingsForm(version)), subject).rejects.toMatchObject({ code: 'forbidden' });
      await expect(services().changeHomeEducationPolicy(ctx, { version: String(version), policy: '# Taken over' }), subject).rejects.toMatchObject({ code: 'forbidden' });
    }
    expect(await currentVersion()).toBe(version);
  });

  test('a save made on an out-of-date form is refused as stale', async () => {
    const ctx = await admin();
    const version = await currentVersion();
    await expect(services().changeCouncilSettings(ctx, settingsForm(version - 1))).rejects.toMatchObject({ code: 'stale-version', message: expect.stringContaining('Someone else changed this council’s settings') });
    await expect(services().changeHomeEducationPolicy(ctx, { version: String(version - 1), policy: 'Older text' })).rejects.toMatchObject({ code: 'stale-version' });
    expect(await currentVersion()).toBe(version);
  });

  test.each([
    ['s437NoticeDays', '14', 'The notice period must be at least 15 days'],
    ['s437NoticeDays', '91', 'The notice period must be 90 days or fewer'],
    ['s437NoticeDays', '', 'Enter the notice period in days'],
    ['s437NoticeDays', '15.5', 'The notice period must be a whole number of days'],
    ['schoolChoiceDays', '10', 'The school choice period must be at least 15 days'],
    ['schoolChoiceDays', 'two weeks', 'The school choice period must be a whole number of days'],
    ['annualContactMonths', '0', 'The time between annual contacts must be at least 1 month'],
    ['annualContactMonths', '25', 'The time between annual contacts must be 24 months or fewer'],
    ['homeConsiderationDays', '0', 'The time to consider the home must be at least 1 day'],
    ['homeConsiderationDays', '91', 'The time to consider the home must be 90 days or fewer'],
    ['providerUpdateIntervalMonths', '0', 'The time between requests for provider updates must be at least 1 month'],
    ['providerUpdateIntervalMonths', '25', 'The time between requests for provider updates must be 24 months or fewer'],
    ['consentProtectionLookbackYears', '-1', 'The consent look-back period must be 0 years or more'],
    ['consentProtectionLookbackYears', '19', 'The consent look-back period must be 18 years or fewer'],
    ['closureNoticeWorkingDays', '0', 'The closure notice period must be at least 1 working day'],
    ['closureNoticeWorkingDays', '61', 'The closure notice period must be 60 working days or fewer'],
    ['cinReviewMonths', '0', 'The time between Child in Need plan reviews must be at least 1 month'],
    ['cinReviewMonths', '13', 'The time between Child in Need plan reviews must be 12 months or fewer'],
  ])('%s of "%s" is refused: %s', async (field, value, message) => {
    const ctx = await admin();
    await expect(services().changeCouncilSettings(ctx, settingsForm(await currentVersion(), { [field]: value }))).rejects.toMatchObject({ code: 'validation', fields: { [field]: message } });
  });

  test('the register duties switched on need a real start date; every problem is listed at once', async () => {
    const ctx = await admin();
    const version = await currentVersion();
    await expect(services().changeCouncilSettings(ctx, settingsForm(version, { commencesOn: '' }))).rejects.toMatchObject({ fields: { commencesOn: 'Enter the date the register duties start' } });
    await expect(services().changeCouncilSettings(ctx, settingsForm(version, { commencesOn: '2027-02-30' }))).rejects.toMatchObject({ fields: { commencesOn: 'The date the register duties start must be a real date' } });
    await expect(services().changeCouncilSettings(ctx, settingsForm(version, { registerRegimeEnabled: '' }))).rejects.toMatchObject({ fields: { registerRegimeEnabled: 'Select yes if the register duties apply to the council' } });
    const all = services().changeCouncilSettings(ctx, settingsForm(version, { commencesOn: '', s437NoticeDays: '3', contactTeam: ' ', contactEmail: 'not an email', contactWebsite: 'northshire', contactAddress: '1\n2\n3\n4\n5\n6\n7' }));
    await expect(all).rejects.toMatchObject({
      code: 'validation',
      fields: {
        commencesOn: 'Enter the date the register duties start',
        s437NoticeDays: 'The notice period must be at least 15 days',
        contactTeam: 'Enter the name of the team families contact',
        contactEmail: 'Enter an email address in the correct format, like name@example.com',
        contactWebsite: 'Enter a website address in the correct format, like https://www.example.gov.uk',
        contactAddress: 'Enter no more than 6 address lines',
      },
    });
    expect(await currentVersion()).toBe(version);
  });

  test('an administrator changes the policy; it must be given and at most 20,000 characters; anyone can read it', async () => {
    const ctx = await admin();
    const version = await currentVersion();
    await expect(services().changeHomeEducationPolicy(ctx, { version: String(version), policy: '  \r\n ' })).rejects.toMatchObject({ fields: { policy: 'Enter the home education policy' } });
    await expect(services().changeHomeEducationPolicy(ctx, { version: String(version), policy: 'x'.repeat(20_001) })).rejects.toMatchObject({ fields: { policy: 'The home education policy must be 20,000 characters or fewer' } });
    const saved = await services().changeHomeEducationPolicy(ctx, { version: String(version), policy: '# Our policy\r\n\r\nWe respect parents’ choices.  \r\n' });
    expect(saved.version).toBe(version + 1);
    expect(await lastAudit()).toMatchObject({ action: 'council.home-education-policy-change', correlationId: ctx.correlationId });

    const read = await services().viewHomeEducationPolicy({ correlationId: 'public-read', now: new Date() });
    expect(read).toEqual({ councilName: 'Northshire Council', policy: '# Our policy\n\nWe respect parents’ choices.' });
    expect((await lastAudit())?.correlationId).not.toBe('public-read');
  });

  test('a save keeps children’s social care contact details, and can change them', async () => {
    const saved = await services().changeCouncilSettings(
      await admin(),
      settingsForm(await currentVersion(), { socialCareTeam: 'Children’s Services', socialCarePhone: '01632 960 222', socialCareEmail: 'childrens.services@northshire.example' }),
    );
    expect(saved.contact).toMatchObject({ socialCareTeam: 'Children’s Services', socialCarePhone: '01632 960 222', socialCareEmail: 'childrens.services@northshire.example' });
    const view = await services().viewCouncilSettings(await admin());
    expect(view.settings.contact).toMatchObject({ socialCareTeam: 'Children’s Services', socialCarePhone: '01632 960 222' });
    await expect(services().changeCouncilSettings(await admin(), settingsForm(await currentVersion(), { socialCareTeam: ' ', socialCareEmail: 'nope' }))).rejects.toMatchObject({
      fields: { socialCareTeam: 'Enter the name children’s social care signs its letters with', socialCareEmail: 'Enter an email address in the correct format, like name@example.com' },
    });
  });
});
