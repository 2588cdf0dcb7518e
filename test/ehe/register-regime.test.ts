import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { councils, eheSteps, episodes, letters } from '../../src/db/schema/index.ts';
import { isCompulsorySchoolAge } from '../../src/domain/ehe/register-regime.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;
const on = (day: string) => new Date(`${day}T12:00:00Z`);

describe('compulsory school age', () => {
  test.each([
    ['2021-11-22', '2026-11-22', true], // fifth birthday today
    ['2021-11-23', '2026-11-22', false], // not yet five
    ['2010-08-31', '2026-06-26', true], // turns 16 in the 2025/26 school year: until the last Friday of June 2026
    ['2010-08-31', '2026-06-27', false],
    ['2010-09-01', '2026-06-27', true], // a September birthday turns 16 in the next school year
  ] as const)('born %s, on %s → %s', (dob, today, expected) => {
    expect(isCompulsorySchoolAge(dob, today)).toBe(expected);
  });
});

describe.each(ENGINES)('the 2026 children-not-in-school register on %s', (engine) => {
  let setup: Setup;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;
  const officer = (day = '2027-09-01') => contextFor(db(), 'demo-ehe-officer', on(day));
  let original: unknown;

  const setRegime = async (enabled: boolean, commencesOn: string | null) => {
    const [council] = await db().select().from(councils).limit(1);
    await db()
      .update(councils)
      .set({ settings: { ...(council!.settings as Record<string, unknown>), registerRegime: { enabled, commencesOn } } })
      .where(eq(councils.id, council!.id));
  };

  /** An open home education episode for a child of compulsory school age on 1 September 2027. */
  const episodeOfSchoolAge = async (registered = false) => {
    const [row] = await db()
      .select({ e: episodes })
      .from(episodes)
      .innerJoin(sql`children c`, sql`c.id = ${episodes.childId}`)
      .where(
        and(
          eq(episodes.kind, 'ehe'),
          sql`${episodes.closedOn} is null`,
          sql`c.date_of_birth between '2013-01-01' and '2020-01-01'`,
          sql`exists (select 1 from child_adults ca where ca.child_id = ${episodes.childId} and ca.parental_responsibility)`,
          sql`not exists (select 1 from enrolments n where n.child_id = ${episodes.childId} and n.end_date is null)`,
          registered
            ? sql`exists (select 1 from ehe_steps s where s.episode_id = ${episodes.id} and s.kind = 'registration') and not exists (select 1 from ehe_steps s where s.episode_id = ${episodes.id} and s.kind = 'provider-update-request') and ${episodes.status} = 'notified'`
            : sql`not exists (select 1 from ehe_steps s where s.episode_id = ${episodes.id})`,
        ),
      )
      .limit(1);
    return row!.e;
  };

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
    const [council] = await db().select().from(councils).limit(1);
    original = council!.settings;
  });
  afterAll(async () => {
    const [council] = await db().select().from(councils).limit(1);
    await db().update(councils).set({ settings: original as Record<string, unknown> }).where(eq(councils.id, council!.id));
    await setup?.close();
  });

  test('with the regime off, or before it commences, registration is refused and today’s law runs', async () => {
    const e = await episodeOfSchoolAge();
    await setRegime(false, '2027-09-01');
    await expect(services().registerChild(await officer(), e.id)).rejects.toMatchObject({ message: expect.stringContaining('not in force for this council') });
    await setRegime(true, '2027-09-02');
    await expect(services().registerEligibleChildren(await officer('2027-09-01'))).rejects.toMatchObject({ code: 'validation' });
    const view = await services().viewEheEpisode(await officer(), e.id);
    expect(view.register.inForce).toBe(false);
  });

  test('when it commences, eligible children are registered with the Act’s items and the home consideration is due within 15 days', async () => {
    await setRegime(true, '2027-09-01');
    const e = await episodeOfSchoolAge();
    const result = await services().registerEligibleChildren(await officer());
    expect(result.registered).toBeGreaterThan(0);
    const steps = await db().select().from(eheSteps).where(eq(eheSteps.episodeId, e.id));
    const registration = steps.find((s) => s.kind === 'registration')!;
    expect((registration.details as { items: { child: { name: string } } }).items.child.name).toBeTruthy();
    expect(steps.find((s) => s.kind === 'home-consideration')).toMatchObject({ status: 'open', dueOn: '2027-09-16' });
    const again = await services().registerEligibleChildren(await officer());
    expect(again.registered).toBe(0);
    await services().recordHomeConsidered(await officer('2027-09-10'), e.id, { notes: 'Discussed the learning space at a meeting in the library.', visitAsked: 'no' });
    const view = await services().viewEheEpisode(await officer('2027-09-10'), e.id);
    expect(view.register.state).toBe('active');
  });

  test('provider details are requested no more often than the interval; an unanswered request allows a preliminary notice', async () => {
    await setRegime(true, '2027-09-01');
    const e = await episodeOfSchoolAge(true);
    await expect(services().registerChild(await officer(), e.id)).rejects.toMatchObject({ message: 'The child cannot be registered: already registered.' });
    await db().update(eheSteps).set({ status: 'done' }).where(and(eq(eheSteps.episodeId, e.id), eq(eheSteps.kind, 'register-items-request')));
    await expect(services().servePreliminaryNotice(await officer(), e.id, { version: e.version, reasons: 'x' })).rejects.toMatchObject({
      message: 'A preliminary notice can only be served when the parent has not registered the child or updated provider details by the date asked.',
    });
    const requested = await services().requestProviderUpdate(await officer('2027-09-01'), e.id);
    expect(requested.replyBy).toBe('2027-09-22');
    expect(await db().select().from(letters).where(and(eq(letters.episodeId, e.id), eq(letters.templateKey, 'provider-update-request')))).not.toHaveLength(0);
    await expect(services().requestProviderUpdate(await officer('2027-10-15'), e.id)).rejects.toMatchObject({
      message: 'Provider details were last requested on 1 September 2027. They can next be requested on 1 December 2027.',
    });
    const [fresh] = await db().select().from(episodes).where(eq(episodes.id, e.id));
    const served = await services().servePreliminaryNotice(await officer('2027-09-23'), e.id, { version: fresh!.version, reasons: 'No provider details were sent by 22 September 2027.' });
    expect(served.status).toBe('preliminary-notice-served');
    const [notice] = await db().select().from(eheSteps).where(and(eq(eheSteps.episodeId, e.id), eq(eheSteps.kind, 'preliminary-notice')));
    expect(notice).toMatchObject({ status: 'open', dueOn: '2027-10-08' });
    const s437 = await services().serveS437Notice(await officer('2027-10-11'), e.id, { version: served.version, concerns: 'No provider details after the preliminary notice.' });
    expect(s437.episode.status).toBe('s437-notice-served');
  });
});
