import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { adults, childAdults, users } from '../../src/db/schema/index.ts';
import { queueLettersToParents } from '../../src/domain/letters/queue.ts';
import { contextFor } from '../support/actors.ts';
import { expectNoAxeViolations, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';

describe('correspondence and letter templates (embedded PGlite, real sign-in)', () => {
  let harness: BrowserHarness;
  let childId: string;

  beforeAll(async () => {
    harness = await startBrowserHarness({
      prepare: async (runtime) => {
        const db = runtime.database.db;
        const [parent] = await db.select({ adultId: adults.id }).from(adults).innerJoin(users, eq(users.id, adults.userId)).where(eq(users.subject, 'demo-parent'));
        const [link] = await db.select().from(childAdults).where(eq(childAdults.adultId, parent!.adultId)).limit(1);
        childId = link!.childId;
        const ctx = await contextFor(db, 'demo-ehe-officer');
        await runtime.runInTransaction(ctx, (uow) => queueLettersToParents(uow, { childId, templateKey: 'informal-enquiry', data: { replyBy: '13 December 2026' } }));
      },
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  test('an officer finds a letter on the child’s record and reads it', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, 'Avery Thornbury');
    await page.goto(`${harness.baseUrl}/children/${childId}`);
    await expect(page.locator('#correspondence').textContent()).resolves.toBe('Correspondence');
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: /^Your child’s education:/ }).first().click();
    await expect(page.getByRole('link', { name: 'Download the letter as a PDF' }).getAttribute('href')).resolves.toMatch(/^\/letters\/[0-9a-f-]+\.pdf$/);
    await expect(page.locator('.app-letter').textContent()).resolves.toContain('You do not have to agree to a home visit.');
    await expectNoAxeViolations(page);
  });

  test('an administrator previews their own wording, sees its problems, and saves it', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, 'Quinn Ashcombe');
    await page.getByRole('link', { name: 'Letter templates' }).click();
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'School Attendance Order revoked' }).click();
    await expectNoAxeViolations(page);
    await page.getByLabel('Letter', { exact: true }).fill('Dear {{ recipient.name }},\n\nThe order ended on **{{ data.revokedOn }}**.\n\n{{ data.shoeSize }}');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('The template uses “data.shoeSize”, which is not available');
    await expectNoAxeViolations(page);
    await page.getByLabel('Letter', { exact: true }).fill('Dear {{ recipient.name }},\n\nThe order ended on **{{ data.revokedOn }}**.');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.locator('.app-letter').textContent()).resolves.toContain('The order ended on 3 March 2027.');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('your wording has been saved');
    await page.getByRole('link', { name: 'School Attendance Order revoked' }).click();
    await page.getByRole('button', { name: 'Use the shipped wording' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('the shipped wording is in use again');
    await expectNoAxeViolations(page);
  });

  test('no page broke the Content Security Policy', () => {
    expect(harness.cspViolations).toEqual([]);
  });
});
