import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, domainEvents, familyDocuments, letters, socialCareEpisodes, socialCareSteps } from '../../src/db/schema/index.ts';
import { loadFamily } from '../../src/domain/family/core.ts';
import { NOT_VOLUNTARY_MESSAGE } from '../../src/domain/family/social-care.ts';
import { FAMILY_STAGE_LABELS } from '../../src/domain/family/social-care-stages.ts';
import { familyNotices, viewsForStep } from '../../src/web/routes/family/social-care/officer.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { sessionFor, type TestSession } from '../support/sessions.ts';
import { parentInAnotherFamily } from '../support/family.ts';

const on = (day: string) => new Date(`${day}T12:00:00Z`);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const views = { parentViews: 'We are managing.', childViews: 'I like home.', childSeenAlone: 'yes' };

describe.each(ENGINES)('the family’s side of children’s social care on %s', (engine) => {
  let t: TestApp;
  let childId: string;
  let otherSubject: string;
  const db = () => t.runtime.database.db;
  const services = () => t.runtime.services;
  const parent = (day = '2026-11-23') => contextFor(db(), 'demo-parent', on(day));
  const mash = (day = '2026-11-23') => contextFor(db(), 'demo-mash-worker', on(day));
  const worker = (day = '2026-11-23') => contextFor(db(), 'demo-social-worker', on(day));

  /** A referral about the demo parent's child, decided as asked. */
  const referred = async (decision: string | null) => {
    const episode = await services().receiveSocialCareReferral(await mash(), {
      childId,
      referralDate: '2026-11-23',
      referralSource: 'health-visitor',
      referrerName: 'Emerson Tolleshunt',
      concerns: 'The family is struggling.',
      homeEducationOnly: 'no',
      priorConcernDocumented: 'no',
    });
    if (!decision) return episode;
    return services().decideSocialCareReferral(await mash('2026-11-24'), episode.id, { version: episode.version, decision, reasons: 'Our reasons for the family.', primaryNeedCode: 'N4' });
  };

  const stepOf = async (episodeId: string, kind: string) => (await db().select().from(socialCareSteps).where(and(eq(socialCareSteps.episodeId, episodeId), eq(socialCareSteps.kind, kind))))[0]!;
  const versionOf = async (episodeId: string) => (await db().select().from(socialCareEpisodes).where(eq(socialCareEpisodes.id, episodeId)))[0]!.version;

  beforeAll(async () => {
    t = await createTestApp(engine);
    const ctx = await parent();
    const family = await t.runtime.runInTransaction(ctx, async (uow) => loadFamily(uow.tx, ctx.actor));
    childId = family.children[0]!.childId;
    otherSubject = (await parentInAnotherFamily(db())).subject;
  });
  afterAll(async () => {
    await t?.close();
  });

  test('a parent follows a section 17 episode, with the dates the council must keep, and says no to a visit; the social worker sees it', async () => {
    const episode = await referred(null);
    const view = await services().viewFamilySocialCareEpisode(await parent(), episode.id);
    expect(view).toMatchObject({ stage: 'initial-enquiries', stageLabel: 'We are deciding what to do next', voluntary: true, can: { declineVisit: true, sendViews: false, askForClosureConfirmation: false } });
    expect(view.dueDates).toEqual([{ what: 'We must decide what happens next by', dueOn: '2026-11-24', rule: 'Within 1 working day of the referral', passed: false }]);
    expect((await services().listFamilySocialCareEpisodes(await parent())).map((e) => e.episodeId)).toContain(episode.id);

    const declined = await services().declineSocialCareVisit(await parent(), episode.id, { reason: 'The children were upset by the last visit.', preferInstead: 'A phone call.' });
    expect(declined).toMatchObject({ kind: 'visit-declined', socialCareEpisodeId: episode.id, childId, status: 'received' });
    expect(declined.reference).toMatch(/^FS-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const [event] = await db().select().from(domainEvents).where(and(eq(domainEvents.type, 'family.visit-declined'), eq(domainEvents.aggregateId, declined.id)));
    expect(event!.visibility).toBe('social-care');

    const staffView = await services().viewSocialCareEpisode(await worker(), episode.id);
    expect(staffView.familySubmissions.map((s) => s.id)).toContain(declined.id);
    expect(familyNotices(staffView)[0]).toMatch(/^The family declined a visit on 23 November 2026 \(Robin Fairweather, reference FS-.*Their reasons: The children were upset by the last visit\. They would prefer: A phone call\.$/);

    const assessing = await services().decideSocialCareReferral(await mash('2026-11-24'), episode.id, { version: episode.version, decision: 'assessment', reasons: 'To understand what help would work.', primaryNeedCode: 'N4' });
    const later = await services().viewFamilySocialCareEpisode(await parent('2026-11-25'), episode.id);
    expect(later.stageLabel).toBe(FAMILY_STAGE_LABELS.assessment);
    expect(later.dueDates).toEqual([{ what: 'The assessment must be finished by', dueOn: assessing.assessmentDueOn, rule: 'Within 45 working days of the referral', passed: false }]);
    expect(later.steps.map((s) => s.label)).toEqual(['Our decision on the referral']);
    expect(later.steps[0]!.text).toBe('A child and family assessment. Our reasons: To understand what help would work.');
    expect(later.submissions.map((s) => s.id)).toEqual([declined.id]);
  });

  test('under section 47 a visit cannot be declined, and the parent is told why; they send views for the conference instead', async () => {
    const episode = await referred('strategy-discussion');
    await services().recordStrategyDiscussion(await worker('2026-11-24'), episode.id, { version: episode.version, heldOn: '2026-11-24', attendees: 'Social care, police, GP', outcome: 's47', reasons: 'Reasonable cause to suspect significant harm.' });
    const view = await services().viewFamilySocialCareEpisode(await parent('2026-11-25'), episode.id);
    expect(view).toMatchObject({ stage: 's47-enquiry', voluntary: false, can: { declineVisit: false, sendViews: true }, meeting: { label: 'Initial child protection conference', dueOn: '2026-12-15' } });
    expect(view.dueDates).toEqual([{ what: 'The initial child protection conference must be held by', dueOn: '2026-12-15', rule: 'Within 15 working days of the strategy discussion', passed: false }]);

    await expect(services().declineSocialCareVisit(await parent('2026-11-25'), episode.id, { reason: 'No.' })).rejects.toMatchObject({ code: 'validation', message: NOT_VOLUNTARY_MESSAGE });
    await expect(services().sendSocialCareMeetingViews(await parent('2026-11-25'), episode.id, { parentViews: ' ', childViews: '' })).rejects.toMatchObject({ fields: { parentViews: 'Enter your views, or your child’s views' } });
    await expect(services().sendSocialCareMeetingViews(await parent('2026-11-25'), episode.id, { childViews: 'x' }, [{ fileName: 'drawing.png', data: new TextEncoder().encode('<script>') }])).rejects.toMatchObject({
      fields: { childFile: expect.stringContaining('must be a PDF') },
    });

    const sent = await services().sendSocialCareMeetingViews(await parent('2026-11-25'), episode.id, { parentViews: 'We want to work with you.', childViews: 'I want to stay with my mum.' }, [{ fileName: '../my drawing.png', data: PNG }]);
    const s47 = await stepOf(episode.id, 's47-enquiry');
    expect(sent).toMatchObject({ kind: 'views-for-meeting', socialCareStepId: s47.id });
    const documents = await db().select().from(familyDocuments).where(eq(familyDocuments.submissionId, sent.id));
    expect(documents.map((d) => d.fileName)).toEqual(['my drawing.png']);
    const staffView = await services().viewSocialCareEpisode(await worker('2026-11-25'), episode.id);
    expect(viewsForStep(staffView, s47.id)).toContain('Views from Robin Fairweather for the meeting, sent 25 November 2026: My views: We want to work with you.');
    expect(viewsForStep(staffView, s47.id)).toContain('views, in their own words: I want to stay with my mum.');
    expect(staffView.familySubmissions.find((s) => s.id === sent.id)!.documents).toHaveLength(1);
  });

  test('a shared assessment: the parent reads it and comments, with the child’s comments separately, where the social worker reads comments', async () => {
    const episode = await referred('assessment');
    await services().recordS17Consent(await worker('2026-11-25'), episode.id, { version: episode.version, step: 'assessment', consent: 'given', how: 'in-writing', recordedOn: '2026-11-25' });
    await services().recordS17Consent(await worker('2026-11-25'), episode.id, { version: episode.version, step: 'cin-plan', consent: 'given', how: 'in-writing', recordedOn: '2026-11-25' });
    await services().completeAssessment(await worker('2026-12-01'), episode.id, { version: episode.version, completedOn: '2026-12-01', outcome: 'cin-plan', summary: 'Respite would help.', educationSection: 'Educated at home; going well.', ...views });

    expect((await services().viewFamilySocialCareEpisode(await parent('2026-12-01'), episode.id)).assessment).toBeNull();
    await expect(services().commentOnSocialCareAssessment(await parent('2026-12-01'), episode.id, { comments: 'Too early.' })).rejects.toMatchObject({ message: 'There is no assessment for you to comment on yet.' });

    await services().shareAssessment(await worker('2026-12-02'), episode.id);
    const view = await services().viewFamilySocialCareEpisode(await parent('2026-12-02'), episode.id);
    expect(view.assessment).toMatchObject({ completedOn: '2026-12-01', sharedOn: '2026-12-02', summary: 'Respite would help.', educationSection: 'Educated at home; going well.', outcome: 'Child in Need plan' });
    expect(view.stage).toBe('cin-plan');
    expect(view.can).toMatchObject({ declineVisit: true, comment: true, sendViews: true });
    expect(view.letters.length).toBeGreaterThan(0);

    await expect(services().commentOnSocialCareAssessment(await parent('2026-12-03'), episode.id, { comments: '' })).rejects.toMatchObject({ fields: { comments: 'Enter your comments on the assessment' } });
    const first = await services().commentOnSocialCareAssessment(await parent('2026-12-03'), episode.id, { comments: 'Respite should be at weekends.', childComments: 'I want to go swimming.' });
    await services().commentOnSocialCareAssessment(await parent('2026-12-04'), episode.id, { comments: 'One more thing: the dates are wrong.' });
    const assessment = await stepOf(episode.id, 'assessment');
    expect(first).toMatchObject({ kind: 'assessment-comment', socialCareStepId: assessment.id });
    expect(assessment.details).toMatchObject({
      parentComments: 'Robin Fairweather: Respite should be at weekends.\n\nRobin Fairweather: One more thing: the dates are wrong.',
      childComments: expect.stringContaining(': I want to go swimming.'),
      summary: 'Respite would help.',
    });
    const events = await db().select().from(domainEvents).where(and(eq(domainEvents.aggregateId, episode.id), eq(domainEvents.type, 'social-care.assessment-comments')));
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.visibility === 'social-care')).toBe(true);
  });

  test('after closure the parent asks for written confirmation: the intake worklist shows it until the letter is sent, which the parent then reads', async () => {
    const open = await referred(null);
    await expect(services().askForWrittenClosureConfirmation(await parent(), open.id, { version: open.version })).rejects.toMatchObject({ code: 'validation' });

    const closed = await referred('nfa');
    const view = await services().viewFamilySocialCareEpisode(await parent('2026-11-25'), closed.id);
    expect(view).toMatchObject({ stage: 'closed', closed: true, can: { askForClosureConfirmation: true, declineVisit: false } });
    expect(view.dueDates).toEqual([{ what: 'We must tell you that the case is closed by', dueOn: closed.closureNoticeDueOn, rule: 'The council tells every family when a case closes', passed: false }]);

    await expect(services().askForWrittenClosureConfirmation(await parent('2026-11-25'), closed.id, { version: closed.version - 1 })).rejects.toMatchObject({ code: 'stale-version' });
    const request = await services().askForWrittenClosureConfirmation(await parent('2026-11-25'), closed.id, { version: closed.version });
    expect(request).toMatchObject({ kind: 'closure-confirmation-request', socialCareEpisodeId: closed.id, status: 'received', dueOn: '2026-12-23' });
    expect((await db().select().from(socialCareEpisodes).where(eq(socialCareEpisodes.id, closed.id)))[0]!.writtenClosureRequestedOn).toBe('2026-11-25');
    await expect(services().askForWrittenClosureConfirmation(await parent('2026-11-25'), closed.id, { version: await versionOf(closed.id) })).rejects.toMatchObject({ message: expect.stringContaining('You have already asked') });
    expect((await services().viewFamilySocialCareEpisode(await parent('2026-11-25'), closed.id)).can.askForClosureConfirmation).toBe(false);

    const work = await services().listMashWork(await mash('2026-11-26'));
    expect(work.closureConfirmationRequests.map((r) => r.reference)).toContain(request.reference);
    expect(work.dueSoon.find((d) => d.episodeId === closed.id)).toMatchObject({ what: 'The family asked for written confirmation that the case is closed', dueOn: '2026-12-23' });

    await services().requestWrittenClosure(await mash('2026-11-26'), closed.id, { version: await versionOf(closed.id) });
    expect((await services().listMashWork(await mash('2026-11-26'))).closureConfirmationRequests.map((r) => r.reference)).not.toContain(request.reference);
    const after = await services().viewFamilySocialCareEpisode(await parent('2026-11-27'), closed.id);
    expect(after.submissions.find((s) => s.id === request.id)).toMatchObject({ status: 'done', outcome: 'We sent you a letter confirming that the case is closed.' });
    const closureLetter = after.letters.find((l) => /closed/i.test(l.subject));
    expect(closureLetter).toBeDefined();
    const letter = await services().viewFamilySocialCareLetter(await parent('2026-11-27'), closed.id, closureLetter!.id);
    expect(letter.content.recipient.name).toBe('Robin Fairweather');
    // A letter from another episode is not reachable through this one.
    const [elsewhere] = await db().select().from(letters).where(eq(letters.socialCareEpisodeId, closed.id));
    await expect(services().viewFamilySocialCareLetter(await parent('2026-11-27'), open.id, elsewhere!.id)).rejects.toMatchObject({ code: 'not-found' });
  });

  test('a step withheld from the family never appears, nor any hint of it; only a social worker or team manager withholds, with a reason, version-checked', async () => {
    const episode = await referred('strategy-discussion');
    const held = await services().recordStrategyDiscussion(await worker('2026-11-24'), episode.id, { version: episode.version, heldOn: '2026-11-24', attendees: 'Police and social care', outcome: 's47', reasons: 'SECRET-REASON from the police.' });
    const strategy = await stepOf(episode.id, 'strategy-discussion');
    const s47 = await stepOf(episode.id, 's47-enquiry');
    const decision = await stepOf(episode.id, 'decision');

    await expect(services().setSocialCareStepWithheld(await mash(), episode.id, strategy.id, { version: held.version, withhold: 'yes', reason: 'Police enquiry.' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(services().setSocialCareStepWithheld(await worker(), episode.id, strategy.id, { version: held.version, withhold: 'yes', reason: '' })).rejects.toMatchObject({ fields: { reason: 'Enter why disclosing this to the family would put a child at risk' } });
    let version = held.version;
    for (const step of [decision, strategy, s47]) {
      version = (await services().setSocialCareStepWithheld(await worker(), episode.id, step.id, { version, withhold: 'yes', reason: 'Telling the family would alert the alleged abuser.' })).version;
    }
    await expect(services().setSocialCareStepWithheld(await worker(), episode.id, s47.id, { version: held.version, withhold: 'no' })).rejects.toMatchObject({ code: 'stale-version' });

    const view = await services().viewFamilySocialCareEpisode(await parent('2026-11-25'), episode.id);
    expect(view.stage).toBe('initial-enquiries');
    expect(view.steps).toEqual([]);
    expect(view.meeting).toBeNull();
    expect(view.dueDates.map((d) => d.what)).toEqual(['We must decide what happens next by']);
    const shown = JSON.stringify(view);
    for (const hidden of ['SECRET-REASON', 'strategy', 'Strategy', 's47', 'section 47', 'withheld', 'alleged abuser', strategy.id, s47.id, decision.id]) expect(shown).not.toContain(hidden);
    const listed = (await services().listFamilySocialCareEpisodes(await parent('2026-11-25'))).find((e) => e.episodeId === episode.id);
    expect(listed!.stageLabel).toBe(FAMILY_STAGE_LABELS['initial-enquiries']);
    await expect(services().sendSocialCareMeetingViews(await parent('2026-11-25'), episode.id, { parentViews: 'x' })).rejects.toMatchObject({ message: 'There is no meeting to send views for at the moment.' });

    const audits = await db().select().from(auditLog).where(eq(auditLog.action, 'social-care.step-withheld'));
    expect(audits.map((a) => a.recordId)).toEqual(expect.arrayContaining([strategy.id, s47.id, decision.id]));

    // Shown again, the family sees the decision and the stage it led to.
    await services().setSocialCareStepWithheld(await worker(), episode.id, decision.id, { version, withhold: 'no' });
    const again = await services().viewFamilySocialCareEpisode(await parent('2026-11-25'), episode.id);
    expect(again.stage).toBe('strategy-discussion');
    expect(again.steps.map((s) => s.label)).toEqual(['Our decision on the referral']);
    expect((await stepOf(episode.id, 'decision')).withheldReason).toBeNull();
  });

  test('another family’s episode, letter or document is not found, and the attempt is audited; staff cannot use the family pages', async () => {
    const episode = await referred(null);
    const other = await contextFor(db(), otherSubject, on('2026-11-23'));
    expect(await services().listFamilySocialCareEpisodes(other)).not.toContainEqual(expect.objectContaining({ episodeId: episode.id }));
    await expect(services().viewFamilySocialCareEpisode(other, episode.id)).rejects.toMatchObject({ code: 'not-found' });
    await expect(services().declineSocialCareVisit(other, episode.id, {})).rejects.toMatchObject({ code: 'not-found' });
    await expect(services().commentOnSocialCareAssessment(other, episode.id, { comments: 'x' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(services().askForWrittenClosureConfirmation(other, episode.id, { version: 1 })).rejects.toMatchObject({ code: 'not-found' });
    await expect(services().sendSocialCareMeetingViews(other, episode.id, { parentViews: 'x' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(services().viewFamilySocialCareEpisode(other, 'not-a-uuid')).rejects.toMatchObject({ code: 'not-found' });
    const refused = await db().select().from(auditLog).where(and(eq(auditLog.action, 'family.social-care.view.refused'), eq(auditLog.actorId, other.actor.id!)));
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect((await db().select().from(auditLog).where(and(eq(auditLog.action, 'family.visit-declined.refused'), eq(auditLog.actorId, other.actor.id!)))).length).toBe(1);
    await expect(services().viewFamilySocialCareEpisode(await worker(), episode.id)).rejects.toMatchObject({ code: 'forbidden' });
  });

  describe('pages', () => {
    let session: TestSession;
    let otherSession: TestSession;
    const get = (url: string, s: TestSession) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
    const post = (url: string, s: TestSession, values: Record<string, string>) =>
      t.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: s.csrfToken, ...values }).toString() });

    beforeAll(async () => {
      session = await sessionFor(db(), 'demo-parent');
      otherSession = await sessionFor(db(), otherSubject);
    });

    test('the episode pages render for the parent, keep what they typed on an error, and are not found for anyone else', async () => {
      const episode = await referred(null);
      const list = await get('/family/social-care', session);
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain(`/family/social-care/${episode.id}`);
      const page = await get(`/family/social-care/${episode.id}`, session);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Help under section 17 is voluntary');
      expect(page.body).toContain('Say no to a home visit');
      const tooLong = await post(`/family/social-care/${episode.id}/decline-visit`, session, { reason: 'x'.repeat(2001), preferInstead: 'A phone call' });
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.body).toContain('govuk-error-summary');
      expect(tooLong.body).toContain('A phone call');
      const done = await post(`/family/social-care/${episode.id}/decline-visit`, session, { reason: 'Not now.' });
      expect(done.statusCode).toBe(303);
      const shown = await get(done.headers.location as string, session);
      expect(shown.body).toMatch(/We have told the social worker that you do not agree to a home visit\. Your reference is FS-/);
      for (const url of [`/family/social-care/${episode.id}`, `/family/social-care/${episode.id}/decline-visit`, `/family/social-care/${episode.id}/assessment`, `/family/social-care/${episode.id}/views`]) {
        expect((await get(url, otherSession)).statusCode).toBe(404);
      }
      expect((await post(`/family/social-care/${episode.id}/decline-visit`, otherSession, { reason: 'x' })).statusCode).toBe(404);
      const staff = await sessionFor(db(), 'demo-social-worker');
      expect((await get(`/family/social-care/${episode.id}`, staff)).statusCode).toBe(403);
      const officer = await get(`/social-care/episodes/${episode.id}`, staff);
      expect(officer.body).toContain('The family declined a visit on');
      expect(officer.body).toContain('From the family');
    });

    test('views for a meeting are sent as a multipart form with an upload', async () => {
      const episode = await referred('strategy-discussion');
      await services().recordStrategyDiscussion(await worker('2026-11-24'), episode.id, { version: episode.version, heldOn: '2026-11-24', attendees: 'Police and social care', outcome: 's47', reasons: 'Harm suspected.' });
      const boundary = '----cairnboundary';
      const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
      const body = Buffer.concat([
        Buffer.from(part('_csrf', session.csrfToken) + part('parentViews', 'We will come to the conference.') + part('childViews', '')),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="childFile"; filename="drawing.png"\r\nContent-Type: image/png\r\n\r\n`),
        Buffer.from(PNG),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const response = await t.app.inject({ method: 'POST', url: `/family/social-care/${episode.id}/views`, headers: { cookie: session.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
      expect(response.statusCode).toBe(303);
      const page = await get(response.headers.location as string, session);
      expect(page.body).toContain('Your views have been sent for the meeting.');
      const form = await get(`/family/social-care/${episode.id}/decline-visit`, session);
      expect(form.body).toContain('You cannot say no to a visit at this stage');
    });
  });
});
