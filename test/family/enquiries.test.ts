import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { auditLog, familyDocuments, familySubmissions } from '../../src/db/schema/index.ts';
import { MAX_UPLOAD_BYTES } from '../../src/domain/family/core.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { anotherFamilysLetter, demoFamily, FILES, on, sendEnquiry, type DemoFamily } from './enquiries-fixtures.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;

describe.each(ENGINES)('a parent’s letters and replies to an enquiry, on %s', (engine) => {
  let setup: Setup;
  let family: DemoFamily;
  let enquiry: Awaited<ReturnType<typeof sendEnquiry>>;
  let foreign: Awaited<ReturnType<typeof anotherFamilysLetter>>;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;
  const parent = (day = '2026-11-24') => contextFor(db(), 'demo-parent', on(day));
  const otherParent = (day = '2026-11-24') => contextFor(db(), family.sam.subject, on(day));
  const officer = (day = '2026-11-24') => contextFor(db(), 'demo-ehe-officer', on(day));
  const lastAudit = async (action: string) => (await db().select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.seq)).limit(1))[0];
  const submissionCount = async () => (await db().select({ id: familySubmissions.id }).from(familySubmissions)).length;

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
    family = await demoFamily(setup.runtime);
    enquiry = await sendEnquiry(setup.runtime, family, '2026-11-23');
    foreign = await anotherFamilysLetter(setup.runtime, family, '2026-11-23');
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('a parent sees only the letters written to them, with the reply date, and reading one is audited', async () => {
    const list = await services().listFamilyLetters(await parent());
    const ids = list.map((l) => l.id);
    expect(ids).toContain(enquiry.letterId);
    expect(ids).not.toContain(enquiry.otherParentLetterId);
    expect(ids).not.toContain(foreign.letterId);
    const mine = list.find((l) => l.id === enquiry.letterId)!;
    expect(mine).toMatchObject({ answerable: true, replied: false, replyBy: enquiry.replyBy, childId: family.ellis.id, service: 'home-education' });

    const letter = await services().viewFamilyLetter(await parent(), enquiry.letterId);
    expect(letter.reply).toMatchObject({ rights: 'informal-enquiry', meeting: true, replyBy: '2026-12-14', late: false });
    expect(letter.content.subject).toContain('Ellis');
    expect(await lastAudit('family.letter.view')).toMatchObject({ recordId: enquiry.letterId, childId: family.ellis.id });

    const { pdf, fileName } = await services().familyLetterPdf(await parent(), enquiry.letterId);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(fileName).toMatch(/^letter-EHE-.+\.pdf$/);
    expect(await lastAudit('family.letter.download')).toMatchObject({ recordId: enquiry.letterId });
  });

  test('another parent’s letter and another family’s letter are “not found”, and the attempt is audited', async () => {
    for (const letterId of [enquiry.otherParentLetterId, foreign.letterId, 'not-a-uuid']) {
      await expect(services().viewFamilyLetter(await parent(), letterId)).rejects.toMatchObject({ code: 'not-found' });
      await expect(services().familyLetterPdf(await parent(), letterId)).rejects.toMatchObject({ code: 'not-found' });
      await expect(services().replyInWriting(await parent(), letterId, { reply: 'Hello' }, [])).rejects.toMatchObject({ code: 'not-found' });
      await expect(services().declineVisit(await parent(), letterId, {})).rejects.toMatchObject({ code: 'not-found' });
    }
    expect(await lastAudit('family.letter.view.refused')).toMatchObject({ recordType: 'family', details: { reason: 'not-found' } });
    expect(await lastAudit('family.visit-declined.refused')).toBeDefined();
    // The other parent reads their own letter, but not Robin's.
    await expect(services().viewFamilyLetter(await otherParent(), enquiry.otherParentLetterId)).resolves.toMatchObject({ id: enquiry.otherParentLetterId });
    await expect(services().viewFamilyLetter(await otherParent(), enquiry.letterId)).rejects.toMatchObject({ code: 'not-found' });
  });

  test('staff, schools and partners cannot use the family’s use cases', async () => {
    for (const subject of ['demo-ehe-officer', 'demo-school-user', 'demo-health-visitor', 'demo-administrator']) {
      const ctx = await contextFor(db(), subject, on('2026-11-24'));
      await expect(services().listFamilyLetters(ctx)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(services().viewFamilyLetter(ctx, enquiry.letterId)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(services().replyInWriting(ctx, enquiry.letterId, { reply: 'x' }, [])).rejects.toMatchObject({ code: 'forbidden' });
      await expect(services().chooseMeeting(ctx, enquiry.letterId, { where: 'phone', when: 'Any time' })).rejects.toMatchObject({ code: 'forbidden' });
    }
    expect(await lastAudit('family.meeting-chosen.refused')).toMatchObject({ details: { reason: 'forbidden' } });
  });

  test('uploads are checked by content, size and number, names are made safe, and nothing is saved when any is wrong', async () => {
    const before = await submissionCount();
    const parentCtx = await parent();
    const tryWith = (files: { fileName: string; data: Uint8Array }[], reply?: string) => services().replyInWriting(parentCtx, enquiry.letterId, { reply: reply ?? 'Our weekly plan is attached.' }, files);

    await expect(tryWith([{ fileName: 'report.pdf', data: FILES.png() }])).rejects.toMatchObject({ code: 'validation', fields: { documents: expect.stringContaining('The selected file report.pdf must be a PDF, JPG, PNG') } });
    await expect(tryWith([{ fileName: 'setup.exe', data: new Uint8Array([0x4d, 0x5a, 0x90, 0x00]) }])).rejects.toMatchObject({ fields: { documents: expect.stringContaining('must be a PDF') } });
    const tooBig = new Uint8Array(MAX_UPLOAD_BYTES + 1);
    tooBig.set(FILES.pdf());
    await expect(tryWith([{ fileName: 'big.pdf', data: tooBig }])).rejects.toMatchObject({ fields: { documents: 'The selected file big.pdf must be smaller than 10MB' } });
    await expect(tryWith([{ fileName: 'empty.pdf', data: new Uint8Array() }])).rejects.toMatchObject({ fields: { documents: 'The selected file empty.pdf is empty' } });
    await expect(tryWith([{ fileName: 'a.pdf', data: FILES.png() }, { fileName: 'b.pdf', data: new Uint8Array() }])).rejects.toMatchObject({
      fields: { documents: expect.stringContaining('a.pdf must be a PDF'), 'documents-2': 'The selected file b.pdf is empty' },
    });
    const six = Array.from({ length: 6 }, (_, i) => ({ fileName: `page-${i + 1}.pdf`, data: FILES.pdf() }));
    await expect(tryWith(six)).rejects.toMatchObject({ fields: { documents: 'Select up to 5 files' } });
    await expect(tryWith([], '   ')).rejects.toMatchObject({ fields: { reply: 'Enter your reply, or choose a file to send' } });
    await expect(tryWith([], 'x'.repeat(10_001))).rejects.toMatchObject({ fields: { reply: 'Your reply must be 10,000 characters or fewer' } });
    expect(await submissionCount()).toBe(before);

    // Hostile names are stored safely: no path, no markup, no control characters.
    const sent = await tryWith([
      { fileName: '../../etc/passwd.txt', data: FILES.text() },
      { fileName: '<script>alert(1)</script>\u202Egpj.pdf', data: FILES.pdf() },
      { fileName: '', data: new Uint8Array() },
    ]);
    expect(sent.documents).toBe(2);
    const docs = await db().select().from(familyDocuments).where(eq(familyDocuments.submissionId, sent.submissionId));
    expect(docs.map((d) => d.fileName).sort()).toEqual(['passwd.txt', 'scriptgpj.pdf']);
    expect(docs.find((d) => d.fileName === 'passwd.txt')).toMatchObject({ mediaType: 'text/plain', childId: family.ellis.id, adultId: family.robin.adultId });
  });

  test('a written reply with a PDF is linked to the episode, step and letter, and the officer sees it with a download', async () => {
    const sent = await services().replyInWriting(await parent(), enquiry.letterId, { reply: 'Ellis follows a weekly plan.\r\nWe would rather reply in writing.' }, [{ fileName: 'Ellis weekly plan.pdf', data: FILES.pdf() }]);
    expect(sent).toMatchObject({ kind: 'enquiry-reply', late: false, documents: 1, letterId: enquiry.letterId });
    expect(sent.reference).toMatch(/^FS-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const [row] = await db().select().from(familySubmissions).where(eq(familySubmissions.id, sent.submissionId));
    expect(row).toMatchObject({ kind: 'enquiry-reply', status: 'received', childId: family.ellis.id, eheEpisodeId: family.ellis.episodeId, eheStepId: enquiry.stepId, letterId: enquiry.letterId, adultId: family.robin.adultId });
    expect((row!.details as { lines: { label: string; value: string }[] }).lines).toEqual(
      expect.arrayContaining([{ label: 'Your reply', value: 'Ellis follows a weekly plan.\nWe would rather reply in writing.' }, expect.objectContaining({ label: 'Letter' })]),
    );
    expect(await lastAudit('family.enquiry-reply')).toMatchObject({ recordId: sent.submissionId, childId: family.ellis.id });
    expect(await lastAudit('family.documents.upload')).toMatchObject({ recordId: sent.submissionId });

    const items = await services().listEheEpisodeFamilyItems(await officer(), family.ellis.episodeId);
    const item = items.find((i) => i.id === sent.submissionId)!;
    expect(item).toMatchObject({ kind: 'enquiry-reply', kindLabel: 'Reply to an enquiry', fromName: 'Robin Fairweather', late: false });
    expect(item.documents).toHaveLength(1);
    expect(await lastAudit('family-submissions.list-episode')).toMatchObject({ recordId: family.ellis.episodeId, childId: family.ellis.id });
    const download = await services().downloadFamilyDocument(await officer(), item.documents[0]!.id);
    expect(Buffer.from(download.content).subarray(0, 5).toString()).toBe('%PDF-');
    // The parent who sent it can download it; the other parent and another family cannot.
    await expect(services().downloadFamilyDocument(await parent(), item.documents[0]!.id)).resolves.toMatchObject({ fileName: 'Ellis weekly plan.pdf' });
    await expect(services().downloadFamilyDocument(await otherParent(), item.documents[0]!.id)).rejects.toMatchObject({ code: 'not-found' });
    // The letter now shows the reply.
    const letter = await services().viewFamilyLetter(await parent(), enquiry.letterId);
    expect(letter.replies.map((r) => r.id)).toContain(sent.submissionId);
    expect((await services().listFamilyLetters(await parent())).find((l) => l.id === enquiry.letterId)).toMatchObject({ replied: true });
    // Schools and partners cannot read the family's replies on the episode.
    await expect(services().listEheEpisodeFamilyItems(await contextFor(db(), 'demo-school-user'), family.ellis.episodeId)).rejects.toMatchObject({ code: 'forbidden' });
    expect(await lastAudit('family-submissions.list-episode.refused')).toBeDefined();
  });

  test('a meeting is chosen and a visit declined, each checked and recorded with the letter', async () => {
    await expect(services().chooseMeeting(await parent(), enquiry.letterId, { when: '' })).rejects.toMatchObject({ fields: { where: 'Select where you would like to meet', when: 'Enter the days and times that suit you' } });
    await expect(services().chooseMeeting(await parent(), enquiry.letterId, { where: 'elsewhere', when: 'Tuesday mornings' })).rejects.toMatchObject({ fields: { place: 'Enter where you would like to meet, for example a library or council office' } });
    const meeting = await services().chooseMeeting(await parent(), enquiry.letterId, { where: 'elsewhere', place: 'Brackenthwaite library', when: 'Tuesday mornings', notes: 'I will bring a friend.' });
    const [m] = await db().select().from(familySubmissions).where(eq(familySubmissions.id, meeting.submissionId));
    expect(m).toMatchObject({ kind: 'meeting-chosen', eheEpisodeId: family.ellis.episodeId, letterId: enquiry.letterId });
    expect(m!.details).toMatchObject({ where: 'elsewhere', place: 'Brackenthwaite library', when: 'Tuesday mornings' });

    const declined = await services().declineVisit(await parent(), enquiry.letterId, { reason: '  We prefer to send written reports.  ' });
    const [d] = await db().select().from(familySubmissions).where(eq(familySubmissions.id, declined.submissionId));
    expect(d).toMatchObject({ kind: 'visit-declined', eheStepId: enquiry.stepId });
    expect((d!.details as { reason: string }).reason).toBe('We prefer to send written reports.');
    const withoutReason = await services().declineVisit(await parent(), enquiry.letterId, {});
    expect(withoutReason.kind).toBe('visit-declined');
  });

  test('a reply after the reply date is accepted and marked late, never refused', async () => {
    const late = await services().replyInWriting(await parent('2026-12-20'), enquiry.letterId, { reply: 'Sorry this is late.' }, []);
    expect(late).toMatchObject({ late: true, replyBy: '2026-12-14' });
    const [row] = await db().select().from(familySubmissions).where(eq(familySubmissions.id, late.submissionId));
    expect((row!.details as { lines: { label: string; value: string }[] }).lines).toContainEqual({ label: 'When it arrived', value: 'After the reply date, 14 December 2026' });
    const view = await services().viewFamilyLetter(await parent('2026-12-20'), enquiry.letterId);
    expect(view.reply).toMatchObject({ late: true });
    const items = await services().listEheEpisodeFamilyItems(await officer('2026-12-20'), family.ellis.episodeId);
    expect(items.find((i) => i.id === late.submissionId)).toMatchObject({ late: true });
  });

  test('a letter that offers no meeting takes a written reply only', async () => {
    const ctx = await officer('2026-12-21');
    const view = await services().viewEheEpisode(ctx, family.ellis.episodeId);
    const info = await services().recordInformation(ctx, family.ellis.episodeId, { version: view.episode.version, kind: 'written-report', response: 'received', receivedOn: '2026-12-20', summary: 'A written reply with a weekly plan.' });
    await services().recordJudgement(ctx, family.ellis.episodeId, {
      version: info.version,
      efficient: 'yes',
      fullTime: 'yes',
      suitableToAgeAbilityAptitude: 'yes',
      suitableToSen: 'not-applicable',
      evidence: ['written-report'],
      reasoning: 'The plan shows a broad curriculum.',
      outcome: 'suitable',
    });
    const outcome = (await services().listFamilyLetters(await parent('2026-12-22'))).find((l) => l.subject.startsWith('Our decision'))!;
    expect(outcome).toMatchObject({ answerable: true, replyBy: null });
    await expect(services().chooseMeeting(await parent('2026-12-22'), outcome.id, { where: 'phone', when: 'Any time' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(services().declineVisit(await parent('2026-12-22'), outcome.id, {})).rejects.toMatchObject({ code: 'not-found' });
    await expect(services().replyInWriting(await parent('2026-12-22'), outcome.id, { reply: 'Thank you.' }, [])).resolves.toMatchObject({ kind: 'enquiry-reply', late: false });
  });
});
