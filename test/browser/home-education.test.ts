import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { episodes, schools } from '../../src/db/schema/index.ts';
import type { Runtime } from '../../src/composition.ts';
import { contextFor } from '../support/actors.ts';
import { deletionReturnFor, pupilOnDemoRoll } from '../support/register.ts';
import { expectNoAxeViolations, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

/** Two fresh home education episodes for children whose parents can be written to. */
async function freshEpisodes(runtime: Runtime, count: number) {
  return runtime.database.db
    .select()
    .from(episodes)
    .where(and(eq(episodes.kind, 'ehe'), eq(episodes.status, 'notified'), sql`exists (select 1 from child_adults ca where ca.child_id = ${episodes.childId} and ca.parental_responsibility)`))
    .orderBy(episodes.id)
    .limit(count);
}

describe('the home education officer’s formal steps and the consent decision (embedded PGlite, real sign-in)', () => {
  let harness: BrowserHarness;
  let baseUrl: string;
  let freshId: string;
  let orderId: string;
  let schoolName: string;
  let consentChild: string;

  beforeAll(async () => {
    harness = await startBrowserHarness({
      prepare: async (runtime) => {
        const db = runtime.database.db;
        const s = runtime.services;
        const [fresh, earlier] = await freshEpisodes(runtime, 2);
        freshId = fresh!.id;
        orderId = earlier!.id;
        // The earlier family has been through the informal stage, a moderated judgement, a notice and a
        // notice of intention whose choice period has ended: a School Attendance Order can be served today.
        const officer = (n: number) => contextFor(db, 'demo-ehe-officer', daysAgo(n));
        const sent = await s.sendInformalEnquiry(await officer(90), orderId, { version: earlier!.version });
        const info = await s.recordInformation(await officer(60), orderId, { version: sent.episode.version, kind: 'no-response', response: 'received', receivedOn: daysAgo(60).toISOString().slice(0, 10), summary: 'No reply by the date asked.' });
        const judged = await s.recordJudgement(await officer(60), orderId, {
          version: info.version,
          efficient: 'not-known',
          fullTime: 'not-known',
          suitableToAgeAbilityAptitude: 'not-known',
          suitableToSen: 'not-known',
          evidence: ['no-response'],
          reasoning: 'No information was given.',
          outcome: 'not-satisfied',
        });
        const moderated = await s.moderateJudgement(await contextFor(db, 'demo-team-manager', daysAgo(59)), orderId, { version: judged.episode.version, decision: 'agree' });
        const notice = await s.serveS437Notice(await officer(58), orderId, { version: moderated.version, concerns: 'No information about the education has been given.' });
        const [school] = await db.select().from(schools).orderBy(schools.urn).limit(1);
        schoolName = school!.name;
        await s.serveNoticeOfIntention(await officer(35), orderId, { version: notice.episode.version, schoolIds: [school!.id] });

        // A pupil on a child protection plan whose school asks to take them off roll for home education.
        const { child } = await pupilOnDemoRoll(db, { offset: 2, withoutEpisodes: true });
        consentChild = `${child.firstName} ${child.lastName}`;
        await s.changeSocialCareStatus(await contextFor(db, 'demo-social-worker'), child.id, { version: child.version, lookedAfter: 'no', childInNeed: 'no', protectionStatus: 'cp-plan' });
        const held = await s.submitDeletionReturn(await contextFor(db, 'demo-school-user'), deletionReturnFor(child, { ground: 'f', deletionDate: daysAgo(1).toISOString().slice(0, 10) }), 'form');
        expect(held.outcome).toBe('held-for-consent');
      },
    });
    baseUrl = harness.baseUrl;
  });

  afterAll(async () => {
    await harness?.close();
  });

  test('an officer judges, a manager moderates, a notice is served and refused too early; an order is served and complied with', async () => {
    const officer = await harness.newPage();
    await harness.signIn(officer, 'Avery Thornbury');
    await officer.getByRole('link', { name: 'Home education', exact: true }).click();
    await expect(officer.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Home education');
    await expectNoAxeViolations(officer);

    await officer.goto(`${baseUrl}/home-education/episodes/${freshId}`);
    await expectNoAxeViolations(officer);
    await officer.getByRole('button', { name: 'Send an informal enquiry' }).click();
    await expectNoAxeViolations(officer);
    await officer.getByRole('button', { name: 'Send the enquiry' }).click();
    await expect(officer.locator('.govuk-notification-banner').textContent()).resolves.toContain('Informal enquiry sent');
    await expect(officer.locator('#clocks').textContent()).resolves.toContain('Reply to the informal enquiry due');
    await expectNoAxeViolations(officer);

    await officer.getByRole('button', { name: 'Record information received' }).click();
    await officer.getByRole('button', { name: 'Save information' }).click();
    await expect(officer.locator('.govuk-error-summary').textContent()).resolves.toContain('Select what was received');
    await expectNoAxeViolations(officer);
    await officer.getByLabel('Samples of the child’s work').check();
    await officer.getByLabel('Received', { exact: true }).check();
    const today = new Date();
    await officer.locator('#receivedOn-day').fill(String(today.getUTCDate()));
    await officer.locator('#receivedOn-month').fill(String(today.getUTCMonth() + 1));
    await officer.locator('#receivedOn-year').fill(String(today.getUTCFullYear()));
    await officer.getByLabel('Summary').fill('Two worksheets, undated, with little written work.');
    await officer.getByRole('button', { name: 'Save information' }).click();
    await expect(officer.locator('.govuk-notification-banner').textContent()).resolves.toContain('Information recorded');

    await officer.getByRole('button', { name: 'Record a suitability judgement' }).click();
    await expectNoAxeViolations(officer);
    await officer.locator('#efficient-2').check();
    await officer.locator('#fullTime-3').check();
    await officer.locator('#suitableToAgeAbilityAptitude-3').check();
    await officer.getByLabel('Not applicable: no special educational needs').check();
    await officer.getByLabel('Samples of work').check();
    await officer.getByLabel('Your reasons').fill('The samples show little progression and no plan was described.');
    await officer.locator('#outcome-2').check();
    await officer.getByRole('button', { name: 'Save judgement' }).click();
    await expect(officer.locator('#episode-status').textContent()).resolves.toContain('Judgement awaiting moderation');
    await expectNoAxeViolations(officer);

    const manager = await harness.newPage();
    await harness.signIn(manager, 'Casey Wrenfield');
    await manager.goto(`${baseUrl}/home-education`);
    await manager.locator('#moderation + table a').first().click();
    await manager.getByRole('button', { name: 'Moderate the judgement' }).click();
    await expectNoAxeViolations(manager);
    await manager.getByLabel('Yes, it takes effect and the family is told').check();
    await manager.getByRole('button', { name: 'Save moderation' }).click();
    await expect(manager.locator('#episode-status').textContent()).resolves.toContain('Not satisfied');
    await expect(manager.locator('main').textContent()).resolves.toContain('also counts as missing education');

    await officer.reload();
    await officer.getByRole('button', { name: 'Serve a section 437(1) notice' }).click();
    await expectNoAxeViolations(officer);
    await officer.getByLabel('The council’s concerns').fill('The samples do not show an efficient, full-time education.');
    await officer.getByRole('button', { name: 'Serve the notice' }).click();
    await expect(officer.locator('#clocks').textContent()).resolves.toContain('Notice period ends');
    await officer.getByRole('button', { name: 'Serve a notice of intention' }).click();
    await officer.locator('input[name="schoolIds"]').first().check();
    await officer.getByRole('button', { name: 'Serve the notice of intention' }).click();
    await expect(officer.locator('.govuk-error-summary').textContent()).resolves.toMatch(/A notice of intention cannot be served before the notice period ends on \d{1,2} \w+ \d{4}/);
    await expectNoAxeViolations(officer);

    await officer.goto(`${baseUrl}/home-education/episodes/${orderId}`);
    await expectNoAxeViolations(officer);
    await officer.getByRole('button', { name: 'Serve a School Attendance Order' }).click();
    await officer.getByLabel(schoolName).check();
    await officer.getByRole('button', { name: 'Serve the order' }).click();
    await expect(officer.locator('#episode-status').textContent()).resolves.toContain('School Attendance Order served');
    await officer.getByRole('button', { name: 'Record that the order has been complied with' }).click();
    await officer.locator('#startDate-day').fill(String(today.getUTCDate()));
    await officer.locator('#startDate-month').fill(String(today.getUTCMonth() + 1));
    await officer.locator('#startDate-year').fill(String(today.getUTCFullYear()));
    await officer.getByRole('button', { name: 'Save and close the episode' }).click();
    await expect(officer.locator('#episode-status').textContent()).resolves.toContain('Closed');
    await expect(officer.locator('main').textContent()).resolves.toContain('School Attendance Order');
    await expectNoAxeViolations(officer);
  });

  test('an officer considers a request for consent and refuses it with reasons', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, 'Avery Thornbury');
    await page.goto(`${baseUrl}/home-education`);
    await page.getByRole('link', { name: consentChild }).click();
    await expect(page.locator('#consent-status').textContent()).resolves.toContain('Requested');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Start considering the request' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('Child protection plan');
    await page.getByRole('button', { name: 'Save views' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter the parent’s views');
    await expectNoAxeViolations(page);
    await page.getByLabel('The parent’s views').fill('The parent feels the school cannot meet the child’s needs.');
    await page.getByLabel('The child’s views').fill('The child would like to stay with their friends at school.');
    await page.getByLabel('The school’s view').fill('The school sees the child every day and supports the plan.');
    await page.getByLabel('Best-interests analysis').fill('Daily contact at school is a protective factor in the plan.');
    await page.locator('#schoolAttendanceInBestInterests').check();
    await page.getByRole('button', { name: 'Save views' }).click();
    await page.getByLabel('Give consent: the school may take the child off roll').check();
    await page.getByLabel('Reasons').fill('The parent has a plan.');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('The council must refuse consent where attending school is in the child’s best interests');
    await expectNoAxeViolations(page);
    await page.getByLabel('Refuse consent: the child stays on the school’s roll').check();
    await page.getByLabel('Reasons').fill('Attending school is in the child’s best interests while the child protection plan is in place.');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expect(page.locator('#consent-status').textContent()).resolves.toContain('Refused');
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('the parents and the school have been written to');
    await expectNoAxeViolations(page);
  });

  test('no page broke the Content Security Policy', () => {
    expect(harness.cspViolations).toEqual([]);
  });
});
