import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { auditLog, children, enrolments, episodes, referrals } from '../../src/db/schema/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';

const referral = (overrides: Record<string, unknown> = {}) => ({
  referrerType: 'third-sector',
  referrerName: 'Marlowe Ashdown',
  referrerOrganisation: 'Northshire Family Link',
  childFirstName: 'Tamsin',
  childLastName: 'Quillfeather',
  childDateOfBirth: '2014-06-02',
  addressLine1: '12 Ferry Road',
  town: 'Brackenthwaite',
  postcode: 'NZ5 1FR',
  details: 'The family say the child stopped going to school last term.',
  ...overrides,
});

describe.each(ENGINES)('referrals that wait for an officer, and notifications from council systems, on %s', (engine) => {
  let setup: Awaited<ReturnType<typeof createTestRuntime>>;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;

  /** A child with no episode and no open enrolment: someone a referral can be about. */
  const childOffRoll = async (offset = 0) => {
    const [row] = await db()
      .select()
      .from(children)
      .where(sql`not exists (select 1 from episodes e where e.child_id = ${children.id}) and not exists (select 1 from enrolments n where n.child_id = ${children.id} and n.end_date is null)`)
      .orderBy(children.laChildId)
      .limit(1)
      .offset(offset);
    return row!;
  };

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('a referral that looks like a known child at another postcode waits; an officer matches it and a missing-education case opens', async () => {
    const known = await childOffRoll(0);
    const hv = await contextFor(db(), 'demo-health-visitor');
    const sent = await services().referChildNotInSchool(hv, referral({ childFirstName: known.firstName, childLastName: known.lastName, childDateOfBirth: known.dateOfBirth }));
    expect(sent).toMatchObject({ childId: null, outcome: 'awaiting-match' });

    const officer = await contextFor(db(), 'demo-cme-officer');
    const waiting = await services().listReferrals(officer, { status: 'awaiting-match' });
    expect(waiting.map((r) => r.id)).toContain(sent.referralId);
    const view = await services().viewReferral(officer, sent.referralId);
    expect(view.canMatch).toBe(true);
    // The engine is sure of the name and date of birth, but a different postcode keeps it for an officer.
    expect(view.candidates[0]).toMatchObject({ childId: known.id, reasons: expect.arrayContaining(['Same date of birth', 'Same last name', 'Same first name']) });
    expect(view.candidates[0]!.reasons).not.toContain('Same postcode');
    expect(view.candidates[0]!.score).toBeGreaterThanOrEqual(85);
    expect(view.candidates[0]!.evidence?.steps.map((s) => `${s.comparison}: ${s.level}`)).toEqual(expect.arrayContaining(['Date of birth: same date', 'Name: full name exact']));

    const matched = await services().matchReferral(officer, sent.referralId, { childId: known.id });
    expect(matched).toEqual({ childId: known.id, created: false, outcome: 'cme-case-opened' });
    const [episode] = await db().select().from(episodes).where(eq(episodes.childId, known.id));
    expect(episode).toMatchObject({ kind: 'cme', openedBy: 'partner-referral', sourceId: sent.referralId, reason: 'referral' });
    const [saved] = await db().select().from(referrals).where(eq(referrals.id, sent.referralId));
    expect(saved).toMatchObject({ status: 'processed', childId: known.id });
    const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.action, 'referral.match'), eq(auditLog.recordId, sent.referralId)));
    expect(audit?.childId).toBe(known.id);

    await expect(services().matchReferral(officer, sent.referralId, { create: true })).rejects.toMatchObject({ code: 'stale-version' });
  });

  test('an officer can add a new child from a waiting referral instead', async () => {
    const known = await childOffRoll(1);
    const sent = await services().referChildNotInSchool(await contextFor(db(), 'demo-mash-worker'), referral({ childFirstName: known.firstName, childLastName: known.lastName, childDateOfBirth: known.dateOfBirth, postcode: 'NZ7 7AB' }));
    expect(sent.outcome).toBe('awaiting-match');
    const result = await services().matchReferral(await contextFor(db(), 'demo-ehe-officer'), sent.referralId, { create: true });
    expect(result).toMatchObject({ created: true, outcome: 'cme-case-opened' });
    expect(result.childId).not.toBe(known.id);
    const [child] = await db().select().from(children).where(eq(children.id, result.childId));
    expect(child).toMatchObject({ firstName: known.firstName, postcode: 'NZ7 7AB', postcodeKey: 'NZ77AB' });
  });

  test('matching is for officers, needs a choice, and refuses a child who does not exist', async () => {
    const known = await childOffRoll(2);
    const sent = await services().referChildNotInSchool(await contextFor(db(), 'demo-health-visitor'), referral({ childFirstName: known.firstName, childLastName: known.lastName, childDateOfBirth: known.dateOfBirth }));
    for (const subject of ['demo-health-visitor', 'demo-school-user', 'demo-parent', 'demo-social-worker']) {
      await expect(services().matchReferral(await contextFor(db(), subject), sent.referralId, { create: true })).rejects.toMatchObject({ code: 'forbidden' });
    }
    await expect(services().listReferrals(await contextFor(db(), 'demo-school-user'))).rejects.toMatchObject({ code: 'forbidden' });
    const officer = await contextFor(db(), 'demo-cme-officer');
    await expect(services().matchReferral(officer, sent.referralId, {})).rejects.toMatchObject({ code: 'validation' });
    await expect(services().matchReferral(officer, sent.referralId, { childId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
      code: 'validation',
      fields: { childId: 'Select the child this referral is about, or add a new child' },
    });
    await expect(services().viewReferral(officer, 'not-an-id')).rejects.toMatchObject({ code: 'not-found' });
    const [saved] = await db().select().from(referrals).where(eq(referrals.id, sent.referralId));
    expect(saved!.status).toBe('awaiting-match');
  });

  test('a notification of home education from a council system links a known child off roll and opens a home education episode', async () => {
    const known = await childOffRoll(3);
    const system = await contextFor(db(), 'demo-ehe-officer');
    const notification = {
      parentName: 'Rory Lindqvist',
      childFirstName: known.firstName,
      childLastName: known.lastName,
      childDateOfBirth: known.dateOfBirth,
      addressLine1: known.addressLine1,
      town: known.town,
      postcode: known.postcode,
      homeEducationFrom: '2026-11-02',
      eheReason: 'philosophical',
    };
    const result = await services().receiveHomeEducationNotification(system, notification);
    expect(result).toMatchObject({ childId: known.id, outcome: 'ehe-episode-opened' });
    const [episode] = await db().select().from(episodes).where(eq(episodes.childId, known.id));
    expect(episode).toMatchObject({ kind: 'ehe', openedOn: '2026-11-02', openedBy: 'parent-notification', reason: 'philosophical' });

    const unknown = await services().receiveHomeEducationNotification(system, { ...notification, childFirstName: 'Idris', childLastName: 'Penhallow', childDateOfBirth: '2013-01-09' });
    expect(unknown.outcome).toBe('ehe-episode-opened');
    const [added] = await db().select().from(children).where(eq(children.id, unknown.childId!));
    expect(added).toMatchObject({ firstName: 'Idris', lastName: 'Penhallow' });

    await expect(services().receiveHomeEducationNotification(system, { ...notification, homeEducationFrom: '2026-02-30', parentName: '' })).rejects.toMatchObject({ code: 'validation', fields: { parentName: 'Enter the parent’s name' } });
    for (const subject of ['demo-parent', 'demo-school-user', 'demo-health-visitor']) {
      await expect(services().receiveHomeEducationNotification(await contextFor(db(), subject), notification)).rejects.toMatchObject({ code: 'forbidden' });
    }
  });

  test('a notification about a child on a school roll is recorded; the child stays on roll', async () => {
    const [pupil] = await db()
      .select({ child: children })
      .from(enrolments)
      .innerJoin(children, eq(children.id, enrolments.childId))
      .where(and(isNull(enrolments.endDate), sql`not exists (select 1 from episodes e where e.child_id = ${children.id})`))
      .orderBy(children.laChildId)
      .limit(1)
      .offset(20);
    const c = pupil!.child;
    const result = await services().receiveHomeEducationNotification(await contextFor(db(), 'demo-data-officer'), {
      parentName: 'Sol Abernethy',
      childFirstName: c.firstName,
      childLastName: c.lastName,
      childDateOfBirth: c.dateOfBirth,
      addressLine1: c.addressLine1,
      town: c.town,
      postcode: c.postcode,
      homeEducationFrom: '2026-12-01',
    });
    expect(result).toMatchObject({ childId: c.id, outcome: 'recorded' });
    expect(await db().select().from(episodes).where(eq(episodes.childId, c.id))).toHaveLength(0);
  });
});
