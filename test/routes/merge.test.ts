import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq, isNull } from 'drizzle-orm';
import { childMerges, children } from '../../src/db/schema/index.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { sessionFor } from '../support/sessions.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

describe('merging duplicate records in the browser pages (PGlite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => {
    await t?.close();
  });

  test('an officer compares two records, merges them choosing values, sees where each came from, and undoes it', async () => {
    const db = t.runtime.database.db;
    const [a, b] = await db.select().from(children).where(isNull(children.mergedInto)).orderBy(children.laChildId).limit(2).offset(30);
    const officer = await sessionFor(db, 'demo-data-officer');
    const start = await t.app.inject({ url: `/children/${a!.id}/merge`, headers: { cookie: officer.cookie } });
    expect(start.statusCode).toBe(200);
    const unknown = await t.app.inject({ url: `/children/${a!.id}/merge?with=NS000`, headers: { cookie: officer.cookie } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('No record has that council reference');
    const compare = await t.app.inject({ url: `/children/${a!.id}/merge?with=${b!.laChildId}`, headers: { cookie: officer.cookie } });
    expect(compare.statusCode).toBe(200);
    expect(compare.body).toContain(`From the duplicate (${b!.laChildId})`);
    const noReason = await t.app.inject({
      method: 'POST',
      url: `/children/${a!.id}/merge`,
      headers: { cookie: officer.cookie, ...FORM },
      payload: form({ _csrf: officer.csrfToken, reference: b!.laChildId, survivorVersion: String(a!.version), mergedVersion: String(b!.version), name: 'merged' }),
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Enter why these are the same child');
    const merged = await t.app.inject({
      method: 'POST',
      url: `/children/${a!.id}/merge`,
      headers: { cookie: officer.cookie, ...FORM },
      payload: form({ _csrf: officer.csrfToken, reference: b!.laChildId, survivorVersion: String(a!.version), mergedVersion: String(b!.version), name: 'merged', reason: 'Same child on two lists' }),
    });
    expect(merged.statusCode).toBe(303);
    const record = await t.app.inject({ url: String(merged.headers.location), headers: { cookie: officer.cookie } });
    expect(record.body).toContain('Records merged');
    expect(record.body).toContain(`Name from ${b!.laChildId}`);
    const duplicate = await t.app.inject({ url: `/children/${b!.id}`, headers: { cookie: officer.cookie } });
    expect(duplicate.body).toContain('This record was merged into');
    const [merge] = await db.select().from(childMerges).where(eq(childMerges.survivorId, a!.id));
    const school = await sessionFor(db, 'demo-school-user');
    expect((await t.app.inject({ method: 'POST', url: `/children/${a!.id}/merges/${merge!.id}/undo`, headers: { cookie: school.cookie, ...FORM }, payload: form({ _csrf: school.csrfToken }) })).statusCode).toBe(403);
    const undone = await t.app.inject({ method: 'POST', url: `/children/${a!.id}/merges/${merge!.id}/undo`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ _csrf: officer.csrfToken }) });
    expect(undone.statusCode).toBe(303);
    expect((await db.select().from(children).where(eq(children.id, b!.id)))[0]!.mergedInto).toBeNull();
    expect((await db.select().from(children).where(eq(children.id, a!.id)))[0]!.firstName).toBe(a!.firstName);
  });
});
