import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { loadFamily } from '../../src/domain/family/core.ts';
import { contextFor } from '../support/actors.ts';
import { expectNoAxeViolations, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

describe('a parent follows children’s social care, and social care staff see what they sent (embedded PGlite, real sign-in)', () => {
  let harness: BrowserHarness;
  let baseUrl: string;
  let assessedId: string;
  let closedId: string;
  let assessedChild: string;
  let closedChild: string;

  /** Checks the page with axe and returns its main text. */
  const checked = async (page: Page) => {
    await expectNoAxeViolations(page);
    return (await page.locator('main').textContent()) ?? '';
  };

  beforeAll(async () => {
    harness = await startBrowserHarness({
      prepare: async (runtime) => {
        const db = runtime.database.db;
        const s = runtime.services;
        const parent = await contextFor(db, 'demo-parent');
        const family = await runtime.runInTransaction(parent, async (uow) => loadFamily(uow.tx, parent.actor));
        const [elder, younger] = family.children;
        assessedChild = `${elder!.firstName} ${elder!.lastName}`;
        closedChild = `${younger!.firstName} ${younger!.lastName}`;
        const now = new Date();
        const today = now.toISOString().slice(0, 10);
        const worker = await contextFor(db, 'demo-social-worker', now);
        const referral = (childId: string) => ({ childId, referralDate: today, referralSource: 'health-visitor', referrerName: 'Emerson Tolleshunt', concerns: 'The family is under strain.', homeEducationOnly: 'no', priorConcernDocumented: 'no' });

        // A section 17 assessment, completed with the parents' consent into a child in need plan, and shared.
        const assessed = await s.receiveSocialCareReferral(worker, referral(elder!.childId));
        const decided = await s.decideSocialCareReferral(worker, assessed.id, { version: assessed.version, decision: 'assessment', reasons: 'To understand what help the family needs.', primaryNeedCode: 'N4' });
        await s.recordS17Consent(worker, assessed.id, { version: decided.version, step: 'assessment', consent: 'given', how: 'in-writing', recordedOn: today });
        await s.recordS17Consent(worker, assessed.id, { version: decided.version, step: 'cin-plan', consent: 'given', how: 'in-writing', recordedOn: today });
        await s.completeAssessment(worker, assessed.id, {
          version: decided.version,
          completedOn: today,
          outcome: 'cin-plan',
          summary: 'The family would benefit from respite at weekends.',
          educationSection: 'Educated at home; the education is going well.',
          parentViews: 'We would welcome some help.',
          childViews: 'I like learning at home.',
          childSeenAlone: 'yes',
        });
        await s.shareAssessment(worker, assessed.id);
        assessedId = assessed.id;

        // A referral closed with no further action.
        const mash = await contextFor(db, 'demo-mash-worker', now);
        const closing = await s.receiveSocialCareReferral(mash, referral(younger!.childId));
        await s.decideSocialCareReferral(mash, closing.id, { version: closing.version, decision: 'nfa', reasons: 'No concerns were found.', primaryNeedCode: 'N9' });
        closedId = closing.id;
      },
    });
    baseUrl = harness.baseUrl;
  });

  afterAll(async () => {
    await harness?.close();
  });

  test('the parent says no to a section 17 visit, comments on the assessment, sends views with a drawing, and asks for written confirmation of closure', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, 'Robin Fairweather', true);
    await page.goto(`${baseUrl}/family`);
    await checked(page);
    await page.getByRole('link', { name: 'Follow your family’s contact with children’s social care' }).click();
    await expect(checked(page)).resolves.toContain(assessedChild);

    await page.getByRole('link', { name: assessedChild }).click();
    let main = await checked(page);
    expect(main).toContain('Child in need plan');
    expect(main).toContain('Help under section 17 is voluntary');
    expect(main).toContain('The next review of the plan is due by');

    // Saying no to a visit, with an error first.
    await page.getByRole('link', { name: 'Say no to a home visit' }).click();
    await checked(page);
    await page.getByLabel('What would you prefer instead? (optional)').fill('A phone call on a weekday.');
    await page.getByLabel('Why do you not want a visit? (optional)').fill('x'.repeat(2001));
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter 2,000 characters or fewer');
    await expect(page.getByLabel('What would you prefer instead? (optional)').inputValue()).resolves.toBe('A phone call on a weekday.');
    await checked(page);
    await page.getByLabel('Why do you not want a visit? (optional)').fill('The children were upset by the last visit.');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toMatch(/We have told the social worker that you do not agree to a home visit\. Your reference is FS-/);
    await checked(page);

    // The assessment and comments.
    await page.getByRole('link', { name: 'Read the assessment and add your comments' }).click();
    main = await checked(page);
    expect(main).toContain('The family would benefit from respite at weekends.');
    await page.getByRole('button', { name: 'Send comments' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter your comments on the assessment');
    await checked(page);
    await page.getByLabel('Your comments').fill('Respite on Saturdays would suit us best.');
    await page.getByLabel(/’s comments \(optional\)/).fill('I want to go swimming.');
    await page.getByRole('button', { name: 'Send comments' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('Your comments have been added to the assessment.');
    await checked(page);

    // Views for the plan review, with something the child drew.
    await page.getByRole('link', { name: /^Send your views and .* for the child in need plan review$/ }).click();
    await checked(page);
    await page.getByRole('button', { name: 'Send views' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter your views, or your child’s views');
    await checked(page);
    await page.getByLabel('Your views').fill('The plan is helping.');
    await page.getByLabel(/views, in their own words \(optional\)/).fill('I am happy.');
    await page.getByLabel(/Upload something from/).setInputFiles({ name: 'my drawing.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('button', { name: 'Send views' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('Your views have been sent for the meeting.');
    main = await checked(page);
    expect(main).toContain('Visit declined');
    expect(main).toContain('Comments on an assessment');
    expect(main).toContain('Views for a meeting');

    // The closed case: written confirmation.
    await page.getByRole('link', { name: 'Children’s social care' }).first().click();
    await page.getByRole('link', { name: closedChild }).click();
    main = await checked(page);
    expect(main).toContain('We must tell you that the case is closed by');
    await page.getByRole('link', { name: 'Ask for written confirmation that the case is closed' }).click();
    await checked(page);
    await page.getByRole('button', { name: 'Ask for written confirmation' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('You have asked for written confirmation that the case is closed.');
    main = await checked(page);
    expect(main).toContain('We will send you a letter');

    // A complaint, with an error first.
    await page.goto(`${baseUrl}/family/complaints`);
    await checked(page);
    await page.getByRole('button', { name: 'Make a complaint' }).click();
    await checked(page);
    await page.getByLabel('What happened?').fill('Nobody called me back.');
    await page.getByRole('button', { name: 'Send complaint' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Select what your complaint is about');
    await expect(page.getByLabel('What happened?').inputValue()).resolves.toBe('Nobody called me back.');
    await checked(page);
    await page.getByLabel('Children’s social care').check();
    await page.getByLabel('It is not about one child').check();
    await page.getByLabel('What would you like to happen?').fill('A call back this week.');
    await page.getByRole('button', { name: 'Send complaint' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Complaint sent');
    await checked(page);
  });

  test('the social worker sees the declined visit, the comments and the views on the episode page, and withholds a step from the family', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, 'Jordan Kettleby');
    await page.goto(`${baseUrl}/social-care/episodes/${assessedId}`);
    const main = await checked(page);
    expect(main).toMatch(/The family declined a visit on \d+ \w+ \d{4} \(Robin Fairweather, reference FS-[0-9A-Z-]+\)\. Their reasons: The children were upset by the last visit\./);
    expect(main).toContain('Parents’ comments: Robin Fairweather: Respite on Saturdays would suit us best.');
    expect(main).toContain('I want to go swimming.');
    expect(main).toContain('Views from Robin Fairweather for the meeting');
    expect(main).toContain('my drawing.png');

    await page.getByRole('row').filter({ hasText: 'To understand what help the family needs.' }).getByRole('link', { name: /^Withhold/ }).click();
    await checked(page);
    await page.getByRole('button', { name: 'Withhold from the family' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter why disclosing this to the family would put a child at risk');
    await checked(page);
    await page.getByLabel('Why would telling the family put a child at risk?').fill('The referrer could be identified from it.');
    await page.getByRole('button', { name: 'Withhold from the family' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('The step is withheld from the family');
    await expect(checked(page)).resolves.toContain('The referrer could be identified from it.');
  });

  test('the MASH worker sees the request for written confirmation in the worklist and sends the letter; the parent reads it, and never sees the withheld step', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, 'Morgan Haddleston');
    await page.goto(`${baseUrl}/social-care`);
    await expect(checked(page)).resolves.toContain('The family asked for written confirmation that the case is closed');
    await page.locator('#due-soon').locator('xpath=following-sibling::table[1]').getByRole('link', { name: closedChild }).click();
    await expect(checked(page)).resolves.toContain('asked for written confirmation that the case is closed');
    await page.getByRole('button', { name: 'The family asked for written confirmation of closure' }).click();
    await checked(page);
    await page.getByRole('button', { name: 'Send the letter' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('Written confirmation sent');
    await page.goto(`${baseUrl}/social-care`);
    await expect(checked(page)).resolves.not.toContain('The family asked for written confirmation that the case is closed');

    const parent = await harness.newPage();
    await harness.signIn(parent, 'Robin Fairweather', true);
    await parent.goto(`${baseUrl}/family/social-care/${closedId}`);
    await checked(parent);
    await parent.locator('#letters a').first().click();
    await expect(checked(parent)).resolves.toContain('Robin Fairweather');

    await parent.goto(`${baseUrl}/family/social-care/${assessedId}`);
    const main = await checked(parent);
    expect(main).not.toContain('Our decision on the referral');
    expect(main).not.toContain('The referrer could be identified');
    expect(main).toContain('Child and family assessment finished');
  });

  test('no page broke the Content Security Policy', () => {
    expect(harness.cspViolations).toEqual([]);
  });
});
