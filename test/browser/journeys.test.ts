import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { expectNoAxeViolations, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';

describe('browser journeys (embedded PGlite, real sign-in through the local identity provider)', () => {
  let harness: BrowserHarness;
  let baseUrl: string;
  const newPage = () => harness.newPage();
  const signIn = (page: Page, account: string, asParent = false) => harness.signIn(page, account, asParent);

  beforeAll(async () => {
    harness = await startBrowserHarness();
    baseUrl = harness.baseUrl;
  });

  afterAll(async () => {
    await harness?.close();
  });

  test('an officer signs in, finds a child, reads the record, adds a case note and signs out', async () => {
    const page = await newPage();
    await signIn(page, 'Jordan Kettleby');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Welcome, Jordan Kettleby');
    await expectNoAxeViolations(page);

    await page.getByRole('link', { name: 'Find a child' }).first().click();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter a name, date of birth, postcode or UPN');
    await expectNoAxeViolations(page);

    await page.getByLabel('Name').fill('a');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page.locator('#results').textContent()).resolves.toMatch(/\d+ children found/);
    await expectNoAxeViolations(page);

    const first = page.locator('table a').first();
    const childName = (await first.textContent())?.trim() ?? '';
    await first.click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(childName);
    await expect(page.getByRole('heading', { name: 'Timeline' }).isVisible()).resolves.toBe(true);
    await expectNoAxeViolations(page);
    const recordUrl = page.url();

    await page.getByRole('button', { name: 'Add a case note' }).click();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Save case note' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter the case note');
    await expectNoAxeViolations(page);
    await page.getByLabel('Add a case note').fill('Spoke to the parent by telephone; education arrangements discussed.');
    await page.getByRole('button', { name: 'Save case note' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('Case note added');
    await expect(page.locator('.moj-timeline__item').first().textContent()).resolves.toContain('education arrangements discussed');
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Change details' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Change details');
    await expectNoAxeViolations(page);
    await page.getByLabel('Town or city').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter a town or city');
    await expectNoAxeViolations(page);

    await page.goto(recordUrl);
    await page.getByRole('link', { name: 'Change how the child is educated' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('How the child is educated');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Save time educated' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Select where this information came from');
    await expectNoAxeViolations(page);

    await page.getByRole('link', { name: 'Your work' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your work');
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Messages' }).click();
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: /sign out/i }).click();
    await page.waitForURL(`${baseUrl}/signed-out*`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('You have signed out');
    await expectNoAxeViolations(page);

    // Signed out at both ends: Cairn sends the visitor to sign in, and the provider asks again.
    await page.goto(`${baseUrl}/home`);
    expect(new URL(page.url()).pathname).toMatch(/^\/idp\/interaction\//);
    await expect(page.getByRole('button', { name: 'Continue' }).isVisible()).resolves.toBe(true);
  });

  test('a parent sees only their own children and is refused another child without being signed out', async () => {
    const page = await newPage();
    await signIn(page, 'Robin Fairweather', true);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your family');
    const links = page.locator('#your-children a');
    await expect(links.count()).resolves.toBe(2);
    await expectNoAxeViolations(page);
    const ownHref = await links.first().getAttribute('href');
    await links.first().click();
    await expect(page.getByRole('button', { name: 'Add a case note' }).count()).resolves.toBe(0);
    await expectNoAxeViolations(page);

    const staff = await newPage();
    await signIn(staff, 'Casey Wrenfield');
    await staff.goto(`${baseUrl}/children?name=a`);
    const hrefs = await staff.locator('table a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const others = hrefs.filter((href) => href !== ownHref);
    const response = await page.goto(`${baseUrl}${others[0]}`);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('You do not have access');
    await expectNoAxeViolations(page);
    await page.goto(`${baseUrl}/home`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your family');
  });

  test('a signed-in user is warned before the session times out, and can stay signed in', async () => {
    const page = await newPage();
    await signIn(page, 'Robin Fairweather', true);
    await page.clock.install();
    await page.reload();
    const dialog = page.locator('#timeout-warning');
    await expect(dialog.isVisible()).resolves.toBe(false);
    const idle = Number(await dialog.getAttribute('data-idle-seconds'));
    const warn = Number(await dialog.getAttribute('data-warn-seconds'));
    expect(idle).toBeGreaterThan(warn);
    await page.clock.fastForward((idle - warn) * 1000 + 1000);
    await expect(dialog.isVisible()).resolves.toBe(true);
    await expect(page.getByRole('dialog').getByRole('heading').textContent()).resolves.toBe('You’re about to be signed out');
    await expect(dialog.locator('.cairn-timeout-countdown').textContent()).resolves.toMatch(/^\d+ (minutes?|seconds)$/);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your family');
  });

  test('error pages are accessible too', async () => {
    const page = await newPage();
    const response = await page.goto(`${baseUrl}/no-such-page`);
    expect(response?.status()).toBe(404);
    await expectNoAxeViolations(page);
    await page.goto(`${baseUrl}/accessibility`);
    await expectNoAxeViolations(page);
  });

  test('no page broke the Content Security Policy', () => {
    expect(harness.cspViolations).toEqual([]);
  });
});
