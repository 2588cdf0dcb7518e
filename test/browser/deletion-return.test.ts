import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { and, eq, isNull } from 'drizzle-orm';
import { children, enrolments, schools } from '../../src/db/schema/index.ts';
import { DEMO_SCHOOL_URN } from '../../src/seed/demo-accounts.ts';
import { expectNoAxeViolations, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';

describe('browser: a school sends a deletion return (embedded PGlite, real sign-in)', () => {
  let harness: BrowserHarness;
  let baseUrl: string;
  let pupil: typeof children.$inferSelect;
  const newPage = () => harness.newPage();
  const signIn = (page: Page, account: string) => harness.signIn(page, account);

  beforeAll(async () => {
    harness = await startBrowserHarness({
      childCount: 60,
      prepare: async (runtime) => {
        const db = runtime.database.db;
        const [school] = await db.select().from(schools).where(eq(schools.urn, DEMO_SCHOOL_URN));
        const [row] = await db
          .select({ child: children })
          .from(enrolments)
          .innerJoin(children, eq(children.id, enrolments.childId))
          .where(and(eq(enrolments.schoolId, school!.id), isNull(enrolments.endDate)))
          .orderBy(children.laChildId)
          .limit(1);
        pupil = row!.child;
      },
    });
    baseUrl = harness.baseUrl;
  });

  afterAll(async () => {
    await harness?.close();
  });

  test('Harper Luxmoore sends a deletion return for a pupil with documented safeguarding concerns', async () => {
    const page = await newPage();
    await signIn(page, 'Harper Luxmoore');
    await expectNoAxeViolations(page);
    const heading = () => page.getByRole('heading', { level: 1 }).textContent();
    const next = () => page.getByRole('button', { name: 'Continue' }).click();

    await page.goto(`${baseUrl}/returns`);
    await expect(heading()).resolves.toBe('Your deletion returns');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Send a deletion return' }).click();

    await expect(heading()).resolves.toContain('What is the pupil’s name?');
    await expectNoAxeViolations(page);
    await next();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter the pupil’s first name');
    await expectNoAxeViolations(page);
    await page.getByLabel('First name').fill(pupil.firstName);
    await page.getByLabel('Last name').fill(pupil.lastName);
    await next();

    await expect(heading()).resolves.toContain('date of birth');
    await expectNoAxeViolations(page);
    const [year, month, day] = pupil.dateOfBirth.split('-');
    await page.getByLabel('Day').fill(String(Number(day)));
    await page.getByLabel('Month').fill(String(Number(month)));
    await page.getByLabel('Year').fill(year!);
    await next();

    await expect(heading()).resolves.toContain('unique pupil number');
    await expectNoAxeViolations(page);
    await page.getByRole('textbox').fill(pupil.upn ?? '');
    await next();

    await expect(heading()).resolves.toContain('Which parent does the pupil normally live with?');
    await expectNoAxeViolations(page);
    await page.getByLabel('Parent’s full name').fill('Jo Example');
    await page.getByLabel('Address line 1').fill(pupil.addressLine1);
    await page.getByLabel('Town or city').fill(pupil.town);
    await page.getByLabel('Postcode').fill(pupil.postcode);
    await next();

    await expect(heading()).resolves.toContain('emergency telephone number');
    await expectNoAxeViolations(page);
    await page.getByRole('textbox').fill('07700 900 982');
    await next();

    await expect(heading()).resolves.toContain('What will the pupil’s address be?');
    await expectNoAxeViolations(page);
    await next();
    await expect(heading()).resolves.toContain('Which school is the pupil going to?');
    await expectNoAxeViolations(page);
    await next();

    await expect(heading()).resolves.toContain('What is the ground for deletion?');
    await expectNoAxeViolations(page);
    await page.getByLabel('(f) Parent notified the school in writing').check();
    await next();

    await expect(heading()).resolves.toContain('reason did the parent give');
    await expectNoAxeViolations(page);
    await page.getByLabel('Dissatisfaction with school: bullying').check();
    await next();

    await expect(heading()).resolves.toContain('date of deletion');
    await expectNoAxeViolations(page);
    await page.getByLabel('Day').fill('20');
    await page.getByLabel('Month').fill('11');
    await page.getByLabel('Year').fill('2026');
    await next();

    await expect(heading()).resolves.toContain('Has the school documented safeguarding concerns');
    await expectNoAxeViolations(page);
    await page.getByLabel('Yes').check();
    await next();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter the date the concerns were documented');
    await expectNoAxeViolations(page);
    await page.getByLabel('Day').fill('3');
    await page.getByLabel('Month').fill('6');
    await page.getByLabel('Year').fill('2026');
    await page.getByLabel('What the school documented').fill('Disclosure recorded on the safeguarding log; DSL informed.');
    await next();

    await expect(heading()).resolves.toBe('Check your answers before sending the return');
    await expectNoAxeViolations(page);
    const summary = (await page.locator('.govuk-summary-list').textContent()) ?? '';
    expect(summary).toContain(`${pupil.firstName} ${pupil.lastName}`);
    expect(summary).toContain('Dissatisfaction with school: bullying');
    expect(summary).toContain('Documented on 3 June 2026');
    await page.getByRole('button', { name: 'Send the return' }).click();

    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain('Deletion return sent');
    await expect(page.locator('#what-next').textContent()).resolves.toContain('home education record');
    await expectNoAxeViolations(page);

    await page.getByRole('link', { name: 'View the returns you have sent' }).click();
    await expect(page.locator('#returns').textContent()).resolves.toContain(`${pupil.firstName} ${pupil.lastName}`);
    await expect(page.locator('#returns').textContent()).resolves.toContain('Processed');
    await expectNoAxeViolations(page);
  });

  test('no page broke the Content Security Policy', () => {
    expect(harness.cspViolations).toEqual([]);
  });
});
