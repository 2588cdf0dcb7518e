import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { deletionReturns, formDrafts } from '../../src/db/schema/index.ts';
import { parseMultipart } from '../../src/web/routes/imports/multipart.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { sessionFor, type TestSession } from '../support/sessions.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const BOUNDARY = '----CairnTestBoundary7MA4YWxkTrZu0gW';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A multipart/form-data body as a browser sends it for the upload form. */
function multipart(fields: Record<string, string>, file?: { name: string; data: Buffer | string; type?: string }) {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'text/csv'}\r\n\r\n`), Buffer.from(file.data), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } };
}

describe('the multipart parser', () => {
  test('reads text fields and a file whose content holds CRLFs and dashes', () => {
    const data = 'a,b\r\n--not-a-boundary\r\n1,2\r\n';
    const { payload, headers } = multipart({ _csrf: 'token' }, { name: 'returns "autumn".csv', data });
    const parsed = parseMultipart(payload, headers['content-type']);
    expect(parsed.fields).toEqual({ _csrf: 'token' });
    expect(parsed['_csrf']).toBe('token');
    expect(parsed.files['file']).toMatchObject({ contentType: 'text/csv' });
    expect(parsed.files['file']!.data.toString()).toBe(data);
  });
  test('refuses a body without its boundary or cut short', () => {
    expect(() => parseMultipart(Buffer.from('x'), 'multipart/form-data')).toThrow('no multipart boundary');
    const { payload, headers } = multipart({ _csrf: 't' }, { name: 'a.csv', data: 'abc' });
    expect(() => parseMultipart(payload.subarray(0, payload.length - 30), headers['content-type'])).toThrow('ends too soon');
  });
});

describe.each(ENGINES)('the deletion returns upload pages on %s', (engine) => {
  let t: TestApp;
  let officer: TestSession;
  let school: TestSession;
  const db = () => t.runtime.database.db;
  const returnCount = async () => (await db().select({ n: count() }).from(deletionReturns))[0]!.n;

  beforeAll(async () => {
    t = await createTestApp(engine);
    officer = await sessionFor(db(), 'demo-data-officer');
    school = await sessionFor(db(), 'demo-school-user');
  });
  afterAll(async () => {
    await t?.close();
  });

  const upload = (session: TestSession, file?: { name: string; data: Buffer | string }, csrf = session.csrfToken) => {
    const { payload, headers } = multipart({ _csrf: csrf }, file);
    return t.app.inject({ method: 'POST', url: '/imports/deletion-returns', payload, headers: { ...headers, cookie: session.cookie } });
  };

  test('the upload page is a GOV.UK file upload form listing the columns', async () => {
    const page = await t.app.inject({ url: '/imports/deletion-returns', headers: { cookie: officer.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toContain('govuk-file-upload');
    expect(page.body).toContain('<code>school_urn</code> (6 digits)');
    expect(page.body).toContain('<code>parent_address_line_1</code>');
  });

  test('staff who may not import are refused, and signed-out visitors sent to sign in', async () => {
    const social = await sessionFor(db(), 'demo-social-worker');
    expect((await t.app.inject({ url: '/imports/deletion-returns', headers: { cookie: social.cookie } })).statusCode).toBe(403);
    expect((await upload(social, { name: 'r.csv', data: fixture('deletion-returns-officer-mixed.csv') })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/imports/deletion-returns' })).headers.location).toBe('/sign-in');
  });

  test('an upload without the CSRF token is refused and nothing is kept', async () => {
    const response = await upload(officer, { name: 'r.csv', data: fixture('deletion-returns-officer-mixed.csv') }, 'forged');
    expect(response.statusCode).toBe(403);
    expect(await db().select().from(formDrafts).where(eq(formDrafts.journey, 'deletion-return-import'))).toHaveLength(0);
  });

  test('no file chosen, a formula, a binary file and an oversized body are shown as errors on the upload page', async () => {
    const none = await upload(officer);
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Select a CSV file');
    const formula = await upload(officer, { name: 'f.csv', data: fixture('deletion-returns-formula.csv') });
    expect(formula.statusCode).toBe(400);
    expect(formula.body).toContain('line 3, column parent_name');
    const binary = await upload(officer, { name: 'r.xlsx', data: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 1]) });
    expect(binary.body).toContain('must be a CSV file');
    const huge = await upload(officer, { name: 'big.csv', data: Buffer.alloc(5 * 1024 * 1024 + 100_000, 'a') });
    expect(huge.statusCode).toBe(413);
    expect(huge.body).toContain('The selected file must be smaller than 5MB');
    expect(await db().select().from(formDrafts).where(eq(formDrafts.journey, 'deletion-return-import'))).toHaveLength(0);
  });

  test('upload, report with line, column and reason, then import only the valid rows', async () => {
    const before = await returnCount();
    const uploaded = await upload(officer, { name: 'autumn.csv', data: fixture('deletion-returns-officer-mixed.csv') });
    expect(uploaded.statusCode).toBe(303);
    expect(uploaded.headers.location).toBe('/imports/deletion-returns/report');
    expect(await returnCount()).toBe(before);

    const report = await t.app.inject({ url: '/imports/deletion-returns/report', headers: { cookie: officer.cookie } });
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('The file has rows with problems');
    expect(report.body).toContain('autumn.csv');
    expect(report.body).toMatch(/<th scope="row" class="govuk-table__header">4<\/th>\s*<td class="govuk-table__cell">ground<\/td>\s*<td class="govuk-table__cell">Select the ground for deletion<\/td>/);
    expect(report.body).toContain('Import only the valid rows');
    expect(report.body).toContain('Do not import anything');
    const sha256 = /name="sha256" value="([0-9a-f]{64})"/.exec(report.body)![1]!;

    const forged = await t.app.inject({ method: 'POST', url: '/imports/deletion-returns/report', payload: new URLSearchParams({ _csrf: 'nope', sha256, action: 'valid-only' }).toString(), headers: { ...FORM, cookie: officer.cookie } });
    expect(forged.statusCode).toBe(403);
    expect(await returnCount()).toBe(before);

    const imported = await t.app.inject({ method: 'POST', url: '/imports/deletion-returns/report', payload: new URLSearchParams({ _csrf: officer.csrfToken, sha256, action: 'valid-only' }).toString(), headers: { ...FORM, cookie: officer.cookie } });
    expect(imported.statusCode).toBe(303);
    expect(imported.headers.location).toBe('/imports/deletion-returns/result');
    expect(await returnCount()).toBe(before + 3);

    const result = await t.app.inject({ url: '/imports/deletion-returns/result', headers: { cookie: officer.cookie } });
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('Deletion returns imported');
    expect(result.body).toContain('3 new returns from autumn.csv');
    expect(result.body).toContain('Waiting to be matched to a child');

    // The same decision posted twice (a double click) imports nothing more.
    const again = await t.app.inject({ method: 'POST', url: '/imports/deletion-returns/report', payload: new URLSearchParams({ _csrf: officer.csrfToken, sha256, action: 'valid-only' }).toString(), headers: { ...FORM, cookie: officer.cookie } });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('The file has changed or was already dealt with');
    expect(await returnCount()).toBe(before + 3);
  });

  test('“Do not import anything” forgets the file and writes no return', async () => {
    const before = await returnCount();
    expect((await upload(school, { name: 'leavers.csv', data: fixture('deletion-returns-school.csv') })).statusCode).toBe(303);
    const report = await t.app.inject({ url: '/imports/deletion-returns/report', headers: { cookie: school.cookie } });
    expect(report.body).toContain('The file is ready to import');
    expect(report.body).toContain('Import 3 returns');
    const sha256 = /name="sha256" value="([0-9a-f]{64})"/.exec(report.body)![1]!;
    const cancelled = await t.app.inject({ method: 'POST', url: '/imports/deletion-returns/report', payload: new URLSearchParams({ _csrf: school.csrfToken, sha256, action: 'cancel' }).toString(), headers: { ...FORM, cookie: school.cookie } });
    expect(cancelled.statusCode).toBe(303);
    const page = await t.app.inject({ url: cancelled.headers.location as string, headers: { cookie: school.cookie } });
    expect(page.body).toContain('Nothing was imported');
    expect(await returnCount()).toBe(before);
    expect((await t.app.inject({ url: '/imports/deletion-returns/report', headers: { cookie: school.cookie } })).statusCode).toBe(303);
  });

  test('a school imports a whole clean file', async () => {
    const before = await returnCount();
    await upload(school, { name: 'leavers.csv', data: fixture('deletion-returns-school.csv') });
    const report = await t.app.inject({ url: '/imports/deletion-returns/report', headers: { cookie: school.cookie } });
    const sha256 = /name="sha256" value="([0-9a-f]{64})"/.exec(report.body)![1]!;
    const imported = await t.app.inject({ method: 'POST', url: '/imports/deletion-returns/report', payload: new URLSearchParams({ _csrf: school.csrfToken, sha256, action: 'all' }).toString(), headers: { ...FORM, cookie: school.cookie } });
    expect(imported.statusCode).toBe(303);
    expect(await returnCount()).toBe(before + 3);
  });
});
