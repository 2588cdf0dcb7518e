import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, letters, socialCareEpisodes, socialCareSteps } from '../../src/db/schema/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { childWithParent as childWithParentAt, deletionReturnFor, pupilOnDemoRoll } from '../support/register.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;
const on = (day: string) => new Date(`${day}T12:00:00Z`);

describe.each(ENGINES)('children’s social care intake on %s', (engine) => {
  let setup: Setup;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;
  const mash = (day = '2026-11-23') => contextFor(db(), 'demo-mash-worker', on(day));

  /** A child with a parent who has parental responsibility, so letters can be sent. */
  const childWithParent = (offset: number) => childWithParentAt(db(), offset);

  const referral = (childId: string, overrides: Record<string, unknown> = {}) => ({
    childId,
    referralDate: '2026-11-23',
    referralSource: 'gp',
    referrerName: 'Dr Ottoline Ferrars',
    concerns: 'The child has been taken out of school to be home educated.',
    homeEducationOnly: 'yes',
    priorConcernDocumented: 'no',
    ...overrides,
  });

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('a referral whose only concern is home education: the decision is due in a working day, and proceeding needs a reason; closing sends the family a letter', async () => {
    const child = await childWithParent(1);
    const episode = await services().receiveSocialCareReferral(await mash(), referral(child.id));
    expect(episode).toMatchObject({ status: 'initial-enquiries', decisionDueOn: '2026-11-24', homeEducationOnly: true, priorConcernDocumented: false });

    await expect(services().decideSocialCareReferral(await mash(), episode.id, { version: episode.version, decision: 'assessment', reasons: 'To be sure.', primaryNeedCode: 'N1' })).rejects.toMatchObject({
      fields: { proceedReason: 'Home education is not in itself a safeguarding concern. Record why the referral proceeds, or close it' },
    });
    const closed = await services().decideSocialCareReferral(await mash('2026-11-24'), episode.id, { version: episode.version, decision: 'nfa', reasons: 'The only concern was home education.', primaryNeedCode: 'N9' });
    expect(closed).toMatchObject({ status: 'closed', closedOn: '2026-11-24', closureReason: 'RC7', closureNoticeDueOn: '2026-12-22' });

    const work = await services().listMashWork(await mash('2026-12-23'));
    expect(work.familyNotTold.map((w) => w.episodeId)).toContain(episode.id);

    const told = await services().recordClosureCommunication(await mash('2026-11-25'), episode.id, { version: closed.version, method: 'letter' });
    expect(told).toMatchObject({ familyToldOn: '2026-11-25', familyToldHow: 'letter' });
    const sent = await db().select().from(letters).where(eq(letters.socialCareEpisodeId, episode.id));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]!.templateKey).toBe('social-care-closure');
    expect(sent[0]!.reference).toMatch(/^CSC\//);
    expect((sent[0]!.content as { signOff: { name: string } }).signOff.name).toBe('Children’s Social Care');
    expect((await services().listMashWork(await mash('2026-12-23'))).familyNotTold.map((w) => w.episodeId)).not.toContain(episode.id);

    const again = await services().requestWrittenClosure(await mash('2026-12-30'), episode.id, { version: told.version });
    expect(again.writtenClosureRequestedOn).toBe('2026-12-30');
    expect((await db().select().from(letters).where(eq(letters.socialCareEpisodeId, episode.id))).length).toBe(sent.length * 2);
  });

  test('a school’s referral shows whether the school had documented concerns, from its deletion return', async () => {
    const { child } = await pupilOnDemoRoll(db(), { offset: 4, withoutEpisodes: true });
    await services().submitDeletionReturn(await contextFor(db(), 'demo-school-user'), deletionReturnFor(child, { ground: 'f', deletionDate: '2026-11-20' }), 'api');
    const episode = await services().receiveSocialCareReferral(await mash(), referral(child.id, { referralSource: 'school', referrerName: 'Designated safeguarding lead', priorConcernDocumented: 'yes' }));
    expect(episode.priorConcernDocumented).toBe(false);
    expect(episode.priorConcernDetail).toBe('The school’s deletion return said it had no documented safeguarding concerns.');
  });

  test('a section 17 visit needs consent; a decline is recorded with the family’s reasons, and the case can close', async () => {
    const child = await childWithParent(2);
    const episode = await services().receiveSocialCareReferral(await mash(), referral(child.id, { homeEducationOnly: 'no', concerns: 'Neighbour worried about the state of the garden.', referralSource: 'public' }));
    await expect(services().recordSocialCareFamilyContact(await mash(), episode.id, { contactedOn: '2026-11-23', method: 'visit', summary: 'Asked to visit.' })).rejects.toMatchObject({
      fields: { visitConsent: 'A visit under section 17 needs the parents’ consent: record whether they gave it or declined' },
    });
    await expect(services().recordSocialCareFamilyContact(await mash(), episode.id, { contactedOn: '2026-11-23', method: 'visit', visitConsent: 'declined', summary: 'Declined.' })).rejects.toMatchObject({
      fields: { declineReasons: 'Record the family’s reasons for declining, in their words if they gave them' },
    });
    await expect(services().recordSocialCareFamilyContact(await mash(), episode.id, { contactedOn: '2026-11-20', method: 'phone', summary: 'Called.' })).rejects.toMatchObject({
      fields: { contactedOn: 'The contact cannot be before the referral' },
    });
    const step = await services().recordSocialCareFamilyContact(await mash(), episode.id, {
      contactedOn: '2026-11-23',
      method: 'visit',
      visitConsent: 'declined',
      declineReasons: 'We would rather talk on the phone; the children were upset by the last visit.',
      summary: 'Spoke on the doorstep; the parent declined a visit.',
      parentViews: 'The parent explained the garden is being cleared.',
      childViews: 'The older child said they were fine.',
    });
    expect(step).toMatchObject({ kind: 'visit-declined' });
    expect(step.details).toMatchObject({ declineReasons: expect.stringContaining('rather talk on the phone'), parentViews: expect.any(String), childViews: expect.any(String) });
    const closed = await services().decideSocialCareReferral(await mash(), episode.id, { version: episode.version, decision: 'signposting', reasons: 'No concerns found; told about local support.', primaryNeedCode: 'N9' });
    await expect(services().recordClosureCommunication(await mash(), episode.id, { version: closed.version, method: 'phone' })).rejects.toMatchObject({ fields: { summary: 'Record what the family was told on the phone' } });
    const told = await services().recordClosureCommunication(await mash(), episode.id, { version: closed.version, method: 'phone', summary: 'Called the parent to say the case is closed.' });
    expect(told.familyToldHow).toBe('phone');
  });

  test('information requests go to the agency’s users, who answer them; partners see only their own', async () => {
    const { child } = await pupilOnDemoRoll(db(), { offset: 5 });
    const episode = await services().receiveSocialCareReferral(await mash(), referral(child.id, { homeEducationOnly: 'no', concerns: 'Worried about attendance.' }));
    await expect(services().sendInformationRequest(await mash(), episode.id, { agency: 'school', schoolUrn: '12', question: 'Attendance?' })).rejects.toMatchObject({ fields: { schoolUrn: 'Enter the school’s 6-digit URN, like 999101' } });
    const request = await services().sendInformationRequest(await mash(), episode.id, { agency: 'school', schoolUrn: '999101', question: 'What is the child’s attendance this term, and any concerns recorded?' });
    expect(request).toMatchObject({ status: 'open', dueOn: '2026-11-26' });
    const school = await contextFor(db(), 'demo-school-user');
    const mine = await services().listMyInformationRequests(school);
    expect(mine.map((r) => r.id)).toContain(request.id);
    const hv = await contextFor(db(), 'demo-health-visitor');
    expect((await services().listMyInformationRequests(hv)).map((r) => r.id)).not.toContain(request.id);
    await expect(services().answerInformationRequest(hv, request.id, { answer: 'Nothing.' })).rejects.toMatchObject({ code: 'forbidden' });
    const answered = await services().answerInformationRequest(school, request.id, { answer: 'Attendance 97%; no concerns recorded.' });
    expect(answered).toMatchObject({ status: 'answered', answer: 'Attendance 97%; no concerns recorded.' });
    await expect(services().answerInformationRequest(school, request.id, { answer: 'Again.' })).rejects.toMatchObject({ code: 'stale-version' });
    const view = await services().viewSocialCareEpisode(await mash(), episode.id);
    expect(view.requests[0]).toMatchObject({ answer: 'Attendance 97%; no concerns recorded.' });

    // A GP practice is asked by its usual secure route; the worker records its answer.
    const gp = await services().sendInformationRequest(await mash(), episode.id, { agency: 'gp', question: 'Is the child registered and seen recently?' });
    expect(gp.recipientRole).toBeNull();
    await expect(services().answerInformationRequest(school, gp.id, { answer: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    const recorded = await services().answerInformationRequest(await mash(), gp.id, { answer: 'Registered; seen in October for a routine check.' });
    expect(recorded.status).toBe('answered');
  });

  test('only social care staff open or act on a social care episode; every read is audited', async () => {
    const child = await childWithParent(3);
    for (const subject of ['demo-ehe-officer', 'demo-cme-officer', 'demo-school-user', 'demo-parent', 'demo-data-officer', 'demo-health-visitor']) {
      await expect(services().receiveSocialCareReferral(await contextFor(db(), subject), referral(child.id))).rejects.toMatchObject({ code: 'forbidden' });
    }
    const episode = await services().receiveSocialCareReferral(await contextFor(db(), 'demo-social-worker', on('2026-11-23')), referral(child.id));
    await expect(services().viewSocialCareEpisode(await contextFor(db(), 'demo-ehe-officer'), episode.id)).rejects.toMatchObject({ code: 'forbidden' });
    await services().viewSocialCareEpisode(await contextFor(db(), 'demo-team-manager'), episode.id);
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.recordId, episode.id), eq(auditLog.action, 'social-care.view')));
    expect(audits).toHaveLength(1);
    await expect(services().receiveSocialCareReferral(await mash(), referral(child.id, { referralDate: '2027-01-01' }))).rejects.toMatchObject({ fields: { referralDate: 'The date must be today or in the past' } });
    const steps = await db().select().from(socialCareSteps).where(eq(socialCareSteps.episodeId, episode.id));
    expect(steps).toHaveLength(0);
    expect((await db().select().from(socialCareEpisodes).where(eq(socialCareEpisodes.id, episode.id)))[0]!.allocatedTo).not.toBeNull();
  });
});
