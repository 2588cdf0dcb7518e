import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { adults, childAdults, children, episodes, users } from '../../src/db/schema/index.ts';
import { contextFor } from '../support/actors.ts';
import { expectNoAxeViolations, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

describe('a parent answers an informal enquiry with a document, and the officer sees it (embedded PGlite, real sign-in)', () => {
  let harness: BrowserHarness;
  let baseUrl: string;
  let episodeId: string;
  let childId: string;

  beforeAll(async () => {
    harness = await startBrowserHarness({
      prepare: async (runtime) => {
        const db = runtime.database.db;
        const [user] = await db.select().from(users).where(eq(users.subject, 'demo-parent'));
        const [robin] = await db.select().from(adults).where(eq(adults.userId, user!.id));
        const [ellis] = await db
          .select({ id: children.id })
          .from(childAdults)
          .innerJoin(children, eq(children.id, childAdults.childId))
          .where(and(eq(childAdults.adultId, robin!.id), eq(children.firstName, 'Ellis')));
        childId = ellis!.id;
        const [episode] = await db.select().from(episodes).where(and(eq(episodes.childId, childId), eq(episodes.kind, 'ehe')));
        episodeId = episode!.id;
        await runtime.services.sendInformalEnquiry(await contextFor(db, 'demo-ehe-officer'), episodeId, { version: episode!.version });
      },
    });
    baseUrl = harness.baseUrl;
  });

  afterAll(async () => {
    await harness?.close();
  });

  test('the parent reads the letter and replies in writing with a PDF; the officer sees the reply and downloads the file', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, 'Robin Fairweather', true);
    await page.goto(`${baseUrl}/family/letters`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Letters from the council');
    await expectNoAxeViolations(page);

    await page.locator('#family-letters a').first().click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Ellis');
    await expect(page.locator('.app-letter-frame').textContent()).resolves.toContain('What we are asking for');
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Reply to this letter' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Reply to the letter');
    await expect(page.locator('main').textContent()).resolves.toContain('You do not have to follow the National Curriculum');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Select how you want to reply');
    await expectNoAxeViolations(page);
    await page.getByLabel('Reply in writing').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Reply in writing');
    await expectNoAxeViolations(page);

    // A file that is not what its name says is refused; what was typed is kept.
    await page.getByLabel('Your reply').fill('Ellis follows a weekly plan: maths and reading every morning, science club on Thursdays.');
    await page.getByLabel('Documents (optional)').setInputFiles([{ name: 'weekly plan.pdf', mimeType: 'application/pdf', buffer: PNG }]);
    await page.getByRole('button', { name: 'Send reply' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('The selected file weekly plan.pdf must be a PDF');
    await expect(page.getByLabel('Your reply').inputValue()).resolves.toContain('science club on Thursdays');
    await expect(page.locator('.govuk-warning-text').textContent()).resolves.toContain('Choose them again');
    await expectNoAxeViolations(page);

    await page.getByLabel('Documents (optional)').setInputFiles([{ name: 'weekly plan.pdf', mimeType: 'application/pdf', buffer: PDF }]);
    await page.getByRole('button', { name: 'Send reply' }).click();
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain('Reply sent');
    const reference = (await page.locator('.govuk-panel__body strong').textContent())!.trim();
    expect(reference).toMatch(/^FS-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await expectNoAxeViolations(page);

    await page.getByRole('link', { name: 'See what you sent' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('weekly plan.pdf');
    await expectNoAxeViolations(page);

    const officer = await harness.newPage();
    await harness.signIn(officer, 'Avery Thornbury');
    await officer.goto(`${baseUrl}/home-education/episodes/${episodeId}`);
    await expectNoAxeViolations(officer);
    const fromFamily = officer.locator('[id^="from-family-"]').first();
    await expect(fromFamily.textContent()).resolves.toContain(reference);
    await expect(fromFamily.textContent()).resolves.toContain('science club on Thursdays');
    const [download] = await Promise.all([officer.waitForEvent('download'), fromFamily.getByRole('link', { name: 'weekly plan.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('weekly plan.pdf');
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');

    await fromFamily.getByRole('link', { name: /Open/ }).click();
    await expect(officer.locator('main').textContent()).resolves.toContain(reference);
    await expectNoAxeViolations(officer);
    expect(harness.cspViolations).toEqual([]);
  });

  test('the parent chooses a meeting and declines a visit, sees what the council holds, and asks for a correction', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, 'Robin Fairweather', true);
    await page.goto(`${baseUrl}/family/letters`);
    await page.locator('#family-letters a').first().click();
    const letterUrl = page.url();

    await page.goto(`${letterUrl}/reply/meeting`);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Select where you would like to meet');
    await expectNoAxeViolations(page);
    await page.getByLabel('Somewhere else, such as a library or council office').check();
    await page.locator('#place').fill('Brackenthwaite library');
    await page.getByLabel('When suits you?').fill('Tuesday mornings');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain('Meeting request sent');
    await expectNoAxeViolations(page);

    await page.goto(`${letterUrl}/reply/decline-visit`);
    await expectNoAxeViolations(page);
    await page.getByLabel('Why do you not want a visit? (optional)').fill('We would rather meet at the library.');
    await page.getByRole('button', { name: 'Decline the visit' }).click();
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain('Visit declined');
    await expectNoAxeViolations(page);

    await page.goto(`${baseUrl}/family/children/${childId}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('What the council holds about Ellis');
    await expectNoAxeViolations(page);
    await page.locator('#about + dl a', { hasText: 'Ask us to correct this' }).first().click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Ask us to correct this');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Send request' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Tell us what is wrong');
    await expectNoAxeViolations(page);
    await page.getByLabel('What is wrong?').fill('Ellis has a middle name.');
    await page.getByLabel('What should it say?').fill('Ellis James Fairweather');
    await page.getByRole('button', { name: 'Send request' }).click();
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain('Request sent');
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: /Back to what the council holds about/ }).click();
    await expect(page.locator('#correction-requests').textContent()).resolves.toContain('Ellis James Fairweather');
    await expectNoAxeViolations(page);

    await page.goto(`${baseUrl}/family/about-you`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('What the council holds about you');
    await expectNoAxeViolations(page);
    expect(harness.cspViolations).toEqual([]);
  });
});
