import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { adults, childAdults, children, enrolments, episodes, referrals } from '../../src/db/schema/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';

const referral = (overrides: Record<string, unknown> = {}) => ({
  referrerType: 'health-visitor',
  referrerName: 'Emerson Tolleshunt',
  referrerOrganisation: 'Northshire Community Health',
  childFirstName: 'Wren',
  childLastName: 'Okonjo-Hale',
  childDateOfBirth: '2016-03-14',
  addressLine1: '4 Mill Lane',
  town: 'Brackenthwaite',
  postcode: 'nz3 4ml',
  details: 'Family moved into the area in the summer; the child is not at any school the family could name.',
  ...overrides,
});

describe.each(ENGINES)('referrals and parents’ notifications on %s', (engine) => {
  let setup: Awaited<ReturnType<typeof createTestRuntime>>;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('a referral of a child unknown to the register adds them and opens a missing-education case', async () => {
    const ctx = await contextFor(db(), 'demo-health-visitor');
    const result = await services().referChildNotInSchool(ctx, referral());
    expect(result.outcome).toBe('cme-case-opened');
    const [child] = await db().select().from(children).where(eq(children.id, result.childId!));
    expect(child).toMatchObject({ firstName: 'Wren', postcode: 'NZ3 4ML', postcodeKey: 'NZ34ML' });
    expect(child!.laChildId).toMatch(/^NS\d{6}$/);
    const [episode] = await db().select().from(episodes).where(eq(episodes.childId, child!.id));
    expect(episode).toMatchObject({ kind: 'cme', status: 'identified', openedBy: 'partner-referral', reason: 'unknown-child' });
  });

  test('a referral of a child on a school roll is recorded without opening a case', async () => {
    const [pupil] = await db()
      .select({ child: children })
      .from(enrolments)
      .innerJoin(children, eq(children.id, enrolments.childId))
      .where(and(isNull(enrolments.endDate), sql`not exists (select 1 from episodes e where e.child_id = ${children.id})`))
      .limit(1);
    const c = pupil!.child;
    const result = await services().referChildNotInSchool(await contextFor(db(), 'demo-mash-worker'), referral({ referrerType: 'police', childFirstName: c.firstName, childLastName: c.lastName, childDateOfBirth: c.dateOfBirth, postcode: c.postcode }));
    expect(result).toMatchObject({ childId: c.id, outcome: 'recorded' });
    expect(await db().select().from(episodes).where(eq(episodes.childId, c.id))).toHaveLength(0);
  });

  test('referrals are validated and only partners and council staff may make them', async () => {
    await expect(services().referChildNotInSchool(await contextFor(db(), 'demo-health-visitor'), referral({ postcode: 'nowhere', referrerType: 'neighbour', details: '' }))).rejects.toMatchObject({
      code: 'validation',
      fields: { postcode: 'Enter a real postcode, like NZ1 2AB', referrerType: 'Select who is making the referral', details: 'Enter why you think the child is not in school' },
    });
    for (const subject of ['demo-parent', 'demo-school-user', 'demo-administrator']) {
      await expect(services().referChildNotInSchool(await contextFor(db(), subject), referral())).rejects.toMatchObject({ code: 'forbidden' });
    }
  });

  test('a parent notifies home education for their own child only', async () => {
    const ctx = await contextFor(db(), 'demo-parent');
    const mine = await services().listMyChildren(ctx);
    const onRoll = [];
    for (const child of mine) {
      const open = await db().select().from(enrolments).where(and(eq(enrolments.childId, child.id), isNull(enrolments.endDate)));
      if (open.length) onRoll.push(child.id);
    }
    const rolled = onRoll[0]!;
    const result = await services().notifyHomeEducation(ctx, { childId: rolled, homeEducationFrom: '2026-12-01', eheReason: 'philosophical' });
    expect(result.outcome).toBe('recorded');
    const [saved] = await db().select().from(referrals).where(eq(referrals.id, result.referralId));
    expect(saved).toMatchObject({ kind: 'parent-notification', referrerType: 'parent', homeEducationFrom: '2026-12-01', eheReason: 'philosophical' });

    const [someoneElses] = await db()
      .select({ id: children.id })
      .from(children)
      .where(sql`not exists (select 1 from ${childAdults} ca join ${adults} a on a.id = ca.adult_id where ca.child_id = ${children.id} and a.user_id = ${ctx.actor.id})`)
      .limit(1);
    await expect(services().notifyHomeEducation(ctx, { childId: someoneElses!.id, homeEducationFrom: '2026-12-01' })).rejects.toMatchObject({ code: 'validation', fields: { childId: 'Select the child you are telling us about' } });
    await expect(services().notifyHomeEducation(await contextFor(db(), 'demo-ehe-officer'), { childId: rolled, homeEducationFrom: '2026-12-01' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
