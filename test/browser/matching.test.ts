import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoAxeViolations, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { pupilOnDemoRoll } from '../support/register.ts';

describe('a data-matching exercise (embedded PGlite, real sign-in)', () => {
  let harness: BrowserHarness;
  let folder: string;
  let file: string;
  let badFile: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'cairn-matching-'));
    harness = await startBrowserHarness({
      prepare: async (runtime) => {
        const { child } = await pupilOnDemoRoll(runtime.database.db);
        file = join(folder, 'gp-registrations.csv');
        writeFileSync(file, ['first_name,last_name,date_of_birth,postcode', `${child.firstName},${child.lastName},${child.dateOfBirth},${child.postcode}`, 'Marisol,Featherstonehaugh,20150402,NZ4 7QT', 'Tobiah,Quenby,2013-09-17,NZ2 5LP'].join('\n'));
        badFile = join(folder, 'bad.csv');
        writeFileSync(badFile, 'first_name,last_name,date_of_birth,postcode\nAnn,Lee,2015-02-30,NZ1 1AA\n');
      },
    });
  });

  afterAll(async () => {
    await harness?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('a CME officer uploads a GP list, reviews the children known to no school or register, and opens cases', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, 'Rowan Pellow');
    await page.getByRole('link', { name: 'Data matching' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Data-matching exercises');
    await expectNoAxeViolations(page);

    await page.getByLabel('Name of the exercise').fill('GP registrations, autumn term');
    await page.getByLabel('Population list (CSV)').setInputFiles(badFile);
    await page.getByRole('button', { name: 'Match the list' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Line 2: date_of_birth is not a real date');
    await expectNoAxeViolations(page);

    await page.getByLabel('Population list (CSV)').setInputFiles(file);
    await page.getByRole('button', { name: 'Match the list' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('GP registrations, autumn term');
    await expect(page.locator('main').textContent()).resolves.toContain('Marisol Featherstonehaugh');
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Open cases for the selected children' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Select the children to open cases for');
    await expectNoAxeViolations(page);
    await page.locator('input[name="rowIds"]').nth(0).check();
    await page.locator('input[name="rowIds"]').nth(1).check();
    await page.getByRole('button', { name: 'Open cases for the selected children' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('2 children missing education cases opened');
    await expect(page.locator('main').textContent()).resolves.toContain('Case opened');
    await expectNoAxeViolations(page);
  });

  test('no page broke the Content Security Policy', () => {
    expect(harness.cspViolations).toEqual([]);
  });
});
