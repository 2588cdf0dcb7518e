import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { desc, eq, sql } from 'drizzle-orm';
import { auditLog, children, schools } from '../../src/db/schema/index.ts';
import { SYSTEM_ACTOR } from '../../src/domain/auth/actor.ts';
import { DEMO_SCHOOL_URN } from '../../src/seed/demo-accounts.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

describe.each(ENGINES)('JSON API on %s', (engine) => {
  let t: TestApp;
  let token: string;
  let schoolToken: string;
  const db = () => t.runtime.database.db;
  const ctx = () => ({ actor: SYSTEM_ACTOR, correlationId: 'test', now: new Date() });
  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

  beforeAll(async () => {
    t = await createTestApp(engine);
    token = (await t.runtime.services.createApiClient(ctx(), { name: 'case-system', role: 'social_worker' })).token;
    schoolToken = (await t.runtime.services.createApiClient(ctx(), { name: 'school-mis', role: 'school_user', schoolUrn: DEMO_SCHOOL_URN })).token;
  });
  afterAll(async () => {
    await t?.close();
  });

  test('the OpenAPI 3.1 document describes the endpoints from the same schemas', async () => {
    const response = await t.app.inject({ url: '/api/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual([
      '/admission-returns',
      '/referrals',
      '/home-education-notifications',
      '/children/{childId}/education',
      '/children/{childId}/education/arrangements',
      '/children/{childId}/education/providers',
      '/children/{childId}/education/providers/{providerId}/end',
      '/deletion-returns',
      '/children',
      '/children/{childId}',
      '/children/{childId}/notes',
    ]);
    expect(doc.components.schemas.CaseNoteRequest.required).toEqual(['body']);
    expect(doc.components.schemas.CaseNoteRequest.properties.body.maxLength).toBe(5000);
    expect(doc.components.schemas.ChildRecord.properties.child.properties.sex.enum).toEqual(['F', 'M', 'U']);
  });

  test('calls without a valid bearer token get 401 problem bodies', async () => {
    const none = await t.app.inject({ url: '/api/v1/children?name=a' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.json()).toMatchObject({ status: 401, title: 'not-signed-in' });
    expect((await t.app.inject({ url: '/api/v1/children?name=a', headers: bearer('cairn_wrong') })).statusCode).toBe(401);
  });

  test('search, read and add a note, each audited as the API client', async () => {
    const [child] = await db().select().from(children).limit(1);
    const search = await t.app.inject({ url: `/api/v1/children?name=${encodeURIComponent(child!.lastName)}`, headers: bearer(token) });
    expect(search.statusCode).toBe(200);
    expect(search.json().results.map((r: { id: string }) => r.id)).toContain(child!.id);

    const record = await t.app.inject({ url: `/api/v1/children/${child!.id}`, headers: bearer(token) });
    expect(record.statusCode).toBe(200);
    expect(record.json().child).toMatchObject({ id: child!.id, laChildId: child!.laChildId, version: child!.version });
    const [viewAudit] = await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    expect(viewAudit).toMatchObject({ action: 'child.view', recordId: child!.id });
    expect(viewAudit!.actorLabel).toContain('case-system');

    const created = await t.app.inject({ method: 'POST', url: `/api/v1/children/${child!.id}/notes`, headers: bearer(token), payload: { body: 'Recorded by the case system.', followUpBy: '2027-01-15' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ childId: child!.id, body: 'Recorded by the case system.', followUpBy: '2027-01-15' });
  });

  test('bad input gets a 400 naming the field, and nothing is written', async () => {
    const [child] = await db().select().from(children).limit(1);
    const before = (await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1))[0]?.seq;
    const response = await t.app.inject({ method: 'POST', url: `/api/v1/children/${child!.id}/notes`, headers: bearer(token), payload: { body: '' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual({ body: 'Enter the case note' });
    expect((await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1))[0]?.seq).toBe(before);
    const search = await t.app.inject({ url: '/api/v1/children', headers: bearer(token) });
    expect(search.statusCode).toBe(400);
  });

  test('a school client is limited to its roll and may not add notes', async () => {
    const [school] = await db().select().from(schools).where(eq(schools.urn, DEMO_SCHOOL_URN));
    const found = await t.app.inject({ url: '/api/v1/children?name=a', headers: bearer(schoolToken) });
    expect(found.statusCode).toBe(200);
    const results = found.json().results as { id: string }[];
    expect(results.length).toBeGreaterThan(0);
    const record = await t.app.inject({ url: `/api/v1/children/${results[0]!.id}`, headers: bearer(schoolToken) });
    expect(record.statusCode).toBe(200);
    expect(record.json().enrolments.some((e: { urn: string }) => e.urn === school!.urn)).toBe(true);
    const note = await t.app.inject({ method: 'POST', url: `/api/v1/children/${results[0]!.id}/notes`, headers: bearer(schoolToken), payload: { body: 'x' } });
    expect(note.statusCode).toBe(403);
    expect(note.json()).toMatchObject({ status: 403, title: 'forbidden' });
  });

  test('a school client sends an admission return and any open episode closes', async () => {
    const [school] = await db().select().from(schools).where(eq(schools.urn, DEMO_SCHOOL_URN));
    const [child] = await db().execute(sql`select e.child_id from episodes e where e.closed_on is null limit 1`).then((r) => (r as unknown as { rows: { child_id: string }[] }).rows);
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/admission-returns', headers: bearer(schoolToken), payload: { childId: child!.child_id, startDate: new Date().toISOString().slice(0, 10) } });
    expect(response.statusCode).toBe(201);
    const open = await db().execute(sql`select id from episodes where child_id = ${child!.child_id} and closed_on is null`).then((r) => (r as unknown as { rows: unknown[] }).rows);
    expect(open).toHaveLength(0);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/admission-returns', headers: bearer(schoolToken), payload: { childId: child!.child_id, startDate: new Date().toISOString().slice(0, 10) } });
    expect(again.statusCode).toBe(200);
    expect(school).toBeTruthy();
  });
});
