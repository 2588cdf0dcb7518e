import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, councils, eheSteps, enrolments, episodes, letters, notifications, schools, suitabilityJudgements, users } from '../../src/db/schema/index.ts';
import { sendHomeEducationDigests } from '../../src/jobs/handlers.ts';
import { createOutboxNotifier } from '../../src/notify/notifier.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;

/** Noon in England on a day, so "today" is that day whatever the clock change. */
const on = (day: string) => new Date(`${day}T12:00:00Z`);

const judgement = (version: number, overrides: Record<string, unknown> = {}) => ({
  version,
  efficient: 'yes',
  fullTime: 'yes',
  suitableToAgeAbilityAptitude: 'yes',
  suitableToSen: 'not-applicable',
  evidence: ['written-report', 'samples-of-work'],
  reasoning: 'The report and samples show a broad, structured curriculum suited to the child.',
  outcome: 'suitable',
  ...overrides,
});

const negative = (version: number, overrides: Record<string, unknown> = {}) =>
  judgement(version, { efficient: 'no', fullTime: 'not-known', evidence: ['no-response'], outcome: 'not-satisfied', reasoning: 'No information was given in reply to the enquiry.', ...overrides });

describe.each(ENGINES)('home education episodes on %s', (engine) => {
  let setup: Setup;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;

  /** A fresh home education episode (no steps yet) for a child with a parent who has parental responsibility. */
  const freshEpisode = async () => {
    const rows = await db()
      .select({ e: episodes })
      .from(episodes)
      .where(
        and(
          eq(episodes.kind, 'ehe'),
          eq(episodes.status, 'notified'),
          sql`exists (select 1 from child_adults ca where ca.child_id = ${episodes.childId} and ca.parental_responsibility)`,
          sql`not exists (select 1 from ehe_steps s where s.episode_id = ${episodes.id})`,
        ),
      )
      .orderBy(episodes.id)
      .limit(1);
    if (!rows[0]) throw new Error('No notified home education episode in the seed');
    return rows[0].e;
  };
  const reload = async (id: string) => (await db().select().from(episodes).where(eq(episodes.id, id)))[0]!;
  const officer = (day = '2026-11-23') => contextFor(db(), 'demo-ehe-officer', on(day));
  const manager = (day = '2026-11-23') => contextFor(db(), 'demo-team-manager', on(day));

  /** Enquiry on 23 November 2026, reply due 14 December; no reply; judged not satisfied and moderated. */
  const notSatisfied = async () => {
    const e = await freshEpisode();
    const sent = await services().sendInformalEnquiry(await officer('2026-11-23'), e.id, { version: e.version });
    expect(sent.replyBy).toBe('2026-12-14');
    const info = await services().recordInformation(await officer('2026-12-15'), e.id, { version: sent.episode.version, kind: 'no-response', response: 'received', receivedOn: '2026-12-15', summary: 'No reply by the date asked.' });
    const judged = await services().recordJudgement(await officer('2026-12-15'), e.id, negative(info.version));
    const moderated = await services().moderateJudgement(await manager('2026-12-16'), e.id, { version: judged.episode.version, decision: 'agree' });
    expect(moderated.status).toBe('not-satisfied');
    return moderated;
  };

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('a new episode waits on the worklist until its first step, for its officer or anyone when unallocated', async () => {
    const e = await freshEpisode();
    const work = await services().listEheWork(await manager());
    const listed = work.newlyNotified.map((n) => n.episodeId);
    expect(listed).toContain(e.id);
    const withSteps = await db().select({ episodeId: eheSteps.episodeId }).from(eheSteps);
    expect(listed.filter((id) => withSteps.some((s) => s.episodeId === id))).toEqual([]);
  });

  test('suitable: enquiry, a written report, a suitable judgement; the family is written to and the next contact is due a year on', async () => {
    const e = await freshEpisode();
    const sent = await services().sendInformalEnquiry(await officer(), e.id, { version: e.version });
    expect(sent.episode.status).toBe('enquiry-sent');
    const [enquiry] = await db().select().from(eheSteps).where(and(eq(eheSteps.episodeId, e.id), eq(eheSteps.kind, 'informal-enquiry')));
    expect(enquiry).toMatchObject({ status: 'open', dueOn: '2026-12-14' });
    const sentLetters = await db().select().from(letters).where(eq(letters.episodeId, e.id));
    expect(sentLetters.length).toBeGreaterThan(0);
    expect(sentLetters.every((l) => l.templateKey === 'informal-enquiry')).toBe(true);

    const info = await services().recordInformation(await officer('2026-11-30'), e.id, { version: sent.episode.version, kind: 'written-report', response: 'received', receivedOn: '2026-11-28', summary: 'A six-page report with a weekly timetable.' });
    expect(info.status).toBe('information-received');
    const [answered] = await db().select().from(eheSteps).where(eq(eheSteps.id, enquiry!.id));
    expect(answered!.status).toBe('done');

    const judged = await services().recordJudgement(await officer('2026-11-30'), e.id, judgement(info.version, { childViews: 'Likes the science projects best.' }));
    expect(judged.episode.status).toBe('suitable');
    const [annual] = await db().select().from(eheSteps).where(and(eq(eheSteps.episodeId, e.id), eq(eheSteps.kind, 'annual-contact')));
    expect(annual).toMatchObject({ status: 'open', dueOn: '2027-11-30' });
    const outcomeLetters = await db().select().from(letters).where(and(eq(letters.episodeId, e.id), eq(letters.templateKey, 'suitability-outcome')));
    expect(outcomeLetters.length).toBeGreaterThan(0);
    const [saved] = await db().select().from(suitabilityJudgements).where(eq(suitabilityJudgements.episodeId, e.id));
    expect(saved).toMatchObject({ status: 'in-effect', outcome: 'suitable', childViews: 'Likes the science projects best.' });
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.recordId, e.id), eq(auditLog.action, 'ehe.judgement')));
    expect(audits).toHaveLength(1);
  });

  test('a not-suitable judgement waits for a second officer; the officer who made it cannot moderate it; returning it sends it back', async () => {
    const e = await freshEpisode();
    const info = await services().recordInformation(await officer(), e.id, { version: e.version, kind: 'samples-of-work', response: 'received', receivedOn: '2026-11-20', summary: 'Three worksheets.' });
    const judged = await services().recordJudgement(await officer(), e.id, judgement(info.version, { efficient: 'no', outcome: 'not-suitable', evidence: ['samples-of-work'], reasoning: 'Little progression across the samples.' }));
    expect(judged.episode.status).toBe('awaiting-moderation');
    expect(await db().select().from(letters).where(and(eq(letters.episodeId, e.id), eq(letters.templateKey, 'suitability-outcome')))).toHaveLength(0);
    await expect(services().moderateJudgement(await officer(), e.id, { version: judged.episode.version, decision: 'agree' })).rejects.toMatchObject({
      code: 'validation',
      fields: { decision: 'A second officer must moderate this judgement: you made it' },
    });
    await expect(services().serveS437Notice(await officer(), e.id, { version: judged.episode.version, concerns: 'x' })).rejects.toMatchObject({ code: 'validation' });
    await expect(services().moderateJudgement(await manager(), e.id, { version: judged.episode.version, decision: 'disagree' })).rejects.toMatchObject({ fields: { note: 'Enter why you do not agree with the judgement' } });
    const returned = await services().moderateJudgement(await manager(), e.id, { version: judged.episode.version, decision: 'disagree', note: 'Ask for more samples first.' });
    expect(returned.status).toBe('information-received');
    const [j] = await db().select().from(suitabilityJudgements).where(eq(suitabilityJudgements.episodeId, e.id));
    expect(j).toMatchObject({ status: 'returned', moderationNote: 'Ask for more samples first.' });
  });

  test('fairness guards: a declined visit alone, no reply before the reply date, dates before birth or in the future, and a judgement without reasons are refused', async () => {
    const e = await freshEpisode();
    const sent = await services().sendInformalEnquiry(await officer(), e.id, { version: e.version });
    await expect(services().recordInformation(await officer('2026-12-01'), e.id, { version: sent.episode.version, kind: 'no-response', response: 'received', receivedOn: '2026-12-01', summary: 'Nothing yet.' })).rejects.toMatchObject({
      fields: { kind: 'You can record that no reply came only after the reply date, 14 December 2026' },
    });
    await expect(services().recordInformation(await officer(), e.id, { version: sent.episode.version, kind: 'visit', response: 'declined', receivedOn: '2027-01-01', summary: 'x' })).rejects.toMatchObject({
      fields: { receivedOn: 'The date must be today or in the past' },
    });
    await expect(services().recordInformation(await officer(), e.id, { version: sent.episode.version, kind: 'visit', response: 'declined', receivedOn: '1990-01-01', summary: 'x' })).rejects.toMatchObject({
      fields: { receivedOn: 'The date must be after the child’s date of birth' },
    });
    const declined = await services().recordInformation(await officer(), e.id, { version: sent.episode.version, kind: 'visit', response: 'declined', receivedOn: '2026-11-23', summary: 'The family would rather not have a home visit.' });
    await expect(services().recordJudgement(await officer(), e.id, negative(declined.version, { evidence: ['visit-declined'], outcome: 'not-suitable' }))).rejects.toMatchObject({
      fields: { evidence: expect.stringContaining('A declined visit is never by itself a reason') },
    });
    await expect(services().recordJudgement(await officer(), e.id, judgement(declined.version, { reasoning: '  ' }))).rejects.toMatchObject({ fields: { reasoning: 'Enter the reasons for the judgement' } });
    await expect(services().recordJudgement(await officer(), e.id, judgement(declined.version, { efficient: 'no' }))).rejects.toMatchObject({
      fields: { outcome: 'Education can only be judged suitable when every part of the test is met' },
    });
    expect((await reload(e.id)).status).toBe('information-received');
  });

  test('not satisfied → s437 notice → the council is satisfied: suitable again', async () => {
    const episode = await notSatisfied();
    const notice = await services().serveS437Notice(await officer('2026-12-16'), episode.id, { version: episode.version, concerns: 'No information about the education has been given.' });
    expect(notice).toMatchObject({ servedOn: '2026-12-18', expiresOn: '2027-01-04' });
    const satisfied = await services().recordSatisfied(await officer('2026-12-30'), episode.id, { version: notice.episode.version, reasons: 'The parent sent a detailed report and samples in reply to the notice.' });
    expect(satisfied.status).toBe('suitable');
    const steps = await db().select().from(eheSteps).where(eq(eheSteps.episodeId, episode.id));
    expect(steps.find((s) => s.kind === 's437-notice')!.status).toBe('done');
    expect(steps.find((s) => s.kind === 'annual-contact' && s.status === 'open')!.dueOn).toBe('2027-12-30');
  });

  test('notice → notice of intention → School Attendance Order → complied: each refused before its period ends, then the child is on the school’s roll', async () => {
    const episode = await notSatisfied();
    const notice = await services().serveS437Notice(await officer('2026-12-16'), episode.id, { version: episode.version, concerns: 'No information about the education has been given.' });
    const [first, second] = await db().select().from(schools).orderBy(schools.urn).limit(2);
    await expect(services().serveNoticeOfIntention(await officer('2027-01-04'), episode.id, { version: notice.episode.version, schoolIds: [first!.id] })).rejects.toMatchObject({
      message: 'A notice of intention cannot be served before the notice period ends on 4 January 2027.',
    });
    await expect(services().serveNoticeOfIntention(await officer('2027-01-05'), episode.id, { version: notice.episode.version, schoolIds: [] })).rejects.toMatchObject({ fields: { schoolIds: 'Select at least one school to name' } });
    const intention = await services().serveNoticeOfIntention(await officer('2027-01-05'), episode.id, { version: notice.episode.version, schoolIds: [first!.id, second!.id] });
    expect(intention).toMatchObject({ servedOn: '2027-01-07', choiceEndsOn: '2027-01-22' });
    await expect(services().serveSchoolAttendanceOrder(await officer('2027-01-22'), episode.id, { version: intention.episode.version, schoolId: first!.id })).rejects.toMatchObject({
      message: 'A School Attendance Order cannot be served before the choice period ends on 22 January 2027.',
    });
    await expect(services().recordSchoolChoice(await officer('2027-01-25'), episode.id, { version: intention.episode.version, schoolId: second!.id, receivedOn: '2027-01-25' })).rejects.toMatchObject({
      fields: { receivedOn: 'The parent’s choice had to reach the council by 22 January 2027' },
    });
    const [outsider] = await db().select().from(schools).orderBy(schools.urn).limit(1).offset(5);
    await expect(services().serveSchoolAttendanceOrder(await officer('2027-01-25'), episode.id, { version: intention.episode.version, schoolId: outsider!.id })).rejects.toMatchObject({
      fields: { schoolId: 'Name one of the schools in the notice of intention' },
    });
    const order = await services().serveSchoolAttendanceOrder(await officer('2027-01-25'), episode.id, { version: intention.episode.version, schoolId: first!.id });
    expect(order.status).toBe('sao-served');
    await expect(services().recordSaoComplied(await officer('2027-02-01'), episode.id, { version: order.version, startDate: '2027-01-20' })).rejects.toMatchObject({
      fields: { startDate: 'The start date cannot be before the order was served' },
    });
    const complied = await services().recordSaoComplied(await officer('2027-02-01'), episode.id, { version: order.version, startDate: '2027-02-01' });
    expect(complied).toMatchObject({ status: 'closed', closeReason: 'sao-complied', closedOn: '2027-02-01' });
    const roll = await db().select().from(enrolments).where(and(eq(enrolments.childId, episode.childId), eq(enrolments.schoolId, first!.id)));
    expect(roll.some((r) => r.endDate === null && r.startDate === '2027-02-01')).toBe(true);
    const keys = (await db().select({ key: letters.templateKey }).from(letters).where(eq(letters.episodeId, episode.id))).map((l) => l.key);
    expect(new Set(keys)).toEqual(new Set(['informal-enquiry', 'suitability-outcome', 's437-notice', 'notice-of-intention', 'school-attendance-order']));
  });

  test('a parent’s choice of school within the period is the school the order must name', async () => {
    const episode = await notSatisfied();
    const notice = await services().serveS437Notice(await officer('2026-12-16'), episode.id, { version: episode.version, concerns: 'Concerns.' });
    const [first, second] = await db().select().from(schools).orderBy(schools.urn).limit(2);
    const intention = await services().serveNoticeOfIntention(await officer('2027-01-05'), episode.id, { version: notice.episode.version, schoolIds: [first!.id, second!.id] });
    const chose = await services().recordSchoolChoice(await officer('2027-01-12'), episode.id, { version: intention.episode.version, schoolId: second!.id, receivedOn: '2027-01-12' });
    await expect(services().serveSchoolAttendanceOrder(await officer('2027-01-12'), episode.id, { version: chose.version, schoolId: first!.id })).rejects.toMatchObject({
      fields: { schoolId: `The order must name the school the parent chose, ${second!.name}` },
    });
    const order = await services().serveSchoolAttendanceOrder(await officer('2027-01-12'), episode.id, { version: chose.version, schoolId: second!.id });
    const revoked = await services().revokeSao(await officer('2027-03-01'), episode.id, { version: order.version, reasons: 'The parent has since shown a suitable education.' });
    expect(revoked).toMatchObject({ status: 'closed', closeReason: 'sao-revoked' });
  });

  test('a change to a council’s periods applies to new steps only', async () => {
    const first = await freshEpisode();
    const a = await services().sendInformalEnquiry(await officer('2026-11-23'), first.id, { version: first.version });
    const second = await freshEpisode();
    const [council] = await db().select().from(councils).limit(1);
    const settings = council!.settings as Record<string, unknown>;
    await db()
      .update(councils)
      .set({ settings: { ...settings, periods: { informalEnquiryReplyWorkingDays: 20 } } })
      .where(eq(councils.id, council!.id));
    try {
      const b = await services().sendInformalEnquiry(await officer('2026-11-23'), second.id, { version: second.version });
      expect(b.replyBy).toBe('2026-12-21');
      const [stillOld] = await db().select().from(eheSteps).where(and(eq(eheSteps.episodeId, first.id), eq(eheSteps.kind, 'informal-enquiry')));
      expect(stillOld!.dueOn).toBe(a.replyBy);
    } finally {
      await db().update(councils).set({ settings }).where(eq(councils.id, council!.id));
    }
  });

  test('the worklist shows overdue steps; stale versions, closed episodes and other roles are refused', async () => {
    const e = await freshEpisode();
    const sent = await services().sendInformalEnquiry(await officer('2026-11-23'), e.id, { version: e.version });
    const work = await services().listEheWork(await officer('2026-12-20'));
    expect(work.overdue.map((i) => i.episodeId)).toContain(e.id);
    await expect(services().recordInformation(await officer(), e.id, { version: e.version, kind: 'written-report', response: 'received', receivedOn: '2026-11-23', summary: 'x' })).rejects.toMatchObject({ code: 'stale-version' });
    for (const subject of ['demo-school-user', 'demo-parent', 'demo-data-officer', 'demo-social-worker', 'demo-health-visitor']) {
      await expect(services().sendInformalEnquiry(await contextFor(db(), subject), e.id, { version: sent.episode.version })).rejects.toMatchObject({ code: 'forbidden' });
    }
    await expect(services().viewEheEpisode(await contextFor(db(), 'demo-school-user'), e.id)).rejects.toMatchObject({ code: 'forbidden' });
    const closed = await services().closeEheEpisode(await officer(), e.id, { version: sent.episode.version, reason: 'moved-away', newCouncil: 'Southshire Council' });
    expect(closed).toMatchObject({ status: 'closed', closeReason: 'moved-away' });
    await expect(services().sendInformalEnquiry(await officer(), e.id, { version: closed.version })).rejects.toMatchObject({ code: 'validation' });
    const open = await db().select().from(eheSteps).where(and(eq(eheSteps.episodeId, e.id), eq(eheSteps.status, 'open')));
    expect(open).toHaveLength(0);
  });

  test('a family’s written response can be attached to a step', async () => {
    const e = await freshEpisode();
    const sent = await services().sendInformalEnquiry(await officer(), e.id, { version: e.version });
    const [step] = await db().select().from(eheSteps).where(eq(eheSteps.episodeId, e.id));
    const saved = await services().recordFamilyResponse(await officer('2026-11-25'), e.id, { stepId: step!.id, receivedOn: '2026-11-25', method: 'letter', summary: 'We will send a report next week.' });
    expect(saved).toMatchObject({ stepId: step!.id, method: 'letter' });
    const view = await services().viewEheEpisode(await officer(), e.id);
    expect(view.responses.map((r) => r.summary)).toContain('We will send a report next week.');
    expect(view.episode.version).toBe(sent.episode.version);
  });

  test('the daily digest tells the team managers about overdue steps on unallocated episodes, once a day', async () => {
    const e = await freshEpisode();
    await db().update(episodes).set({ allocatedTo: null }).where(eq(episodes.id, e.id));
    await services().sendInformalEnquiry(await officer('2026-11-23'), e.id, { version: e.version });
    const deps = { db: db(), runInTransaction: setup.runtime.runInTransaction, notifier: createOutboxNotifier(), baseUrl: 'http://localhost:3000', now: () => on('2027-01-20') };
    const sent = await sendHomeEducationDigests(deps, 'ehe-digest-1');
    expect(sent).toBeGreaterThan(0);
    const [casey] = await db().select().from(users).where(eq(users.subject, 'demo-team-manager'));
    const mine = await db().select().from(notifications).where(and(eq(notifications.recipientEmail, casey!.email), eq(notifications.providerReference, `home-education-digest:2027-01-20:${casey!.id}`)));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body).toContain(`/home-education/episodes/${e.id}`);
    expect(mine[0]!.body).toContain('informal enquiry was due 14 December 2026');
  });
});
