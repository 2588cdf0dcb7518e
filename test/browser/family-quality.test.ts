import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectNoAxeViolations, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';

/**
 * The family service at 400% zoom (a 1280-pixel window is 320 CSS pixels wide) and with JavaScript
 * switched off: every page reads without sideways scrolling, passes axe, and its forms still work.
 */
describe('the family service without JavaScript, at 400% zoom (embedded PGlite, real sign-in)', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  test('every family page fits a 320-pixel window and passes axe; a request and an error summary work without script', { timeout: 180_000 }, async () => {
    // A window 320 pixels wide; then the same session in one with script switched off.
    const page = await harness.newPage({ viewport: { width: 320, height: 720 } });
    await harness.signIn(page, 'Robin Fairweather', true);
    const childHref = await page.locator('#your-children a').first().getAttribute('href');
    expect(childHref).toMatch(/^\/family\/children\//);
    const pages = [
      '/family',
      childHref!,
      '/family/about-you',
      '/family/letters',
      '/family/notify',
      '/family/changes',
      '/family/contact-preferences',
      '/family/support',
      '/family/social-care',
      '/family/complaints',
      '/family/complaints/new',
      '/home-education-policy',
    ];
    for (const path of pages) {
      const response = await page.goto(`${harness.baseUrl}${path}`);
      expect(response?.status(), path).toBe(200);
      // How far the page scrolls sideways, and which elements stick out (for the failure message).
      const { overflow, wide } = await page.evaluate(() => {
        type Box = { right: number };
        type El = { tagName: string; className: string; textContent: string | null; getBoundingClientRect(): Box };
        const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelectorAll(s: string): Iterable<El> } }).document;
        const width = doc.documentElement.clientWidth;
        const sticking = [...doc.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > width + 0.5);
        return { overflow: doc.documentElement.scrollWidth - width, wide: sticking.slice(-3).map((el) => `${el.tagName}.${el.className}: ${(el.textContent ?? '').trim().slice(0, 40)}`) };
      });
      expect(overflow, `${path} scrolls sideways at 320 pixels (${wide.join('; ')})`).toBeLessThanOrEqual(0);
      await expectNoAxeViolations(page);
    }

    const noScript = await harness.newPage({ javaScriptEnabled: false, viewport: { width: 320, height: 720 } });
    await noScript.context().addCookies(await page.context().cookies());
    await noScript.goto(`${harness.baseUrl}/family/support`);
    await noScript.getByRole('button', { name: 'Send request' }).click();
    await expect(noScript.locator('.govuk-error-summary').isVisible()).resolves.toBe(true);
    await expect(noScript.title()).resolves.toMatch(/^Error: /);
    await noScript.getByLabel('Help finding an exam centre').check();
    await noScript.getByLabel('Tell us more about what would help').fill('Two GCSEs next summer, as a private candidate.');
    await noScript.getByRole('button', { name: 'Send request' }).click();
    await expect(noScript.locator('.govuk-panel').textContent()).resolves.toMatch(/FS-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    expect(harness.cspViolations).toEqual([]);
  });
});
