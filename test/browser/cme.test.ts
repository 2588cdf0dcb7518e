import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { children } from '../../src/db/schema/index.ts';
import { contextFor } from '../support/actors.ts';
import { deletionReturnFor, pupilOnDemoRoll } from '../support/register.ts';
import { expectNoAxeViolations, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';

describe('the CME officer’s journey (embedded PGlite, real sign-in through the local identity provider)', () => {
  let harness: BrowserHarness;
  let baseUrl: string;
  let childName: string;
  let referredName: string;
  let socialCareChildId: string;

  beforeAll(async () => {
    harness = await startBrowserHarness({
      prepare: async (runtime) => {
        // The demo school deletes a pupil under ground i two days ago: a new missing-education case.
        const db = runtime.database.db;
        const { child } = await pupilOnDemoRoll(db);
        childName = `${child.firstName} ${child.lastName}`;
        const result = await runtime.services.submitDeletionReturn(
          await contextFor(db, 'demo-school-user'),
          deletionReturnFor(child, { deletionDate: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10) }),
          'form',
        );
        expect(result.outcome).toBe('cme-case-opened');
        // A GP practice refers a child who looks like one on the register but at another address.
        const [known] = await db
          .select()
          .from(children)
          .where(sql`not exists (select 1 from episodes e where e.child_id = ${children.id}) and not exists (select 1 from enrolments n where n.child_id = ${children.id} and n.end_date is null)`)
          .orderBy(children.laChildId)
          .limit(1);
        referredName = `${known!.firstName} ${known!.lastName}`;
        const referral = await runtime.services.referChildNotInSchool(await contextFor(db, 'demo-health-visitor'), {
          referrerType: 'gp-practice',
          referrerName: 'Dr Ottoline Ferrars',
          childFirstName: known!.firstName,
          childLastName: known!.lastName,
          childDateOfBirth: known!.dateOfBirth,
          addressLine1: '3 Elsewhere Close',
          town: 'Brackenthwaite',
          postcode: 'NZ6 6EC',
          details: 'Registered with the practice; no school named.',
        });
        expect(referral.outcome).toBe('awaiting-match');
        socialCareChildId = known!.id;
      },
    });
    baseUrl = harness.baseUrl;
  });

  afterAll(async () => {
    await harness?.close();
  });

  test('an officer opens a new case from the worklist, records an enquiry and records the child found in another council', async () => {
    const page = await harness.newPage();

    await harness.signIn(page, 'Rowan Pellow');
    await expectNoAxeViolations(page);

    await page.goto(`${baseUrl}/register`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('The register');
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'New cases' }).click();
    await page.waitForURL(`${baseUrl}/register/worklists/new`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('New cases');
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: childName }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(childName);
    await expect(page.locator('#days-missing').textContent()).resolves.toMatch(/2\s+days missing education/);
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Record an enquiry' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Record an enquiry');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Save enquiry' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter who the enquiry was made with');
    await expectNoAxeViolations(page);
    await page.getByLabel('Who was the enquiry made with?').fill('Attendance lead at the school');
    await page.getByLabel('How was it made?').selectOption('school');
    const today = new Date();
    await page.locator('#madeOn-day').fill(String(today.getUTCDate()));
    await page.locator('#madeOn-month').fill(String(today.getUTCMonth() + 1));
    await page.locator('#madeOn-year').fill(String(today.getUTCFullYear()));
    await page.getByLabel('What did it find?').fill('The family told the school they were moving to Southshire.');
    await page.getByLabel('Yes').check();
    await page.getByRole('button', { name: 'Save enquiry' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('Enquiry recorded');
    await expect(page.locator('#enquiries + table, table').first().textContent()).resolves.toContain('Attendance lead at the school');
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Record where the child was found' }).click();
    await expectNoAxeViolations(page);
    await page.getByLabel('Moved to another council').check();
    await page.getByLabel('Name of the council').fill('Southshire Council');
    await page.getByLabel('Local authority number').fill('9');
    await page.locator('#handOverDate-day').fill(String(today.getUTCDate()));
    await page.locator('#handOverDate-month').fill(String(today.getUTCMonth() + 1));
    await page.locator('#handOverDate-year').fill(String(today.getUTCFullYear()));
    await page.getByLabel('Handed over to').fill('Pat Example, CME team, 01632 960 001');
    await page.getByRole('button', { name: 'Save and close the case' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter a 3-digit local authority number');
    await expectNoAxeViolations(page);
    await page.getByLabel('Local authority number').fill('931');
    await page.getByRole('button', { name: 'Save and close the case' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('the case is closed');
    await expect(page.locator('main .govuk-tag').first().textContent()).resolves.toContain('Located');
    await expect(page.locator('main').textContent()).resolves.toContain('Southshire Council (LA 931)');
    await expect(page.getByRole('button', { name: 'Record an enquiry' }).count()).resolves.toBe(0);
    await expectNoAxeViolations(page);
  });

  test('an officer matches a referral that waits for a match', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, 'Rowan Pellow');
    await page.getByRole('link', { name: 'Referrals' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Referrals and notifications');
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: referredName }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(referredName);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Match the referral' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Select the child this referral is about');
    await expectNoAxeViolations(page);
    await page.locator('input[name="match"]').first().check();
    await page.getByRole('button', { name: 'Match the referral' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('Referral matched');
    await expectNoAxeViolations(page);
  });

  test('a social worker records a child protection plan on the child’s record', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, 'Jordan Kettleby');
    await page.goto(`${baseUrl}/children/${socialCareChildId}`);
    await page.getByRole('link', { name: 'Change social care status' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Change social care status');
    await expectNoAxeViolations(page);
    await page.getByLabel('Subject to a child protection plan').check();
    await page.getByRole('button', { name: 'Save social care status' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('Social care status saved');
    await expect(page.locator('main').textContent()).resolves.toContain('Child protection plan');
    await expectNoAxeViolations(page);
  });

  test('no page broke the Content Security Policy', () => {
    expect(harness.cspViolations).toEqual([]);
  });
});
