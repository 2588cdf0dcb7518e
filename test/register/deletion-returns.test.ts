import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { auditLog, children, deletionReturns, domainEvents, enrolments, episodes, schools } from '../../src/db/schema/index.ts';
import { DEMO_SCHOOL_URN } from '../../src/seed/demo-accounts.ts';
import { episodeForGround } from '../../src/domain/register/deletion-returns.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { deletionReturnFor, pupilOnDemoRoll as pupilOnRoll } from '../support/register.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;

describe('which episode a deletion ground opens', () => {
  test.each([
    ['f', null, null, 'ehe'],
    ['h', null, null, 'cme'],
    ['i', 'Somewhere Academy', null, 'cme'],
    ['g', null, null, 'cme'],
    ['g', null, '1 New Road, Leeds', null],
    ['g', 'Other School', null, null],
    ['a', 'Other School', null, null],
    ['k', null, null, null],
  ] as const)('ground %s, destination %s, future address %s → %s', (ground, destinationSchool, futureAddress, expected) => {
    expect(episodeForGround({ ground, destinationSchool, futureAddress })).toBe(expected);
  });
});

describe.each(ENGINES)('school deletion returns on %s', (engine) => {
  let setup: Setup;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;

  const pupilOnDemoRoll = (offset = 0) => pupilOnRoll(db(), { offset });

  const returnFor = (child: typeof children.$inferSelect, overrides: Record<string, unknown> = {}) =>
    deletionReturnFor(child, { parentPostcode: child.postcode.toLowerCase(), ground: 'f', eheReason: 'dissatisfied-bullying', ...overrides });

  let firstPupil: typeof children.$inferSelect;

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('ground f from the school ends the enrolment and opens a home education episode, on the timeline', async () => {
    const { school, child } = await pupilOnDemoRoll(0);
    firstPupil = child;
    const ctx = await contextFor(db(), 'demo-school-user');
    const result = await services().submitDeletionReturn(ctx, returnFor(child), 'form');
    expect(result).toMatchObject({ childId: child.id, outcome: 'ehe-episode-opened', duplicate: false });
    const [enrolment] = await db().select().from(enrolments).where(and(eq(enrolments.childId, child.id), eq(enrolments.schoolId, school.id)));
    expect(enrolment).toMatchObject({ endDate: '2026-11-20', deletionGround: 'f' });
    const [episode] = await db().select().from(episodes).where(eq(episodes.childId, child.id));
    expect(episode).toMatchObject({ kind: 'ehe', status: 'notified', openedBy: 'deletion-return', reason: 'dissatisfied-bullying', sourceId: result.returnId });
    const events = await db().select().from(domainEvents).where(eq(domainEvents.childId, child.id)).orderBy(desc(domainEvents.id)).limit(2);
    expect(events.map((e) => e.type).sort()).toEqual(['deletion-return.received', 'ehe-episode.opened']);
    const [saved] = await db().select().from(deletionReturns).where(eq(deletionReturns.id, result.returnId));
    expect(saved).toMatchObject({ parentPostcode: child.postcode, status: 'processed', source: 'form' });
  });

  test('sending the same return again changes nothing', async () => {
    const child = firstPupil;
    const ctx = await contextFor(db(), 'demo-school-user');
    const before = (await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1))[0]!.seq;
    const again = await services().submitDeletionReturn(ctx, returnFor(child), 'api');
    expect(again).toMatchObject({ childId: child.id, outcome: 'ehe-episode-opened', duplicate: true });
    expect(await db().select().from(deletionReturns).where(eq(deletionReturns.childId, child.id))).toHaveLength(1);
    expect(await db().select().from(episodes).where(eq(episodes.childId, child.id))).toHaveLength(1);
    expect((await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1))[0]!.seq).toBe(before);
  });

  test('grounds h and i open a missing-education case', async () => {
    const { child } = await pupilOnDemoRoll(1);
    const ctx = await contextFor(db(), 'demo-school-user');
    const result = await services().submitDeletionReturn(ctx, returnFor(child, { ground: 'i', eheReason: '' }), 'form');
    expect(result.outcome).toBe('cme-case-opened');
    const [episode] = await db().select().from(episodes).where(eq(episodes.childId, child.id));
    expect(episode).toMatchObject({ kind: 'cme', status: 'identified', reason: 'i' });
  });

  test('safeguarding concerns need the date and what was documented, and show on the timeline', async () => {
    const { child } = await pupilOnDemoRoll(2);
    const ctx = await contextFor(db(), 'demo-school-user');
    await expect(services().submitDeletionReturn(ctx, returnFor(child, { safeguardingConcerns: 'yes' }), 'form')).rejects.toMatchObject({
      code: 'validation',
      fields: { concernsDocumentedOn: 'Enter the date the concerns were documented', concernsDetail: 'Enter what the school documented' },
    });
    const result = await services().submitDeletionReturn(ctx, returnFor(child, { safeguardingConcerns: 'yes', concernsDocumentedOn: '2026-06-01', concernsDetail: 'Recorded on the safeguarding log after a disclosure.' }), 'form');
    const [event] = await db().select().from(domainEvents).where(and(eq(domainEvents.childId, child.id), eq(domainEvents.type, 'deletion-return.received')));
    expect(event!.summary).toContain('had documented safeguarding concerns');
    expect(result.outcome).toBe('ehe-episode-opened');
  });

  test('each identifier and field is checked with its GOV.UK message', async () => {
    const { child } = await pupilOnDemoRoll(3);
    const ctx = await contextFor(db(), 'demo-school-user');
    await expect(
      services().submitDeletionReturn(ctx, returnFor(child, { upn: 'A999000000000', parentPostcode: 'not a postcode', emergencyPhone: '12', ground: 'z', pupilDateOfBirth: '2015-02-30' }), 'form'),
    ).rejects.toMatchObject({
      code: 'validation',
      fields: {
        upn: 'Enter a real UPN: 13 characters, like A999212345678, with a correct check letter',
        parentPostcode: 'Enter a real postcode, like NZ1 2AB',
        emergencyPhone: 'Enter a telephone number, like 01632 960 001 or 07700 900 982',
        ground: 'Select the ground for deletion',
        pupilDateOfBirth: 'Enter a real date',
      },
    });
    await expect(services().submitDeletionReturn(ctx, returnFor(child, { ground: 'a', eheReason: 'religious' }), 'form')).rejects.toMatchObject({ fields: { eheReason: 'Only give a reason for home education for ground f' } });
  });

  test('a school sends returns only for its own roll; parents and partners not at all', async () => {
    const { child } = await pupilOnDemoRoll(3);
    const [other] = await db().select().from(schools).where(sql`${schools.urn} <> ${DEMO_SCHOOL_URN}`).limit(1);
    const school = await contextFor(db(), 'demo-school-user');
    await expect(services().submitDeletionReturn(school, returnFor(child, { schoolUrn: other!.urn }), 'api')).rejects.toMatchObject({ code: 'forbidden' });
    for (const subject of ['demo-parent', 'demo-health-visitor', 'demo-administrator']) {
      await expect(services().submitDeletionReturn(await contextFor(db(), subject), returnFor(child, { schoolUrn: DEMO_SCHOOL_URN }), 'api')).rejects.toMatchObject({ code: 'forbidden' });
    }
    const officer = await contextFor(db(), 'demo-ehe-officer');
    await expect(services().submitDeletionReturn(officer, returnFor(child), 'api')).rejects.toMatchObject({ code: 'validation', fields: { schoolUrn: 'Enter the school’s URN' } });
  });

  test('a pupil Cairn cannot be sure of waits for an officer to match, and nothing else changes', async () => {
    const ctx = await contextFor(db(), 'demo-school-user');
    const result = await services().submitDeletionReturn(
      ctx,
      { ...returnFor({ firstName: 'Unlisted', lastName: 'Pupil', dateOfBirth: '2014-05-05', upn: null, addressLine1: '1 Test Row', town: 'Brackenthwaite', postcode: 'NZ1 1AA' } as typeof children.$inferSelect), upn: '' },
      'form',
    );
    expect(result).toMatchObject({ childId: null, outcome: 'awaiting-match', duplicate: false });
    const [saved] = await db().select().from(deletionReturns).where(eq(deletionReturns.id, result.returnId));
    expect(saved!.status).toBe('awaiting-match');
    const list = await services().listDeletionReturns(await contextFor(db(), 'demo-cme-officer'), { status: 'awaiting-match' });
    expect(list.map((r) => r.r.id)).toContain(result.returnId);
  });

  test('ground f from a special school is held for the council’s consent and the pupil stays on roll', async () => {
    const [special] = await db().select().from(schools).where(eq(schools.type, 'special')).limit(1);
    const [pupil] = await db()
      .select({ child: children })
      .from(enrolments)
      .innerJoin(children, eq(children.id, enrolments.childId))
      .where(and(eq(enrolments.schoolId, special!.id), isNull(enrolments.endDate)))
      .limit(1);
    if (!pupil) return; // the seed guarantees special-school pupils only at larger sizes
    const officer = await contextFor(db(), 'demo-ehe-officer');
    const result = await services().submitDeletionReturn(officer, returnFor(pupil.child, { schoolUrn: special!.urn }), 'api');
    expect(result.outcome).toBe('held-for-consent');
    const [enrolment] = await db().select().from(enrolments).where(and(eq(enrolments.childId, pupil.child.id), eq(enrolments.schoolId, special!.id)));
    expect(enrolment!.endDate).toBeNull();
    expect(await db().select().from(episodes).where(eq(episodes.childId, pupil.child.id))).toHaveLength(0);
  });
});
