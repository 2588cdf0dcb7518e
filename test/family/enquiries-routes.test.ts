import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { familyDocuments, familySubmissions, socialCareSteps } from '../../src/db/schema/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { sessionFor, type TestSession } from '../support/sessions.ts';
import { contextFor } from '../support/actors.ts';
import { anotherFamilysLetter, demoFamily, FILES, on, sendEnquiry, type DemoFamily } from './enquiries-fixtures.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

/** A multipart/form-data body as a browser sends it, with several files under one name. */
function multipart(fields: Record<string, string>, files: { name: string; fileName: string; type: string; data: Uint8Array }[]) {
  const boundary = '----cairnFamilyReply7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.fileName}"\r\nContent-Type: ${f.type}\r\n\r\n`), Buffer.from(f.data), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(ENGINES)('the family’s letter, reply and record pages, on %s', (engine) => {
  let t: TestApp;
  let family: DemoFamily;
  let parent: TestSession;
  let otherParent: TestSession;
  let officer: TestSession;
  let enquiry: Awaited<ReturnType<typeof sendEnquiry>>;
  let foreign: Awaited<ReturnType<typeof anotherFamilysLetter>>;
  const db = () => t.runtime.database.db;
  const get = (url: string, session: TestSession) => t.app.inject({ url, headers: { cookie: session.cookie } });

  beforeAll(async () => {
    t = await createTestApp(engine);
    family = await demoFamily(t.runtime);
    // Sent "today", so the reply date is still ahead whatever day the tests run.
    const today = new Date().toISOString().slice(0, 10);
    enquiry = await sendEnquiry(t.runtime, family, today);
    foreign = await anotherFamilysLetter(t.runtime, family, today);
    parent = await sessionFor(db(), 'demo-parent');
    otherParent = await sessionFor(db(), family.sam.subject);
    officer = await sessionFor(db(), 'demo-ehe-officer');
  });
  afterAll(async () => {
    await t?.close();
  });

  test('the parent reads their letters and a letter, with its PDF and the way to reply', async () => {
    const list = await get('/family/letters', parent);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`/family/letters/${enquiry.letterId}`);
    expect(list.body).not.toContain(enquiry.otherParentLetterId);
    expect(list.body).toContain('Reply asked for');
    const page = await get(`/family/letters/${enquiry.letterId}`, parent);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Reply to this letter');
    expect(page.body).toContain('What we are asking for');
    const pdf = await get(`/family/letters/${enquiry.letterId}.pdf`, parent);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const rights = await get(`/family/letters/${enquiry.letterId}/reply`, parent);
    expect(rights.body).toContain('You do not have to follow the National Curriculum');
    expect(rights.body).toContain('You do not have to agree to a home visit');
  });

  test('another family’s or parent’s letter, child, document or reply is “not found” by any address; staff are refused', async () => {
    for (const url of [
      `/family/letters/${foreign.letterId}`,
      `/family/letters/${foreign.letterId}.pdf`,
      `/family/letters/${foreign.letterId}/reply`,
      `/family/letters/${foreign.letterId}/reply/writing`,
      `/family/letters/${foreign.letterId}/reply/meeting`,
      `/family/letters/${enquiry.otherParentLetterId}`,
      `/family/children/${foreign.childId}`,
      `/family/children/${foreign.childId}/correction?item=child.name`,
      `/family/children/not-a-child`,
    ]) {
      const response = await get(url, parent);
      expect(response.statusCode, url).toBe(404);
      expect(response.body).toContain('Page not found');
    }
    const posted = await t.app.inject({ method: 'POST', url: `/family/letters/${foreign.letterId}/reply/decline-visit`, headers: { cookie: parent.cookie, ...FORM }, payload: form({ _csrf: parent.csrfToken }) });
    expect(posted.statusCode).toBe(404);
    const sams = await t.runtime.services.replyInWriting(await contextFor(db(), family.sam.subject), enquiry.otherParentLetterId, { reply: 'From Sam' }, [{ fileName: 'sam.pdf', data: FILES.pdf() }]);
    const [samsDocument] = await db().select().from(familyDocuments).where(eq(familyDocuments.submissionId, sams.submissionId));
    for (const url of [`/family/documents/${samsDocument!.id}`, `/family/sent/${sams.submissionId}`, `/family/letters/${enquiry.otherParentLetterId}/replies/${sams.submissionId}`, `/family/letters/${enquiry.letterId}/replies/${sams.submissionId}`]) {
      expect((await get(url, parent)).statusCode, url).toBe(404);
    }
    expect((await get(`/family/documents/${samsDocument!.id}`, otherParent)).statusCode).toBe(200);
    for (const url of ['/family/letters', `/family/children/${family.ellis.id}`, '/family/about-you']) expect((await get(url, officer)).statusCode, url).toBe(403);
  });

  test('a written reply with a wrong file keeps what was typed; with a PDF it is sent, confirmed, and shown to the officer', async () => {
    const url = `/family/letters/${enquiry.letterId}/reply/writing`;
    expect((await get(url, parent)).body).toContain('enctype="multipart/form-data"');
    const before = (await db().select().from(familySubmissions).where(eq(familySubmissions.adultId, family.robin.adultId))).length;

    const wrong = multipart({ _csrf: parent.csrfToken, reply: 'Ellis reads every day & writes a diary.' }, [{ name: 'documents', fileName: 'diary.pdf', type: 'application/pdf', data: FILES.png() }]);
    const refused = await t.app.inject({ method: 'POST', url, headers: { cookie: parent.cookie, ...wrong.headers }, payload: wrong.payload });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('There is a problem');
    expect(refused.body).toContain('The selected file diary.pdf must be a PDF, JPG, PNG');
    expect(refused.body).toContain('href="#documents"');
    expect(refused.body).toContain('Ellis reads every day &amp; writes a diary.');
    expect(refused.body).toContain('Choose them again');
    expect((await db().select().from(familySubmissions).where(eq(familySubmissions.adultId, family.robin.adultId))).length).toBe(before);

    const broken = multipart({ _csrf: parent.csrfToken, reply: 'Cut short' }, [{ name: 'documents', fileName: 'diary.pdf', type: 'application/pdf', data: FILES.pdf() }]);
    const cut = await t.app.inject({ method: 'POST', url, headers: { cookie: parent.cookie, ...broken.headers }, payload: broken.payload.subarray(0, broken.payload.length - 40) });
    expect(cut.statusCode).toBe(400);
    expect(cut.body).toContain('The selected files could not be read. Choose them again');

    const noToken = multipart({ reply: 'No token' }, []);
    expect((await t.app.inject({ method: 'POST', url, headers: { cookie: parent.cookie, ...noToken.headers }, payload: noToken.payload })).statusCode).toBe(403);

    const good = multipart({ _csrf: parent.csrfToken, reply: 'Ellis reads every day and writes a diary.' }, [
      { name: 'documents', fileName: 'diary.pdf', type: 'application/pdf', data: FILES.pdf() },
      { name: 'documents', fileName: 'timetable.txt', type: 'text/plain', data: FILES.text() },
    ]);
    const sent = await t.app.inject({ method: 'POST', url, headers: { cookie: parent.cookie, ...good.headers }, payload: good.payload });
    expect(sent.statusCode).toBe(303);
    const confirmation = await get(sent.headers.location as string, parent);
    expect(confirmation.statusCode).toBe(200);
    expect(confirmation.body).toContain('Reply sent');
    const reference = /FS-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(confirmation.body)![0];
    const [row] = await db().select().from(familySubmissions).where(eq(familySubmissions.reference, reference));
    const documents = await db().select().from(familyDocuments).where(eq(familyDocuments.submissionId, row!.id));
    expect(documents.map((d) => d.fileName).sort()).toEqual(['diary.pdf', 'timetable.txt']);

    const episode = await get(`/home-education/episodes/${family.ellis.episodeId}`, officer);
    expect(episode.statusCode).toBe(200);
    expect(episode.body).toContain('From the family');
    expect(episode.body).toContain(reference);
    expect(episode.body).toContain('Ellis reads every day and writes a diary.');
    expect(episode.body).toContain(`/family-items/${row!.id}`);
    for (const d of documents) expect(episode.body).toContain(`/family/documents/${d.id}`);
    const download = await get(`/family/documents/${documents.find((d) => d.fileName === 'diary.pdf')!.id}`, officer);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
  });

  test('choosing how to reply, a meeting and a declined visit: errors in GOV.UK style, then confirmation', async () => {
    const choice = `/family/letters/${enquiry.letterId}/reply`;
    const none = await t.app.inject({ method: 'POST', url: choice, headers: { cookie: parent.cookie, ...FORM }, payload: form({ _csrf: parent.csrfToken }) });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Select how you want to reply');
    const meetingChoice = await t.app.inject({ method: 'POST', url: choice, headers: { cookie: parent.cookie, ...FORM }, payload: form({ _csrf: parent.csrfToken, how: 'meeting' }) });
    expect(meetingChoice.headers.location).toBe(`/family/letters/${enquiry.letterId}/reply/meeting`);

    const meeting = `/family/letters/${enquiry.letterId}/reply/meeting`;
    const bad = await t.app.inject({ method: 'POST', url: meeting, headers: { cookie: parent.cookie, ...FORM }, payload: form({ _csrf: parent.csrfToken, where: 'elsewhere', when: '', notes: 'Step-free access, please.' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter where you would like to meet, for example a library or council office');
    expect(bad.body).toContain('Enter the days and times that suit you');
    expect(bad.body).toContain('Step-free access, please.');
    const good = await t.app.inject({ method: 'POST', url: meeting, headers: { cookie: parent.cookie, ...FORM }, payload: form({ _csrf: parent.csrfToken, where: 'video', when: 'Weekday mornings' }) });
    expect(good.statusCode).toBe(303);
    expect((await get(good.headers.location as string, parent)).body).toContain('Meeting request sent');

    const decline = await t.app.inject({ method: 'POST', url: `/family/letters/${enquiry.letterId}/reply/decline-visit`, headers: { cookie: parent.cookie, ...FORM }, payload: form({ _csrf: parent.csrfToken, reason: 'We prefer to write.' }) });
    expect(decline.statusCode).toBe(303);
    const confirmed = await get(decline.headers.location as string, parent);
    expect(confirmed.body).toContain('Visit declined');
    expect(confirmed.body).toContain('You can still send information about the education in writing');
  });

  test('the record page shows sources and correction links, never a withheld step; a correction is asked for and listed', async () => {
    const mash = await contextFor(db(), 'demo-mash-worker', on(new Date().toISOString().slice(0, 10)));
    const today = new Date().toISOString().slice(0, 10);
    const referral = await t.runtime.services.receiveSocialCareReferral(mash, { childId: family.ellis.id, referralDate: today, referralSource: 'police', referrerName: 'PC Example', concerns: 'Concerns.', homeEducationOnly: 'no', priorConcernDocumented: 'no' });
    const step = await t.runtime.services.recordSocialCareFamilyContact(mash, referral.id, { contactedOn: today, method: 'phone', summary: 'WITHHELD-STEP-TEXT about a sibling.' });
    await db().update(socialCareSteps).set({ withheldFromFamily: true, withheldReason: 'Risk to the child' }).where(eq(socialCareSteps.id, step.id));

    const page = await get(`/family/children/${family.ellis.id}`, parent);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('What the council holds about Ellis');
    expect(page.body).toContain('Ask us to correct this');
    expect(page.body).toContain('Recorded by the council');
    expect(page.body).not.toContain('WITHHELD-STEP-TEXT');
    expect(page.body).not.toMatch(/withheld|Risk to the child/i);

    const formUrl = `/family/children/${family.ellis.id}/correction?item=child.sex`;
    const formPage = await get(formUrl, parent);
    expect(formPage.statusCode).toBe(200);
    expect(formPage.body).toContain('What is wrong?');
    const post = `/family/children/${family.ellis.id}/correction`;
    const empty = await t.app.inject({ method: 'POST', url: post, headers: { cookie: parent.cookie, ...FORM }, payload: form({ _csrf: parent.csrfToken, item: 'child.sex', whatIsWrong: 'Wrong sex recorded.', correction: '' }) });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Tell us what it should say');
    expect(empty.body).toContain('Wrong sex recorded.');
    const sent = await t.app.inject({ method: 'POST', url: post, headers: { cookie: parent.cookie, ...FORM }, payload: form({ _csrf: parent.csrfToken, item: 'child.sex', whatIsWrong: 'Wrong sex recorded.', correction: 'Male' }) });
    expect(sent.statusCode).toBe(303);
    const confirmation = await get(sent.headers.location as string, parent);
    expect(confirmation.body).toContain('Request sent');
    const reference = /FS-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(confirmation.body)![0];
    const again = await get(`/family/children/${family.ellis.id}`, parent);
    expect(again.body).toContain('Your requests for corrections');
    expect(again.body).toContain(reference);
    expect(again.body).toContain('We will reply by');
    expect((await get(`/family/corrections/${(await db().select().from(familySubmissions).where(eq(familySubmissions.reference, reference)))[0]!.id}`, otherParent)).statusCode).toBe(404);

    const you = await get('/family/about-you', parent);
    expect(you.statusCode).toBe(200);
    expect(you.body).toContain('What the council holds about you');
    expect(you.body).toContain('/family/about-you/correction?item=you.email');
  });
});
