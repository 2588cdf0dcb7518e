import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { children, letters, socialCareSteps } from '../../src/db/schema/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { childWithParent as childWithParentAt } from '../support/register.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;
const on = (day: string) => new Date(`${day}T12:00:00Z`);

const views = { parentViews: 'The parent wants support with respite.', childViews: 'The child likes learning at home.', childSeenAlone: 'yes' };

describe.each(ENGINES)('assessments, plans and child protection on %s', (engine) => {
  let setup: Setup;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;
  const worker = (day: string) => contextFor(db(), 'demo-social-worker', on(day));

  const childWithParent = (offset: number) => childWithParentAt(db(), offset);

  const referred = async (offset: number, decision: string) => {
    const child = await childWithParent(offset);
    const episode = await services().receiveSocialCareReferral(await worker('2026-11-23'), {
      childId: child.id,
      referralDate: '2026-11-23',
      referralSource: 'health-visitor',
      referrerName: 'Emerson Tolleshunt',
      concerns: 'The family is struggling to care for a disabled sibling.',
      homeEducationOnly: 'no',
      priorConcernDocumented: 'no',
    });
    const decided = await services().decideSocialCareReferral(await worker('2026-11-24'), episode.id, { version: episode.version, decision, reasons: 'Needs assessing.', primaryNeedCode: 'N4' });
    return { child, episode: decided };
  };

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('an assessment needs consent; it leads to a Child in Need plan whose direction reaches the home education worklist', async () => {
    const { child, episode } = await referred(6, 'assessment');
    expect(episode).toMatchObject({ status: 'assessment', assessmentDueOn: '2027-01-28' });
    const assessment = { version: episode.version, completedOn: '2026-12-10', outcome: 'cin-plan', summary: 'Respite would help.', educationSection: 'Educated at home; judged suitable.', ...views };
    await expect(services().completeAssessment(await worker('2026-12-10'), episode.id, assessment)).rejects.toMatchObject({ message: expect.stringContaining('needs the parents’ consent') });
    await services().recordS17Consent(await worker('2026-11-25'), episode.id, { version: episode.version, step: 'assessment', consent: 'given', how: 'in-writing', recordedOn: '2026-11-25' });
    await expect(services().completeAssessment(await worker('2026-12-10'), episode.id, assessment)).rejects.toMatchObject({
      fields: { outcome: 'Child in Need plan is voluntary under section 17: record the parents’ consent to it first, or choose another outcome' },
    });
    await services().recordS17Consent(await worker('2026-12-09'), episode.id, { version: episode.version, step: 'cin-plan', consent: 'given', how: 'verbally', recordedOn: '2026-12-09' });
    const done = await services().completeAssessment(await worker('2026-12-10'), episode.id, assessment);
    expect(done.episode.status).toBe('cin-plan');
    const [plan] = await db().select().from(socialCareSteps).where(and(eq(socialCareSteps.episodeId, episode.id), eq(socialCareSteps.kind, 'cin-plan')));
    expect(plan).toMatchObject({ status: 'open', dueOn: '2027-03-10' });

    await expect(services().authoriseAssessment(await worker('2026-12-11'), episode.id)).rejects.toMatchObject({ code: 'forbidden' });
    await services().authoriseAssessment(await contextFor(db(), 'demo-team-manager', on('2026-12-11')), episode.id);
    const [authorised] = await db().select().from(socialCareSteps).where(and(eq(socialCareSteps.episodeId, episode.id), eq(socialCareSteps.kind, 'assessment')));
    expect(authorised!.details).toMatchObject({ authorisedOn: '2026-12-11' });
    await services().shareAssessment(await worker('2026-12-11'), episode.id);
    expect((await db().select().from(letters).where(and(eq(letters.socialCareEpisodeId, episode.id), eq(letters.templateKey, 'assessment-copy')))).length).toBeGreaterThan(0);
    await services().recordAssessmentComments(await worker('2026-12-20'), episode.id, { comments: 'We agree, but the respite should be at weekends.' });

    const direction = await services().addPlanDirection(await worker('2026-12-11'), episode.id, { text: 'EHE officer to visit termly', dueOn: '2027-01-15' });
    const ehe = await services().listEheWork(await contextFor(db(), 'demo-ehe-officer', on('2026-12-12')));
    expect(ehe.directions.map((d) => d.stepId)).toContain(direction.id);
    expect(ehe.directions.find((d) => d.stepId === direction.id)).toMatchObject({ text: 'EHE officer to visit termly', childId: child.id });
    await expect(services().completePlanDirection(await contextFor(db(), 'demo-school-user'), direction.id, { note: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    await services().completePlanDirection(await contextFor(db(), 'demo-ehe-officer', on('2027-01-10')), direction.id, { note: 'Visited at the library; good progress.' });
    expect((await services().listEheWork(await contextFor(db(), 'demo-ehe-officer', on('2027-01-11')))).directions.map((d) => d.stepId)).not.toContain(direction.id);

    const notified = await services().receiveHomeEducationNotification(await contextFor(db(), 'demo-ehe-officer'), {
      parentName: 'A parent',
      childFirstName: child.firstName,
      childLastName: child.lastName,
      childDateOfBirth: child.dateOfBirth,
      addressLine1: child.addressLine1,
      town: child.town,
      postcode: child.postcode,
      homeEducationFrom: '2027-01-04',
    });
    expect(notified.childId).toBe(child.id);
    const [withAgenda] = await db().select().from(socialCareSteps).where(eq(socialCareSteps.id, plan!.id));
    expect((withAgenda!.details as { agenda?: string[] }).agenda).toEqual([expect.stringContaining('educate the child at home from 2027-01-04')]);
  });

  test('declining an assessment is allowed; escalating after a decline writes to the family', async () => {
    const { episode } = await referred(7, 'assessment');
    await expect(
      services().recordS17Consent(await worker('2026-11-25'), episode.id, { version: episode.version, step: 'assessment', consent: 'declined', how: 'verbally', recordedOn: '2026-11-25' }),
    ).rejects.toMatchObject({ fields: { reasons: 'Record the family’s reasons, in their words if they gave them' } });
    const escalated = await services().recordS17Consent(await worker('2026-11-25'), episode.id, {
      version: episode.version,
      step: 'assessment',
      consent: 'declined',
      how: 'verbally',
      recordedOn: '2026-11-25',
      reasons: 'We have had enough involvement.',
      escalate: 'yes',
      escalationReasons: 'The GP reports the child has not been seen for months.',
    });
    expect(escalated.status).toBe('strategy-discussion');
    expect((await db().select().from(letters).where(and(eq(letters.socialCareEpisodeId, episode.id), eq(letters.templateKey, 'social-care-escalation')))).length).toBeGreaterThan(0);
  });

  test('strategy → section 47 → conference → child protection plan → review → step down, keeping the child’s protection status in step', async () => {
    const { child, episode } = await referred(8, 'strategy-discussion');
    const s47 = await services().recordStrategyDiscussion(await worker('2026-11-25'), episode.id, { version: episode.version, heldOn: '2026-11-25', attendees: 'Social worker, police, GP', outcome: 's47', reasons: 'Reasonable cause to suspect significant harm.' });
    expect(s47.status).toBe('s47-enquiry');
    const [enquiry] = await db().select().from(socialCareSteps).where(and(eq(socialCareSteps.episodeId, episode.id), eq(socialCareSteps.kind, 's47-enquiry')));
    expect(enquiry!.dueOn).toBe('2026-12-16');
    expect((await db().select().from(children).where(eq(children.id, child.id)))[0]!.protectionStatus).toBe('s47-enquiry');

    const conference = { version: s47.version, heldOn: '2026-12-14', chair: 'Independent chair', outcome: 'plan', category: 'NEG', educationSection: 'Home educated; the EHE officer to see the child termly.', supportivePersonPermission: 'given', ...views };
    await expect(services().recordInitialConference(await worker('2026-12-14'), episode.id, { ...conference, heldOn: '2026-11-20' })).rejects.toMatchObject({
      fields: { heldOn: 'The conference cannot be before its strategy discussion on 25 November 2026' },
    });
    await expect(services().recordInitialConference(await worker('2026-12-14'), episode.id, { ...conference, category: '' })).rejects.toMatchObject({ fields: { category: 'Select the category of the child protection plan' } });
    const onPlan = await services().recordInitialConference(await worker('2026-12-14'), episode.id, conference);
    expect(onPlan.status).toBe('cp-plan');
    const [plan] = await db().select().from(socialCareSteps).where(and(eq(socialCareSteps.episodeId, episode.id), eq(socialCareSteps.kind, 'cp-plan')));
    expect(plan).toMatchObject({ status: 'open', dueOn: '2027-03-12' });
    expect((await db().select().from(children).where(eq(children.id, child.id)))[0]!.protectionStatus).toBe('cp-plan');

    const review = { version: onPlan.version, heldOn: '2027-03-10', summary: 'Progress made.', outcome: 'continue', ...views };
    const continued = await services().recordPlanReview(await worker('2027-03-10'), episode.id, review);
    expect((await db().select().from(socialCareSteps).where(eq(socialCareSteps.id, plan!.id)))[0]!.dueOn).toBe('2027-09-10');
    const down = await services().recordPlanReview(await worker('2027-09-01'), episode.id, { ...review, version: continued.version, heldOn: '2027-09-01', outcome: 'step-down-cin' });
    expect(down.status).toBe('cin-plan');
    const after = (await db().select().from(children).where(eq(children.id, child.id)))[0]!;
    expect(after).toMatchObject({ protectionStatus: 'none', protectionEndedOn: '2027-09-01' });
    await expect(services().recordInitialConference(await worker('2027-09-02'), episode.id, { ...conference, version: down.version })).rejects.toMatchObject({ code: 'validation' });

    // Social care detail is on the timeline for social care staff only.
    const socialWorkerView = await services().viewChildRecord(await worker('2027-09-02'), child.id);
    expect(socialWorkerView.timeline.map((t) => t.summary)).toEqual(expect.arrayContaining([expect.stringContaining('Initial child protection conference')]));
    const officerView = await services().viewChildRecord(await contextFor(db(), 'demo-ehe-officer'), child.id);
    expect(officerView.timeline.map((t) => t.summary).join(' ')).not.toMatch(/child protection conference|section 47|Strategy discussion/i);
  });

  test('escalations and complaints are their own steps; only a team manager records the outcome; the worklist shows what is due', async () => {
    const { episode } = await referred(9, 'strategy-discussion');
    const s47 = await services().recordStrategyDiscussion(await worker('2026-11-25'), episode.id, { version: episode.version, heldOn: '2026-11-25', attendees: 'Social worker, police', outcome: 's47', reasons: 'Concerns.' });
    const work = await services().listMashWork(await worker('2026-11-26'));
    expect(work.dueSoon).toEqual(expect.arrayContaining([expect.objectContaining({ episodeId: episode.id, what: 'Initial child protection conference due', dueOn: '2026-12-16' })]));
    const complaint = await services().recordFamilyConcern(await worker('2026-11-27'), episode.id, { kind: 'complaint', receivedOn: '2026-11-27', from: 'The child’s mother', summary: 'Nobody told us why the police came.' });
    expect(complaint).toMatchObject({ kind: 'complaint', status: 'open', dueOn: '2026-12-11' });
    await expect(services().recordConcernOutcome(await worker('2026-12-01'), episode.id, { stepId: complaint.id, outcome: 'Upheld.' })).rejects.toMatchObject({ code: 'forbidden' });
    await services().recordConcernOutcome(await contextFor(db(), 'demo-team-manager', on('2026-12-01')), episode.id, { stepId: complaint.id, outcome: 'Upheld: the family should have been told. An apology was sent.' });
    const [done] = await db().select().from(socialCareSteps).where(eq(socialCareSteps.id, complaint.id));
    expect(done).toMatchObject({ status: 'done' });
    expect(done!.details).toMatchObject({ outcome: expect.stringContaining('Upheld') });
    expect(s47.status).toBe('s47-enquiry');
  });
});
