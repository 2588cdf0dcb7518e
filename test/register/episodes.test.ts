import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { auditLog, cmeEnquiries, domainEvents, enrolments, episodes, schools, users } from '../../src/db/schema/index.ts';
import { DEMO_SCHOOL_URN } from '../../src/seed/demo-accounts.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { deletionReturnFor, pupilOnDemoRoll } from '../support/register.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;

const NOW = new Date('2026-11-25T12:00:00Z');
const LATER = new Date('2026-12-05T12:00:00Z');

const enquiry = (version: number, overrides: Record<string, unknown> = {}) => ({
  version: String(version),
  withWhom: 'Northshire Academy attendance lead',
  method: 'school',
  madeOn: '2026-11-24',
  outcome: 'School has had no contact since October.',
  jointWithSchool: 'yes',
  ...overrides,
});

const movedAway = (version: number, overrides: Record<string, unknown> = {}) => ({
  version: String(version),
  where: 'moved-away',
  councilName: 'Southshire Council',
  laNumber: '931',
  handOverDate: '2026-11-25',
  contact: 'Pat Example, CME team, 01632 960 001',
  ...overrides,
});

describe.each(ENGINES)('children missing education cases on %s', (engine) => {
  let setup: Setup;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;
  const cme = (now = NOW) => contextFor(db(), 'demo-cme-officer', now);

  /** Opens a CME case the way it happens in life: the demo school deletes a pupil under ground i. */
  async function openCmeCase(deletionDate = '2026-11-20') {
    const { school, child } = await pupilOnDemoRoll(db(), { withoutEpisodes: true });
    const result = await services().submitDeletionReturn(await contextFor(db(), 'demo-school-user', NOW), deletionReturnFor(child, { deletionDate }), 'form');
    expect(result.outcome).toBe('cme-case-opened');
    const [episode] = await db().select().from(episodes).where(and(eq(episodes.childId, child.id), eq(episodes.kind, 'cme')));
    return { child, episode: episode!, school };
  }

  beforeAll(async () => {
    // A larger council, so the demo school has a pupil to delete for each case.
    setup = await createTestRuntime(engine, { childCount: 400 });
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('recording an enquiry moves the case to enquiries, with a staff timeline event and an audit row', async () => {
    const { episode, child } = await openCmeCase();
    const ctx = await cme();
    const { episode: updated, enquiry: saved } = await services().recordCmeEnquiry(ctx, episode.id, enquiry(1));
    expect(updated).toMatchObject({ status: 'enquiries', version: 2 });
    expect(saved).toMatchObject({ method: 'school', madeOn: '2026-11-24', jointWithSchool: true, recordedBy: ctx.actor.id });
    const [event] = await db().select().from(domainEvents).where(and(eq(domainEvents.childId, child.id), eq(domainEvents.type, 'cme-case.enquiry-recorded')));
    expect(event).toMatchObject({ visibility: 'staff', aggregateId: episode.id });
    const [audit] = await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    expect(audit).toMatchObject({ action: 'cme-enquiry.record', recordId: episode.id, correlationId: ctx.correlationId });
    // A second enquiry keeps it under enquiry.
    const again = await services().recordCmeEnquiry(ctx, episode.id, enquiry(2, { method: 'phone', withWhom: 'Parent' }));
    expect(again.episode).toMatchObject({ status: 'enquiries', version: 3 });
  });

  test('an enquiry is checked with GOV.UK messages, and cannot be dated in the future', async () => {
    const { episode } = await openCmeCase();
    const ctx = await cme();
    await expect(services().recordCmeEnquiry(ctx, episode.id, { version: '1', withWhom: '', method: 'carrier pigeon', madeOn: '', outcome: '', jointWithSchool: '' })).rejects.toMatchObject({
      code: 'validation',
      fields: {
        withWhom: 'Enter who the enquiry was made with',
        method: 'Select how the enquiry was made',
        madeOn: 'Enter the date the enquiry was made',
        outcome: 'Enter what the enquiry found',
        jointWithSchool: 'Select yes if the enquiry was made jointly with the school',
      },
    });
    await expect(services().recordCmeEnquiry(ctx, episode.id, enquiry(1, { madeOn: '2026-11-26' }))).rejects.toMatchObject({ fields: { madeOn: 'The date must be today or in the past' } });
    await expect(services().recordCmeEnquiry(ctx, episode.id, enquiry(1, { madeOn: '2026-02-30' }))).rejects.toMatchObject({ fields: { madeOn: 'Enter a real date' } });
  });

  test('a change made on a stale version is refused and nothing is written', async () => {
    const { episode } = await openCmeCase();
    const ctx = await cme();
    await services().recordCmeEnquiry(ctx, episode.id, enquiry(1));
    await expect(services().recordCmeEnquiry(ctx, episode.id, enquiry(1))).rejects.toMatchObject({ code: 'stale-version' });
    await expect(services().allocateEpisode(ctx, episode.id, { version: '1', officerId: ctx.actor.id })).rejects.toMatchObject({ code: 'stale-version' });
    expect(await db().select().from(cmeEnquiries).where(eq(cmeEnquiries.episodeId, episode.id))).toHaveLength(1);
  });

  test('marking whereabouts unknown records the escalation to police and social care; it cannot be marked twice', async () => {
    const { episode, child } = await openCmeCase();
    const ctx = await cme();
    const input = { version: '1', policeReferredOn: '2026-11-24', policeReference: 'NP-2026-1234', socialCareReferredOn: '2026-11-25', socialCareReference: 'CSC-778' };
    const updated = await services().markWhereaboutsUnknown(ctx, episode.id, input);
    expect(updated).toMatchObject({
      status: 'whereabouts-unknown',
      version: 2,
      closedOn: null,
      outcome: { escalation: { police: { referredOn: '2026-11-24', reference: 'NP-2026-1234' }, childrensSocialCare: { referredOn: '2026-11-25', reference: 'CSC-778' } } },
    });
    const [event] = await db().select().from(domainEvents).where(and(eq(domainEvents.childId, child.id), eq(domainEvents.type, 'cme-case.whereabouts-unknown')));
    expect(event!.visibility).toBe('staff');
    await expect(services().markWhereaboutsUnknown(ctx, episode.id, { ...input, version: '2' })).rejects.toMatchObject({ code: 'validation', message: 'Whereabouts cannot be marked unknown on a case that is whereabouts unknown.' });
    await expect(services().markWhereaboutsUnknown(ctx, episode.id, { version: '2' })).rejects.toMatchObject({ fields: { policeReferredOn: 'Enter the date the police were told', policeReference: 'Enter the police reference' } });
    // Enquiries can continue after escalation.
    await expect(services().recordCmeEnquiry(ctx, episode.id, enquiry(2))).resolves.toMatchObject({ episode: { status: 'enquiries' } });
  });

  test('found moved to another council: the hand-over is recorded and the case closes; nothing more can happen to it', async () => {
    const { episode } = await openCmeCase();
    const ctx = await cme();
    await expect(services().recordChildLocated(ctx, episode.id, movedAway(1, { laNumber: '93', councilName: '', handOverDate: '', contact: '' }))).rejects.toMatchObject({
      fields: { laNumber: 'Enter a 3-digit local authority number, like 931', councilName: 'Enter the name of the council', handOverDate: 'Enter the date the case was handed over', contact: 'Enter who the case was handed over to' },
    });
    const { episode: closed, eheEpisodeId } = await services().recordChildLocated(ctx, episode.id, movedAway(1));
    expect(eheEpisodeId).toBeNull();
    expect(closed).toMatchObject({
      status: 'located',
      closedOn: '2026-11-25',
      closeReason: 'Located: moved to Southshire Council (LA 931), handed over',
      outcome: { located: { where: 'moved-away', councilName: 'Southshire Council', laNumber: '931', handOverDate: '2026-11-25', contact: 'Pat Example, CME team, 01632 960 001' } },
    });
    await expect(services().recordCmeEnquiry(ctx, episode.id, enquiry(2))).rejects.toMatchObject({ code: 'validation', message: 'An enquiry cannot be recorded on a case that is located.' });
    await expect(services().recordChildLocated(ctx, episode.id, movedAway(2))).rejects.toMatchObject({ code: 'validation' });
    const view = await services().viewEpisode(ctx, episode.id);
    expect(view.availableEvents).toEqual([]);
    expect(view.daysMissing).toBe(5);
  });

  test('found home educated: the case closes and an elective home education episode opens', async () => {
    const { episode, child } = await openCmeCase();
    const ctx = await cme();
    const { episode: closed, eheEpisodeId } = await services().recordChildLocated(ctx, episode.id, { version: '1', where: 'home-educated' });
    expect(closed).toMatchObject({ status: 'located', closedOn: '2026-11-25', closeReason: 'Located: home educated' });
    const [ehe] = await db().select().from(episodes).where(and(eq(episodes.childId, child.id), eq(episodes.kind, 'ehe')));
    expect(ehe).toMatchObject({ id: eheEpisodeId, status: 'notified', openedBy: 'officer', openedOn: '2026-11-25', closedOn: null });
    const types = (await db().select().from(domainEvents).where(eq(domainEvents.childId, child.id))).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['cme-case.located', 'ehe-episode.opened']));
  });

  test('found back at a school needs the school’s name', async () => {
    const { episode } = await openCmeCase();
    const ctx = await cme();
    await expect(services().recordChildLocated(ctx, episode.id, { version: '1', where: 'school' })).rejects.toMatchObject({ fields: { schoolName: 'Enter the name of the school' } });
    await expect(services().recordChildLocated(ctx, episode.id, { version: '1' })).rejects.toMatchObject({ fields: { where: 'Select where the child was found' } });
    const { episode: closed } = await services().recordChildLocated(ctx, episode.id, { version: '1', where: 'school', schoolName: 'Riverside Academy' });
    expect(closed.closeReason).toBe('Located: back at school (Riverside Academy)');
  });

  test('a case is allocated to a council officer only', async () => {
    const { episode } = await openCmeCase();
    const ctx = await cme();
    const [schoolUser] = await db().select().from(users).where(eq(users.subject, 'demo-school-user'));
    await expect(services().allocateEpisode(ctx, episode.id, { version: '1', officerId: schoolUser!.id })).rejects.toMatchObject({ fields: { officerId: 'Select a council officer' } });
    await expect(services().allocateEpisode(ctx, episode.id, { version: '1', officerId: 'nobody' })).rejects.toMatchObject({ fields: { officerId: 'Select an officer' } });
    const updated = await services().allocateEpisode(ctx, episode.id, { version: '1', officerId: ctx.actor.id });
    expect(updated).toMatchObject({ allocatedTo: ctx.actor.id, version: 2 });
    const view = await services().viewEpisode(ctx, episode.id);
    expect(view.allocatedToName).toBe('Rowan Pellow');
  });

  test('the case page: child, school, enquiries, next events, days missing; the read is audited', async () => {
    const { episode, child } = await openCmeCase('2026-11-01');
    const ctx = await cme();
    await services().recordCmeEnquiry(ctx, episode.id, enquiry(1));
    const view = await services().viewEpisode(ctx, episode.id);
    expect(view.child).toMatchObject({ id: child.id, laChildId: child.laChildId });
    expect(view.school?.urn).toBe(DEMO_SCHOOL_URN);
    expect(view.enquiries).toHaveLength(1);
    expect(view.enquiries[0]).toMatchObject({ methodLabel: 'School', recordedByName: 'Rowan Pellow', jointWithSchool: true });
    expect(view.availableEvents.sort()).toEqual(['close-on-admission', 'mark-whereabouts-unknown', 'record-enquiry', 'record-located']);
    expect(view.daysMissing).toBe(24);
    expect(view.jointWithSchool).toBe(true);
    expect(view.allowed.act).toBe(true);
    const [audit] = await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    expect(audit).toMatchObject({ action: 'episode.view', recordId: episode.id, childId: child.id });
    await expect(services().viewEpisode(ctx, '00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ code: 'not-found' });
    await expect(services().viewEpisode(ctx, 'not-a-uuid')).rejects.toMatchObject({ code: 'not-found' });
  });

  test('the register filters by kind, status, school, reason and officer', async () => {
    const a = await openCmeCase();
    const b = await openCmeCase();
    const ctx = await cme();
    await services().recordCmeEnquiry(ctx, b.episode.id, enquiry(1));
    await services().allocateEpisode(ctx, b.episode.id, { version: '2', officerId: ctx.actor.id });
    const ids = async (filter: Record<string, string>) => (await services().listEpisodes(ctx, filter)).items.map((i) => i.id);
    expect(await ids({ kind: 'cme' })).toEqual(expect.arrayContaining([a.episode.id, b.episode.id]));
    expect(await ids({ kind: 'ehe' })).not.toContain(a.episode.id);
    expect(await ids({ status: 'identified' })).toContain(a.episode.id);
    expect(await ids({ status: 'identified' })).not.toContain(b.episode.id);
    expect(await ids({ school: DEMO_SCHOOL_URN })).toEqual(expect.arrayContaining([a.episode.id, b.episode.id]));
    expect(await ids({ school: '000000' })).toEqual([]);
    expect(await ids({ reason: 'i' })).toContain(a.episode.id);
    expect(await ids({ reason: 'h' })).not.toContain(a.episode.id);
    expect(await ids({ officer: ctx.actor.id! })).toContain(b.episode.id);
    expect(await ids({ officer: ctx.actor.id! })).not.toContain(a.episode.id);
    expect(await ids({ officer: 'unallocated' })).toContain(a.episode.id);
    expect(await ids({ officer: 'unallocated' })).not.toContain(b.episode.id);
    const listed = await services().listEpisodes(ctx, { kind: 'cme' });
    const row = listed.items.find((i) => i.id === b.episode.id);
    expect(row).toMatchObject({ schoolUrn: DEMO_SCHOOL_URN, allocatedToName: 'Rowan Pellow', lastEnquiryOn: '2026-11-24', daysMissing: 5 });
    expect(listed.options.schools.map((s) => s.urn)).toContain(DEMO_SCHOOL_URN);
    expect(listed.options.officers.map((o) => o.name)).toContain('Rowan Pellow');
    await expect(services().listEpisodes(ctx, { kind: 'sideways' })).rejects.toMatchObject({ code: 'validation' });
    const [audit] = await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    expect(audit!.action).toBe('episode.list');
  });

  test('worklists: new, unallocated and enquiries overdue', async () => {
    const fresh = await openCmeCase('2026-11-20');
    const old = await openCmeCase('2026-10-01');
    const active = await openCmeCase('2026-11-20');
    await services().recordCmeEnquiry(await cme(new Date('2026-11-28T10:00:00Z')), active.episode.id, enquiry(1, { madeOn: '2026-11-28' }));
    const officer = await cme();
    const worklist = async (name: string, now = NOW) => (await services().listEpisodes(await cme(now), { worklist: name })).items.map((i) => i.id);

    const newCases = await worklist('new');
    expect(newCases).toContain(fresh.episode.id);
    expect(newCases).not.toContain(old.episode.id);
    expect(newCases).not.toContain(active.episode.id);

    await services().allocateEpisode(officer, old.episode.id, { version: '1', officerId: officer.actor.id });
    const unallocated = await worklist('unallocated');
    expect(unallocated).toEqual(expect.arrayContaining([fresh.episode.id, active.episode.id]));
    expect(unallocated).not.toContain(old.episode.id);

    // Ten days on: the untouched case is overdue, the one enquired about on the 28th is not.
    const overdue = await worklist('enquiries-overdue', LATER);
    expect(overdue).toEqual(expect.arrayContaining([fresh.episode.id, old.episode.id]));
    expect(overdue).not.toContain(active.episode.id);
    expect(await worklist('enquiries-overdue', NOW)).not.toContain(fresh.episode.id);
  });

  test('a data officer may read but not act; schools, parents, health and administrators may not see cases; refusals are audited', async () => {
    const { episode } = await openCmeCase();
    const data = await contextFor(db(), 'demo-data-officer', NOW);
    await expect(services().viewEpisode(data, episode.id)).resolves.toMatchObject({ allowed: { act: false } });
    await expect(services().listEpisodes(data, {})).resolves.toBeTruthy();
    await expect(services().recordCmeEnquiry(data, episode.id, enquiry(1))).rejects.toMatchObject({ code: 'forbidden' });
    const [refusal] = await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    expect(refusal).toMatchObject({ action: 'cme-enquiry.record.refused', recordId: episode.id });
    for (const subject of ['demo-school-user', 'demo-parent', 'demo-health-visitor', 'demo-administrator']) {
      const ctx = await contextFor(db(), subject, NOW);
      await expect(services().viewEpisode(ctx, episode.id)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(services().listEpisodes(ctx, {})).rejects.toMatchObject({ code: 'forbidden' });
      await expect(services().markWhereaboutsUnknown(ctx, episode.id, { version: '1', policeReferredOn: '2026-11-24', policeReference: 'X', socialCareReferredOn: '2026-11-24', socialCareReference: 'Y' })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(services().allocateEpisode(ctx, episode.id, { version: '1', officerId: data.actor.id })).rejects.toMatchObject({ code: 'forbidden' });
    }
    for (const subject of ['demo-ehe-officer', 'demo-team-manager', 'demo-mash-worker', 'demo-social-worker']) {
      await expect(services().viewEpisode(await contextFor(db(), subject, NOW), episode.id)).resolves.toMatchObject({ allowed: { act: true } });
    }
    const [row] = await db().select().from(episodes).where(eq(episodes.id, episode.id));
    expect(row).toMatchObject({ status: 'identified', version: 1, allocatedTo: null });
  });

  test('an admission return enrols the child and closes their open CME case and EHE episode, on the timeline for partners', async () => {
    const { episode, child } = await openCmeCase();
    const officer = await cme();
    // Found home educated: one closed CME case, one open EHE episode. Open another CME case beside it.
    const { eheEpisodeId } = await services().recordChildLocated(officer, episode.id, { version: '1', where: 'home-educated' });
    const [second] = await db().insert(episodes).values({ childId: child.id, kind: 'cme', status: 'enquiries', openedOn: '2026-11-22', openedBy: 'officer' }).returning();
    const [other] = await db().select().from(schools).where(sql`${schools.urn} <> ${DEMO_SCHOOL_URN}`).limit(1);

    const school = await contextFor(db(), 'demo-school-user', NOW);
    await expect(services().recordAdmission(school, { childId: child.id, schoolUrn: other!.urn, startDate: '2026-11-24' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(services().recordAdmission(await contextFor(db(), 'demo-parent', NOW), { childId: child.id, startDate: '2026-11-24' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(services().recordAdmission(school, { childId: child.id, startDate: '2026-11-30' })).rejects.toMatchObject({ fields: { startDate: 'The start date must be today or in the past' } });
    await expect(services().recordAdmission(officer, { childId: child.id, startDate: '2026-11-24' })).rejects.toMatchObject({ fields: { schoolUrn: 'Enter the school’s URN' } });

    const result = await services().recordAdmission(school, { childId: child.id, startDate: '2026-11-24' });
    expect(result.enrolled).toBe(true);
    expect(result.closedEpisodeIds.sort()).toEqual([eheEpisodeId, second!.id].sort());
    const rows = await db().select().from(episodes).where(eq(episodes.childId, child.id));
    // Each closes when the child started, unless (like the EHE episode, opened on the 25th) it opened later.
    expect(rows.find((r) => r.id === second!.id)).toMatchObject({ status: 'closed', closedOn: '2026-11-24', closeReason: expect.stringMatching(/^Admitted to /) });
    expect(rows.find((r) => r.id === eheEpisodeId)).toMatchObject({ status: 'closed', closedOn: '2026-11-25', closeReason: expect.stringMatching(/^Admitted to /) });
    const [demoSchool] = await db().select().from(schools).where(eq(schools.urn, DEMO_SCHOOL_URN));
    const [enrolment] = await db().select().from(enrolments).where(and(eq(enrolments.childId, child.id), eq(enrolments.schoolId, demoSchool!.id), isNull(enrolments.endDate)));
    expect(enrolment).toMatchObject({ id: result.enrolmentId, startDate: '2026-11-24' });
    const events = await db().select().from(domainEvents).where(eq(domainEvents.childId, child.id));
    const closures = events.filter((e) => e.type === 'cme-case.closed' || e.type === 'ehe-episode.closed' || e.type === 'admission-return.received');
    expect(closures).toHaveLength(3);
    expect(closures.every((e) => e.visibility === 'partners')).toBe(true);
    expect(closures.find((e) => e.type === 'cme-case.closed')!.summary).toBe(`Child missing education case closed: admitted to ${demoSchool!.name}`);

    // Sent again, nothing more happens.
    await expect(services().recordAdmission(school, { childId: child.id, startDate: '2026-11-24' })).resolves.toMatchObject({ enrolled: false, closedEpisodeIds: [] });
  });
});
