import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { adults, auditLog, children, familySubmissions, socialCareSteps } from '../../src/db/schema/index.ts';
import type { HeldAboutChild, HeldItem } from '../../src/domain/family/records.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { anotherFamilysLetter, demoFamily, HIDDEN_ADDRESS, on, sendEnquiry, type DemoFamily } from './enquiries-fixtures.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;

const items = (held: Pick<HeldAboutChild, 'sections'>, sectionId: string): HeldItem[] => held.sections.find((s) => s.id === sectionId)!.groups.flatMap((g) => g.items);
const find = (held: Pick<HeldAboutChild, 'sections'>, key: string) => held.sections.flatMap((s) => s.groups.flatMap((g) => g.items)).find((i) => i.key === key);

describe.each(ENGINES)('what the council holds about a family, and corrections, on %s', (engine) => {
  let setup: Setup;
  let family: DemoFamily;
  let enquiry: Awaited<ReturnType<typeof sendEnquiry>>;
  let foreignChildId: string;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;
  const parent = (day = '2026-11-25') => contextFor(db(), 'demo-parent', on(day));
  const otherParent = (day = '2026-11-25') => contextFor(db(), family.sam.subject, on(day));
  const mash = (day = '2026-11-23') => contextFor(db(), 'demo-mash-worker', on(day));
  const lastAudit = async (action: string) => (await db().select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.seq)).limit(1))[0];

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
    family = await demoFamily(setup.runtime);
    enquiry = await sendEnquiry(setup.runtime, family, '2026-11-23');
    foreignChildId = (await anotherFamilysLetter(setup.runtime, family, '2026-11-23')).childId;
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('each item shows where it came from; the parent sees their own details in full and the other parent by name only', async () => {
    const held = await services().viewHeldAboutChild(await parent(), family.ellis.id);
    expect(held.child).toMatchObject({ id: family.ellis.id, firstName: 'Ellis' });
    expect(find(held, 'child.name')).toMatchObject({ value: expect.stringContaining('Ellis'), source: { text: 'Recorded by the council' } });
    expect(find(held, 'child.dateOfBirth')?.source.on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const school = items(held, 'schools')[0]!;
    expect(school.value).toContain('Left the roll because: a parent told the school in writing they would educate at home');
    expect(school.source.text).toMatch(/^From .+’s deletion return$/);
    const ehe = items(held, 'home-education');
    expect(ehe.find((i) => i.key === `ehe.${family.ellis.episodeId}`)?.value).toBe('The council has asked about the education');
    expect(ehe.find((i) => i.key === `ehe-opened.${family.ellis.episodeId}`)?.source.text).toBe('From the school’s deletion return');
    expect(ehe.find((i) => i.key.startsWith('ehe-step.'))).toMatchObject({ label: 'Letter asking about the education', value: 'The council asked for a reply by 14 December 2026', source: { text: 'Recorded by the council', on: '2026-11-23' } });
    expect(items(held, 'letters').map((i) => i.key)).toEqual([`letter.${enquiry.letterId}`]);

    const parents = items(held, 'parents');
    const [robin] = await db().select().from(adults).where(eq(adults.id, family.robin.adultId));
    expect(parents.find((i) => i.key === 'you.address')?.value).toContain(robin!.addressLine1);
    expect(parents.find((i) => i.key === 'you.relationship')?.value).toContain('You have parental responsibility');
    expect(parents.find((i) => i.key === `adult.${family.sam.adultId}`)).toMatchObject({ label: 'Sam Fairweather', value: 'Parent' });
    const everything = JSON.stringify(held);
    for (const hidden of [HIDDEN_ADDRESS.addressLine1, HIDDEN_ADDRESS.postcode, '07700 900123', 'sam.fairweather@family.example']) expect(everything).not.toContain(hidden);

    // The other parent sees their own details, and Robin by name and relationship only.
    const theirs = await services().viewHeldAboutChild(await otherParent(), family.ellis.id);
    expect(find(theirs, 'you.address')?.value).toContain(HIDDEN_ADDRESS.addressLine1);
    expect(find(theirs, `adult.${family.robin.adultId}`)).toMatchObject({ label: 'Robin Fairweather', value: 'Parent' });
    expect(JSON.stringify(items(theirs, 'parents'))).not.toContain(robin!.addressLine1);
    expect(items(theirs, 'letters').map((i) => i.key)).toEqual([`letter.${enquiry.otherParentLetterId}`]);

    expect(await lastAudit('family.record.view')).toMatchObject({ recordId: family.ellis.id, childId: family.ellis.id });
  });

  test('a child’s address that is a “do not disclose” parent’s address is not shown to the other parent, nor hinted at', async () => {
    const [before] = await db().select().from(children).where(eq(children.id, family.ellis.id));
    await db().update(children).set({ addressLine1: HIDDEN_ADDRESS.addressLine1, town: HIDDEN_ADDRESS.town, postcode: HIDDEN_ADDRESS.postcode }).where(eq(children.id, family.ellis.id));
    try {
      const held = await services().viewHeldAboutChild(await parent(), family.ellis.id);
      expect(find(held, 'child.address')).toBeUndefined();
      expect(JSON.stringify(held)).not.toContain(HIDDEN_ADDRESS.addressLine1);
      expect(JSON.stringify(held)).not.toMatch(/withheld|not shown|hidden/i);
      await expect(services().viewCorrectionItem(await parent(), { childId: family.ellis.id }, 'child.address')).rejects.toMatchObject({ code: 'not-found' });
      const theirs = await services().viewHeldAboutChild(await otherParent(), family.ellis.id);
      expect(find(theirs, 'child.address')?.value).toContain(HIDDEN_ADDRESS.addressLine1);
    } finally {
      await db().update(children).set({ addressLine1: before!.addressLine1, town: before!.town, postcode: before!.postcode }).where(eq(children.id, family.ellis.id));
    }
  });

  test('a social care step withheld from the family never appears: not its text, its stage, nor a gap', async () => {
    const referral = await services().receiveSocialCareReferral(await mash(), {
      childId: family.ellis.id,
      referralDate: '2026-11-23',
      referralSource: 'gp',
      referrerName: 'Dr SECRET-REFERRER',
      concerns: 'SECRET-CONCERN about bruising.',
      homeEducationOnly: 'no',
      priorConcernDocumented: 'no',
    });
    const contact = await services().recordSocialCareFamilyContact(await mash(), referral.id, { contactedOn: '2026-11-23', method: 'phone', summary: 'We called Robin to explain the referral.', childViews: 'SECRET-CHILD-VIEW' });
    const decided = await services().decideSocialCareReferral(await mash('2026-11-24'), referral.id, { version: referral.version, decision: 'strategy-discussion', reasons: 'SECRET-DECISION-REASON', primaryNeedCode: 'N1' });
    await services().recordStrategyDiscussion(await contextFor(db(), 'demo-social-worker', on('2026-11-24')), referral.id, { version: decided.version, heldOn: '2026-11-24', attendees: 'SECRET-ATTENDEES', outcome: 's47', reasons: 'SECRET-STRATEGY-REASON' });

    const open = await services().viewHeldAboutChild(await parent(), family.ellis.id);
    const shownBefore = items(open, 'social-care');
    expect(shownBefore.find((i) => i.key === `sc-stage.${referral.id}`)?.value).toBe('Section 47 enquiry');
    expect(shownBefore.map((i) => i.label)).toEqual(expect.arrayContaining(['Contact with you', 'Decision on the referral', 'Strategy discussion', 'Section 47 enquiry']));
    // Never shown even when nothing is withheld: who referred, the concerns in their words, the child's own views, who took part.
    for (const secret of ['SECRET-REFERRER', 'SECRET-CONCERN', 'SECRET-CHILD-VIEW', 'SECRET-ATTENDEES']) expect(JSON.stringify(open)).not.toContain(secret);

    const withheld = await db()
      .select()
      .from(socialCareSteps)
      .where(and(eq(socialCareSteps.episodeId, referral.id), inArray(socialCareSteps.kind, ['decision', 'strategy-discussion', 's47-enquiry'])));
    expect(withheld).toHaveLength(3);
    await db()
      .update(socialCareSteps)
      .set({ withheldFromFamily: true, withheldReason: 'Disclosure would put the child at risk.' })
      .where(inArray(socialCareSteps.id, withheld.map((s) => s.id)));

    const held = await services().viewHeldAboutChild(await parent(), family.ellis.id);
    const page = JSON.stringify(held);
    for (const secret of ['SECRET', 'withheld', 'Disclosure would put', 'ection 47', 'trategy', 's47']) expect(page).not.toContain(secret);
    const social = items(held, 'social-care');
    expect(social.map((i) => i.key)).toEqual([`sc.${referral.id}`, `sc-stage.${referral.id}`, `sc-step.${contact.id}`]);
    expect(social[1]!.value).toBe('Children’s social care is making initial enquiries');
    for (const step of withheld) {
      await expect(services().viewCorrectionItem(await parent(), { childId: family.ellis.id }, `sc-step.${step.id}`)).rejects.toMatchObject({ code: 'not-found' });
      await expect(services().requestCorrection(await parent(), { childId: family.ellis.id }, `sc-step.${step.id}`, { whatIsWrong: 'x', correction: 'y' })).rejects.toMatchObject({ code: 'not-found' });
    }

    // A correction about a visible social care item goes to social care, not the home education team.
    const sent = await services().requestCorrection(await parent(), { childId: family.ellis.id }, `sc-step.${contact.id}`, { whatIsWrong: 'It was Sam who took the call.', correction: 'We called Sam.' });
    const [row] = await db().select().from(familySubmissions).where(eq(familySubmissions.id, sent.submissionId));
    expect(row).toMatchObject({ socialCareEpisodeId: referral.id, socialCareStepId: contact.id });
    await expect(services().viewFamilySubmission(await contextFor(db(), 'demo-social-worker'), sent.submissionId)).resolves.toMatchObject({ submission: { kind: 'correction-request' } });
    await expect(services().viewFamilySubmission(await contextFor(db(), 'demo-ehe-officer'), sent.submissionId)).rejects.toMatchObject({ code: 'not-found' });
  });

  test('a correction is asked for, due one calendar month from receipt, and its status and outcome show on the same page', async () => {
    const target = { childId: family.ellis.id };
    const item = await services().viewCorrectionItem(await parent(), target, 'child.dateOfBirth');
    expect(item).toMatchObject({ section: 'About Ellis', childName: expect.stringContaining('Ellis'), item: { label: 'Date of birth' } });
    expect(await lastAudit('family.correction.view')).toMatchObject({ childId: family.ellis.id, details: { item: 'child.dateOfBirth' } });

    const before = (await db().select().from(familySubmissions)).length;
    await expect(services().requestCorrection(await parent(), target, 'child.dateOfBirth', { whatIsWrong: ' ', correction: '' })).rejects.toMatchObject({
      code: 'validation',
      fields: { whatIsWrong: 'Tell us what is wrong', correction: 'Tell us what it should say' },
    });
    await expect(services().requestCorrection(await parent(), target, 'child.nonsense', { whatIsWrong: 'a', correction: 'b' })).rejects.toMatchObject({ code: 'not-found' });
    const [mine] = await db().select().from(familySubmissions).where(eq(familySubmissions.adultId, family.robin.adultId)).limit(1);
    if (mine) await expect(services().requestCorrection(await parent(), target, `sent.${mine.id}`, { whatIsWrong: 'a', correction: 'b' })).rejects.toMatchObject({ code: 'not-found' });
    expect((await db().select().from(familySubmissions)).length).toBe(before);

    const sent = await services().requestCorrection(await parent('2026-11-25'), target, 'child.dateOfBirth', { whatIsWrong: 'The day and month are the wrong way round.', correction: 'It should be the 6th of March.' });
    expect(sent).toMatchObject({ dueOn: '2026-12-25', childId: family.ellis.id });
    const [row] = await db().select().from(familySubmissions).where(eq(familySubmissions.id, sent.submissionId));
    expect(row).toMatchObject({ kind: 'correction-request', status: 'received', dueOn: '2026-12-25', childId: family.ellis.id });
    expect(row!.details).toMatchObject({ itemKey: 'child.dateOfBirth', itemLabel: 'About Ellis: Date of birth', whatIsWrong: 'The day and month are the wrong way round.', correction: 'It should be the 6th of March.' });
    expect((row!.details as { valueShown: string }).valueShown).toContain('Recorded by the council');

    let held = await services().viewHeldAboutChild(await parent(), family.ellis.id);
    expect(held.corrections[0]).toMatchObject({ id: sent.submissionId, status: 'received', dueOn: '2026-12-25', itemLabel: 'About Ellis: Date of birth', outcome: null });

    const officer = await contextFor(db(), 'demo-ehe-officer', on('2026-11-30'));
    await services().handleFamilySubmission(officer, sent.submissionId, { status: 'corrected', outcome: 'We have corrected the date of birth.', version: row!.version });
    held = await services().viewHeldAboutChild(await parent(), family.ellis.id);
    expect(held.corrections[0]).toMatchObject({ status: 'corrected', outcome: 'We have corrected the date of birth.' });
    // The other parent does not see Robin's request.
    expect((await services().viewHeldAboutChild(await otherParent(), family.ellis.id)).corrections.map((c) => c.id)).not.toContain(sent.submissionId);

    // From the end of January the month ends on the last day of February.
    const late = await services().requestCorrection(await parent('2027-01-31'), { childId: null }, 'you.email', { whatIsWrong: 'Old address.', correction: 'robin@family.example' });
    expect(late).toMatchObject({ dueOn: '2027-02-28', childId: null });
    const you = await services().viewHeldAboutYou(await parent('2027-01-31'));
    expect(you.corrections.map((c) => c.id)).toEqual([late.submissionId]);
    expect(you.sections.map((s) => s.id)).toEqual(['your-details', 'contact', 'your-children']);
    expect(await lastAudit('family.record.view-self')).toMatchObject({ recordId: family.robin.adultId });
  });

  test('the parent’s own submissions appear on the timeline; the other parent’s and their letters do not', async () => {
    const robinsReply = await services().replyInWriting(await parent(), enquiry.letterId, { reply: 'A reply from Robin.' }, []);
    const samsReply = await services().replyInWriting(await otherParent(), enquiry.otherParentLetterId, { reply: 'A reply from Sam.' }, []);
    const held = await services().viewHeldAboutChild(await parent(), family.ellis.id);
    const timeline = JSON.stringify(held.timeline);
    expect(held.timeline.find((i) => i.label.startsWith('Written reply received'))?.source.text).toBe('From you');
    expect(held.timeline.filter((i) => i.label.startsWith('Written reply received'))).toHaveLength(1);
    expect(timeline).not.toContain('Sam Fairweather');
    expect(items(held, 'sent').map((i) => i.key)).toContain(`sent.${robinsReply.submissionId}`);
    expect(items(held, 'sent').map((i) => i.key)).not.toContain(`sent.${samsReply.submissionId}`);
  });

  test('another family’s child is “not found” and audited; staff cannot use the family’s record pages', async () => {
    await expect(services().viewHeldAboutChild(await parent(), foreignChildId)).rejects.toMatchObject({ code: 'not-found' });
    expect(await lastAudit('family.record.view.refused')).toMatchObject({ details: { reason: 'not-found' } });
    await expect(services().viewCorrectionItem(await parent(), { childId: foreignChildId }, 'child.name')).rejects.toMatchObject({ code: 'not-found' });
    await expect(services().requestCorrection(await parent(), { childId: foreignChildId }, 'child.name', { whatIsWrong: 'a', correction: 'b' })).rejects.toMatchObject({ code: 'not-found' });
    for (const subject of ['demo-ehe-officer', 'demo-social-worker', 'demo-school-user']) {
      const ctx = await contextFor(db(), subject);
      await expect(services().viewHeldAboutChild(ctx, family.ellis.id)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(services().viewHeldAboutYou(ctx)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(services().requestCorrection(ctx, { childId: family.ellis.id }, 'child.name', { whatIsWrong: 'a', correction: 'b' })).rejects.toMatchObject({ code: 'forbidden' });
    }
  });
});
