import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { childWithParent } from '../support/register.ts';
import { expectNoAxeViolations, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { contextFor } from '../support/actors.ts';

describe('a referral closed at initial enquiries, with a closure letter (embedded PGlite, real sign-in)', () => {
  let harness: BrowserHarness;
  let baseUrl: string;
  let childId: string;
  let childName: string;
  let strategyEpisodeId: string;

  beforeAll(async () => {
    harness = await startBrowserHarness({
      prepare: async (runtime) => {
        const db = runtime.database.db;
        const child = await childWithParent(db, 4);
        childId = child!.id;
        childName = `${child!.firstName} ${child!.lastName}`;
        // A second family whose referral was decided yesterday: a strategy discussion is needed.
        const other = await childWithParent(db, 9);
        const yesterday = new Date(Date.now() - 86_400_000);
        const worker = await contextFor(db, 'demo-social-worker', yesterday);
        const episode = await runtime.services.receiveSocialCareReferral(worker, {
          childId: other!.id,
          referralDate: yesterday.toISOString().slice(0, 10),
          referralSource: 'police',
          referrerName: 'PC Aldous Varley',
          concerns: 'Injuries seen by a neighbour; the child has not been seen since.',
          homeEducationOnly: 'no',
          priorConcernDocumented: 'not-known',
        });
        const decided = await runtime.services.decideSocialCareReferral(worker, episode.id, { version: episode.version, decision: 'strategy-discussion', reasons: 'Reasonable cause to suspect significant harm.', primaryNeedCode: 'N1' });
        strategyEpisodeId = decided.id;
      },
    });
    baseUrl = harness.baseUrl;
  });

  afterAll(async () => {
    await harness?.close();
  });

  test('a MASH worker records a referral whose only concern is home education, asks the school, and closes it with a letter', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, 'Morgan Haddleston');
    await page.getByRole('link', { name: 'Social care', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Children’s social care');
    await expectNoAxeViolations(page);

    await page.goto(`${baseUrl}/children/${childId}`);
    await page.getByRole('link', { name: 'Record a referral to children’s social care' }).click();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Record the referral' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Select where the referral came from');
    await expectNoAxeViolations(page);
    const today = new Date();
    await page.locator('#referralDate-day').fill(String(today.getUTCDate()));
    await page.locator('#referralDate-month').fill(String(today.getUTCMonth() + 1));
    await page.locator('#referralDate-year').fill(String(today.getUTCFullYear()));
    await page.getByLabel('GP', { exact: true }).check();
    await page.getByLabel('Who made the referral?').fill('Dr Ottoline Ferrars');
    await page.getByLabel('The concerns, in the referrer’s words').fill('The family has taken the child out of school to educate at home.');
    await page.locator('#homeEducationOnly').check();
    await page.locator('#priorConcernDocumented-2').check();
    await page.getByRole('button', { name: 'Record the referral' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('Referral recorded');
    await expect(page.locator('main').textContent()).resolves.toContain('Home education is not in itself a safeguarding concern');
    await expectNoAxeViolations(page);
    const episodeUrl = page.url().split('?')[0]!;

    await page.getByRole('button', { name: 'Ask another agency for information' }).click();
    await page.getByLabel('School', { exact: true }).check();
    await page.getByLabel('School URN (for a school)').fill('999101');
    await page.getByLabel('What are you asking?').fill('Did the school record any concern before the family took the child off roll?');
    await page.getByRole('button', { name: 'Send the request' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('Information request sent');

    await page.getByRole('button', { name: 'Decide what happens to the referral' }).click();
    await expectNoAxeViolations(page);
    await page.getByLabel('Child and family assessment').check();
    await page.getByLabel('Reasons', { exact: true }).fill('To be sure.');
    await page.getByLabel('Primary need').selectOption('N1');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Record why the referral proceeds, or close it');
    await expectNoAxeViolations(page);
    await page.getByLabel('No further action: close the referral').check();
    await page.getByLabel('Reasons', { exact: true }).fill('The only concern was that the child is educated at home; the GP confirmed no other worries.');
    await page.getByLabel('Primary need').selectOption('N9');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expect(page.locator('#episode-status').textContent()).resolves.toContain('Closed');

    await page.getByRole('button', { name: 'Tell the family the case is closed' }).click();
    await page.getByLabel('Send a letter now').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('The family has been told');
    await expect(page.locator('main').textContent()).resolves.toContain('We have closed our enquiries');
    await expectNoAxeViolations(page);

    await page.getByRole('link', { name: /We have closed our enquiries/ }).first().click();
    await expect(page.locator('main').textContent()).resolves.toContain('Home education is not in itself a safeguarding concern');
    await expectNoAxeViolations(page);
    expect(episodeUrl).toContain('/social-care/episodes/');
  });

  test('the school answers the request in Cairn', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, 'Harper Luxmoore');
    await page.getByRole('link', { name: 'Information requests' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain(childName);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Send answer' }).first().click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter your answer');
    await expectNoAxeViolations(page);
    await page.getByLabel('Your answer').first().fill('No concerns were recorded while the child was on our roll.');
    await page.getByRole('button', { name: 'Send answer' }).first().click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('Answer sent');
    await expect(page.locator('main').textContent()).resolves.toContain('No concerns were recorded while the child was on our roll.');
    await expectNoAxeViolations(page);
  });

  test('a social worker takes a family from strategy discussion through section 47 and conference to a plan, reviews it and steps it down', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, 'Jordan Kettleby');
    await page.goto(`${baseUrl}/social-care/episodes/${strategyEpisodeId}`);
    await expectNoAxeViolations(page);
    const today = new Date();
    const fillDate = async (name: string) => {
      await page.locator(`#${name}-day`).fill(String(today.getUTCDate()));
      await page.locator(`#${name}-month`).fill(String(today.getUTCMonth() + 1));
      await page.locator(`#${name}-year`).fill(String(today.getUTCFullYear()));
    };
    const fillViews = async () => {
      await page.getByLabel('The parent’s views').fill('The parent disputes how the injuries happened.');
      await page.getByLabel('The child’s views').fill('The child said they want to stay at home with their brother.');
      await page.locator('#childSeenAlone').check();
    };

    await page.getByRole('button', { name: 'Record the strategy discussion' }).click();
    await expectNoAxeViolations(page);
    await fillDate('heldOn');
    await page.getByLabel('Who took part').fill('Social worker, police, GP, health visitor');
    await page.getByLabel('Start a section 47 enquiry').check();
    await page.getByLabel('Reasons').fill('Unexplained injuries reported.');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('#episode-status').textContent()).resolves.toContain('Section 47 enquiry');

    await page.getByRole('button', { name: 'Record the initial child protection conference' }).click();
    await expectNoAxeViolations(page);
    await fillDate('heldOn');
    await page.getByLabel('Conference chair').fill('Independent reviewing chair');
    await page.getByLabel('Child protection plan', { exact: true }).check();
    await page.getByLabel('Education section of the plan').fill('Home educated; the EHE officer to see the child each term.');
    await fillViews();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Select the category of the child protection plan');
    await expectNoAxeViolations(page);
    await page.getByLabel('Category of plan').selectOption('PHY');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('#episode-status').textContent()).resolves.toContain('Child protection plan');

    await page.getByRole('button', { name: 'Add a direction for the home education officer' }).click();
    await page.getByLabel('Direction').fill('EHE officer to visit termly');
    await fillDate('dueOn');
    await page.getByRole('button', { name: 'Add the direction' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('Direction added');

    const officer = await harness.newPage();
    await harness.signIn(officer, 'Avery Thornbury');
    await officer.goto(`${baseUrl}/home-education`);
    await expect(officer.locator('main').textContent()).resolves.toContain('EHE officer to visit termly');
    await expectNoAxeViolations(officer);

    await page.getByRole('button', { name: 'Record a plan review' }).click();
    await expectNoAxeViolations(page);
    await fillDate('heldOn');
    await page.getByLabel('What the review found').fill('Good engagement; the family accepts support.');
    await fillViews();
    await page.getByLabel('The plan continues').check();
    await page.getByRole('button', { name: 'Save review' }).click();
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('Review recorded');

    await page.getByRole('button', { name: 'Record a plan review' }).click();
    await fillDate('heldOn');
    await page.getByLabel('What the review found').fill('Risks have reduced; step down.');
    await fillViews();
    await page.getByLabel('Step down to a Child in Need plan').check();
    await page.getByRole('button', { name: 'Save review' }).click();
    await expect(page.locator('#episode-status').textContent()).resolves.toContain('Child in Need plan');
    await expectNoAxeViolations(page);

  });

  test('no page broke the Content Security Policy', () => {
    expect(harness.cspViolations).toEqual([]);
  });
});
