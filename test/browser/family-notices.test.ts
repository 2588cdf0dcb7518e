import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { expectNoAxeViolations, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { demoFamily, setRegisterRegime, takeOffRollAfterMove } from '../family/notices-helpers.ts';

/**
 * The demo parent tells the council they are home educating Maisie, with the register regime on,
 * and sets how they want to be contacted; then the home education officer sees the effects. Every
 * page visited is checked with axe.
 */
describe('a parent’s notice of home education and contact preferences, seen by the officer (embedded PGlite, real sign-in)', () => {
  let harness: BrowserHarness;
  let baseUrl: string;
  let maisieId: string;

  beforeAll(async () => {
    harness = await startBrowserHarness({
      prepare: async (runtime) => {
        const db = runtime.database.db;
        await setRegisterRegime(db, true);
        // Maisie's school took her off its roll when the family moved; no case opened.
        const { maisie } = await demoFamily(db);
        maisieId = maisie.id;
        await takeOffRollAfterMove(db, runtime.services, maisie, new Date());
      },
    });
    baseUrl = harness.baseUrl;
  });

  afterAll(async () => {
    await harness?.close();
  });

  const continueTo = async (page: Page, path: string, button = 'Continue') => {
    await page.getByRole('button', { name: button, exact: true }).click();
    await page.waitForURL(`${baseUrl}${path}`);
    await expectNoAxeViolations(page);
  };

  test('the parent notifies home education with the register items, and sets contact preferences; the officer sees both', async () => {
    const parent = await harness.newPage();
    await harness.signIn(parent, 'Robin Fairweather', true);
    await parent.goto(`${baseUrl}/family`);
    await parent.getByRole('link', { name: 'Tell the council you are home educating' }).click();
    await parent.waitForURL(`${baseUrl}/family/notify`);
    await expectNoAxeViolations(parent);
    await expect(parent.locator('main').textContent()).resolves.toContain('The law asks you to tell it who provides the education');
    await parent.getByRole('button', { name: 'Start now' }).click();
    await parent.waitForURL(`${baseUrl}/family/notify/child`);
    await expectNoAxeViolations(parent);

    // An answer left out is explained in an error summary and beside the question.
    await parent.getByRole('button', { name: 'Continue' }).click();
    await expect(parent.locator('.govuk-error-summary').textContent()).resolves.toContain('Select the child you are telling us about');
    await expectNoAxeViolations(parent);
    await parent.getByLabel('Maisie Fairweather').check();
    await continueTo(parent, '/family/notify/start-date');

    const today = new Date();
    await parent.getByLabel('Day').fill(String(today.getUTCDate()));
    await parent.getByLabel('Month').fill(String(today.getUTCMonth() + 1));
    await parent.getByLabel('Year').fill(String(today.getUTCFullYear()));
    await continueTo(parent, '/family/notify/school');
    await parent.getByLabel('No', { exact: true }).check();
    await continueTo(parent, '/family/notify/reason');
    await parent.getByLabel('Philosophical or preferential').check();
    await continueTo(parent, '/family/notify/who-educates');

    await parent.getByRole('button', { name: 'Continue' }).click();
    await expect(parent.locator('.govuk-error-summary').textContent()).resolves.toContain('Select who provides your child’s education');
    await expectNoAxeViolations(parent);
    await parent.getByLabel('I do', { exact: true }).check();
    await continueTo(parent, '/family/notify/parent-hours');
    await parent.getByLabel('About how many hours a week is Maisie educated by a parent?').fill('20');
    await continueTo(parent, '/family/notify/other-providers');
    await parent.getByLabel('Yes').check();
    await continueTo(parent, '/family/notify/provider');

    await parent.getByLabel('Tutor').check();
    await parent.getByLabel('Name of the provider').fill('Northshire Maths Tutoring');
    await parent.getByLabel('Address or website').fill('https://maths.example');
    await parent.getByLabel('About how many hours a week does Maisie spend with them?').fill('4');
    await parent.getByLabel('How many of those hours is Maisie there without a parent?').fill('2');
    await continueTo(parent, '/family/notify/other-providers', 'Save and continue');
    await expect(parent.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('You have added 1 other provider');
    await parent.getByLabel('No').check();
    await continueTo(parent, '/family/notify/time-without-parent');
    await parent.getByLabel('In total, about how many hours a week is Maisie educated without a parent there?').fill('2');
    await continueTo(parent, '/family/notify/check');

    const answers = (await parent.locator('.govuk-summary-list').textContent()) ?? '';
    for (const text of ['Maisie Fairweather', 'Philosophical or preferential', 'I do', '20 hours a week', 'Northshire Maths Tutoring (tutor), 4 hours a week, 2 without a parent']) expect(answers).toContain(text);
    await parent.getByRole('button', { name: 'Send notice' }).click();
    await parent.waitForURL(/\/family\/notify\/sent\/[0-9a-f-]{36}$/);
    await expectNoAxeViolations(parent);
    await expect(parent.locator('.govuk-panel__title').textContent()).resolves.toContain('Notice sent');
    const reference = ((await parent.locator('#reference').textContent()) ?? '').trim();
    expect(reference).toMatch(/^FS-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    await parent.goto(`${baseUrl}/family`);
    await parent.getByRole('link', { name: 'Choose how the council contacts you' }).click();
    await parent.waitForURL(`${baseUrl}/family/contact-preferences`);
    await expectNoAxeViolations(parent);
    await parent.getByLabel('In writing only').check();
    await parent.getByLabel('By email').check();
    await parent.getByLabel('Email address').fill('robin.fairweather@family.example');
    await parent.getByLabel('Large print').check();
    await parent.getByLabel('Another language').check();
    await parent.getByLabel('Which language?').fill('Polish');
    await parent.getByLabel('I need an interpreter at meetings and visits').check();
    await parent.getByLabel('Their name').fill('Sam Okafor');
    await parent.getByLabel('How to contact them').fill('07700 900123');
    await parent.getByLabel('Their relationship to you (optional)').fill('friend');
    await continueTo(parent, '/family/contact-preferences?saved=1', 'Save contact preferences');
    await expect(parent.locator('.govuk-notification-banner').textContent()).resolves.toContain('Your contact preferences have been saved');
    const preferences = 'Contact in writing only. Letters by email. Large print. Language: Polish (interpreter needed). Supportive person: Sam Okafor (friend), 07700 900123.';
    await expect(parent.locator('#current-preferences').textContent()).resolves.toBe(preferences);

    // The home education officer finds the new episode on the register, with the preferences and the education the parent gave.
    const officer = await harness.newPage();
    await harness.signIn(officer, 'Avery Thornbury');
    await officer.goto(`${baseUrl}/register/worklists/unallocated`);
    await expectNoAxeViolations(officer);
    await officer.getByRole('link', { name: 'Maisie Fairweather' }).first().click();
    await officer.waitForURL(/\/register\/episodes\//);
    await expectNoAxeViolations(officer);
    await expect(officer.locator('main').textContent()).resolves.toMatch(/Elective home education/i);
    await officer.getByRole('button', { name: 'Open the home education case' }).or(officer.getByRole('link', { name: 'Open the home education case' })).click();
    await officer.waitForURL(/\/home-education\/episodes\//);
    await expectNoAxeViolations(officer);
    await expect(officer.locator('main').textContent()).resolves.toContain(`How Robin Fairweather wants to be contacted: ${preferences}`);

    await officer.getByRole('link', { name: 'Open the child’s record' }).click();
    await officer.waitForURL(`${baseUrl}/children/${maisieId}`);
    await expectNoAxeViolations(officer);
    const record = (await officer.locator('main').textContent()) ?? '';
    expect(record).toContain(`How Robin Fairweather wants to be contacted: ${preferences}`);
    expect(record).toContain('Told by the parent');
    expect(record).toContain('Northshire Maths Tutoring');

    await officer.goto(`${baseUrl}/children/${maisieId}/education`);
    await expectNoAxeViolations(officer);
    await expect(officer.locator('main').textContent()).resolves.toContain('Northshire Maths Tutoring');

    // The notice itself waits in the list of what families have sent.
    await officer.goto(`${baseUrl}/family-items`);
    await expectNoAxeViolations(officer);
    await expect(officer.locator('main').textContent()).resolves.toContain(reference);
    expect(harness.cspViolations).toEqual([]);
  });
});
