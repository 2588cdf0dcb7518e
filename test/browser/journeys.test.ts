import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { createWebApp } from '../../src/composition.ts';
import { createTestRuntime } from '../support/app.ts';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Runs axe on the page and fails with the violations listed. */
async function expectNoAxeViolations(page: Page): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  });
  expect(violations, `axe violations on ${page.url()}`).toEqual([]);
}

describe('browser journeys (embedded PGlite, real sign-in through the local identity provider)', () => {
  let browser: Browser;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let baseUrl: string;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    const setup = await createTestRuntime('pglite', { env: { PORT: String(port), CAIRN_BASE_URL: baseUrl } });
    app = await createWebApp(setup.runtime, { requestLogs: false });
    await app.listen({ port, host: 'localhost' });
    close = setup.close;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await close?.();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
    });
    return page;
  }

  async function signIn(page: Page, account: string, asParent = false): Promise<void> {
    await page.goto(`${baseUrl}/`);
    await expectNoAxeViolations(page);
    if (asParent) await page.getByRole('link', { name: 'Sign in as a parent or carer' }).click();
    else await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.title()).resolves.toContain('Sign in');
    await expectNoAxeViolations(page);
    await page.getByLabel(account).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${baseUrl}/home`);
  }

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
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your children');
    const links = page.locator('main ul.govuk-list a');
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
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your children');
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
    expect(cspViolations).toEqual([]);
  });
});
