import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { consentRequests, deletionReturns, enrolments, episodes, letters } from '../../src/db/schema/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { deletionReturnFor, pupilOnDemoRoll } from '../support/register.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;

const views = (version: number, inBestInterests: 'yes' | 'no') => ({
  version,
  parentViews: 'The parent wants to educate at home to meet the child’s needs better.',
  childViews: 'The child said school is too loud and they would like to learn at home.',
  schoolView: 'The school has concerns about attendance and the plan.',
  bestInterests: 'Weighed the plan’s protective factors against the support home education can offer.',
  schoolAttendanceInBestInterests: inBestInterests,
});

describe.each(ENGINES)('consent to withdraw a child for home education on %s', (engine) => {
  let setup: Setup;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;

  /** A pupil on the demo school roll put on a child protection plan, whose school then sends ground f. */
  const heldRequest = async (offset: number) => {
    const { school, child } = await pupilOnDemoRoll(db(), { offset, withoutEpisodes: true });
    await services().changeSocialCareStatus(await contextFor(db(), 'demo-social-worker'), child.id, { version: child.version, lookedAfter: 'no', childInNeed: 'no', protectionStatus: 'cp-plan' });
    const sent = await services().submitDeletionReturn(await contextFor(db(), 'demo-school-user'), deletionReturnFor(child, { ground: 'f', deletionDate: '2026-11-20' }), 'api');
    expect(sent.outcome).toBe('held-for-consent');
    const [request] = await db().select().from(consentRequests).where(eq(consentRequests.deletionReturnId, sent.returnId));
    expect(request).toMatchObject({ status: 'requested', grounds: ['cp-plan'], childId: child.id });
    return { request: request!, child, school, returnId: sent.returnId };
  };

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('consent refused: the protection status is taken from the record, reasons are required, the child stays on roll, and parents and school are written to', async () => {
    const { request, child, school, returnId } = await heldRequest(11);
    const officer = await contextFor(db(), 'demo-ehe-officer');
    await expect(services().decideConsent(officer, request.id, { version: request.version, decision: 'refuse', reasons: 'x' })).rejects.toMatchObject({ code: 'validation' });
    const started = await services().startConsentConsideration(officer, request.id, { version: request.version });
    expect(started.status).toBe('under-consideration');
    expect(started.protectionSnapshot).toMatchObject({ protectionStatus: 'cp-plan' });
    await expect(services().decideConsent(officer, request.id, { version: started.version, decision: 'refuse', reasons: 'Not yet.' })).rejects.toMatchObject({ message: 'Record the views and the best-interests analysis before deciding.' });
    const withViews = await services().recordConsentViews(officer, request.id, views(started.version, 'yes'));
    await expect(services().decideConsent(officer, request.id, { version: withViews.version, decision: 'grant', reasons: 'The parent has a plan.' })).rejects.toMatchObject({
      fields: { decision: 'The council must refuse consent where attending school is in the child’s best interests' },
    });
    await expect(services().decideConsent(officer, request.id, { version: withViews.version, decision: 'refuse', reasons: '' })).rejects.toMatchObject({ fields: { reasons: 'Enter the reasons for the decision' } });
    const refused = await services().decideConsent(officer, request.id, { version: withViews.version, decision: 'refuse', reasons: 'School gives the daily contact the child protection plan relies on.' });
    expect(refused).toMatchObject({ status: 'refused', decisionReasons: 'School gives the daily contact the child protection plan relies on.' });
    const [ret] = await db().select().from(deletionReturns).where(eq(deletionReturns.id, returnId));
    expect(ret!.status).toBe('cancelled');
    const [enrolment] = await db().select().from(enrolments).where(and(eq(enrolments.childId, child.id), eq(enrolments.schoolId, school.id)));
    expect(enrolment!.endDate).toBeNull();
    const sent = await db().select().from(letters).where(eq(letters.consentRequestId, request.id));
    expect(sent.map((l) => l.templateKey).sort()).toEqual(expect.arrayContaining(['consent-decision-parent', 'consent-decision-school']));
    expect(sent.find((l) => l.templateKey === 'consent-decision-school')!.recipientSchoolId).toBe(school.id);
    await expect(services().decideConsent(officer, request.id, { version: refused.version, decision: 'grant', reasons: 'Changed mind.' })).rejects.toMatchObject({ code: 'validation' });
  });

  test('consent granted: the held deletion takes effect and a home education episode opens', async () => {
    const { request, child, school } = await heldRequest(12);
    const manager = await contextFor(db(), 'demo-team-manager');
    const started = await services().startConsentConsideration(manager, request.id, { version: request.version });
    const withViews = await services().recordConsentViews(manager, request.id, views(started.version, 'no'));
    const granted = await services().decideConsent(manager, request.id, { version: withViews.version, decision: 'grant', reasons: 'The plan’s contact can be kept through weekly visits; the parent has a clear education plan.' });
    expect(granted.status).toBe('granted');
    const [enrolment] = await db().select().from(enrolments).where(and(eq(enrolments.childId, child.id), eq(enrolments.schoolId, school.id)));
    expect(enrolment!.endDate).not.toBeNull();
    const [episode] = await db().select().from(episodes).where(and(eq(episodes.childId, child.id), eq(episodes.kind, 'ehe')));
    expect(episode).toMatchObject({ status: 'notified', openedBy: 'deletion-return' });
  });

  test('only home education officers and managers decide; a stale version is refused', async () => {
    const { request } = await heldRequest(9);
    for (const subject of ['demo-school-user', 'demo-parent', 'demo-social-worker', 'demo-data-officer']) {
      await expect(services().startConsentConsideration(await contextFor(db(), subject), request.id, { version: request.version })).rejects.toMatchObject({ code: 'forbidden' });
    }
    const officer = await contextFor(db(), 'demo-ehe-officer');
    await services().startConsentConsideration(officer, request.id, { version: request.version });
    await expect(services().startConsentConsideration(officer, request.id, { version: request.version + 1 })).rejects.toMatchObject({ message: expect.stringContaining('Consideration has already started') });
    await expect(services().recordConsentViews(officer, request.id, views(request.version, 'no'))).rejects.toMatchObject({ code: 'stale-version' });
    const list = await services().listConsentRequests(officer, { status: 'under-consideration' });
    expect(list.map((r) => r.id)).toContain(request.id);
  });
});
