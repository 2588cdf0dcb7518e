import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { children } from '../../src/db/schema/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { sessionFor } from '../support/sessions.ts';
import { presentCandidates, percent } from '../../src/web/match-evidence.ts';

describe('how a candidate’s evidence is shown', () => {
  test('probabilities read as percentages and each comparison is for or against', () => {
    expect(percent(0.97)).toBe('97%');
    expect(percent(0.0123)).toBe('1.2%');
    expect(percent(0.99999)).toBe('over 99.9%');
    const { items, evidence } = presentCandidates(
      [
        {
          childId: 'c1',
          name: 'Ada Brannock',
          dateOfBirth: '2015-04-01',
          postcode: 'NZ1 1AA',
          score: 93,
          probability: 0.93,
          reasons: ['Same date of birth'],
          evidence: { startingPoint: 'How often two records are the same child', priorWeight: -12, matchWeight: 3.7, probability: 0.93, steps: [{ comparison: 'Name', level: 'different', incoming: 'Ada Brannock', register: 'Eve Brannock', weight: -6.5 }] },
        },
      ],
      'referral',
    );
    expect(items[0]!.hint.text).toBe('Match probability 93%: Same date of birth');
    expect(evidence[0]!.rows[1]!.map((c) => c.text)).toEqual(['Name: different', 'Ada Brannock', 'Eve Brannock', 'Strongly against', '−6.5']);
  });
});

describe.each(ENGINES)('an officer sees why Cairn suggests a child, on %s', (engine) => {
  let t: TestApp;
  const db = () => t.runtime.database.db;

  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => {
    await t?.close();
  });

  test('a waiting referral shows each candidate with its waterfall', async () => {
    const [known] = await db()
      .select()
      .from(children)
      .where(sql`not exists (select 1 from episodes e where e.child_id = ${children.id}) and not exists (select 1 from enrolments n where n.child_id = ${children.id} and n.end_date is null)`)
      .orderBy(children.laChildId)
      .limit(1);
    const sent = await t.runtime.services.referChildNotInSchool(await contextFor(db(), 'demo-health-visitor'), {
      referrerType: 'third-sector',
      referrerName: 'Marlowe Ashdown',
      referrerOrganisation: 'Northshire Family Link',
      childFirstName: known!.firstName,
      childLastName: known!.lastName,
      childDateOfBirth: known!.dateOfBirth,
      addressLine1: '12 Ferry Road',
      town: 'Brackenthwaite',
      postcode: 'NZ5 1FR',
      details: 'The family say the child stopped going to school last term.',
    });
    expect(sent.outcome).toBe('awaiting-match');
    const officer = await sessionFor(db(), 'demo-cme-officer');
    const page = await t.app.inject({ url: `/referrals/${sent.referralId}`, headers: { cookie: officer.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('How Cairn compared the records');
    expect(page.body).toContain(`Why Cairn suggests ${known!.firstName} ${known!.lastName}`);
    expect(page.body).toContain('Date of birth: same date');
    expect(page.body).toContain('Match probability');
  });
});
