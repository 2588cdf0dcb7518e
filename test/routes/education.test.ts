import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { auditLog, children, educationArrangements, educationProviders } from '../../src/db/schema/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { sessionFor, type TestSession } from '../support/sessions.ts';
import { SYSTEM_ACTOR } from '../../src/domain/auth/actor.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

describe.each(ENGINES)('how a child is educated, with its source, on %s', (engine) => {
  let t: TestApp;
  let officer: TestSession;
  let childId: string;
  const db = () => t.runtime.database.db;

  beforeAll(async () => {
    t = await createTestApp(engine);
    officer = await sessionFor(db(), 'demo-ehe-officer');
    childId = (await db().select({ id: children.id }).from(children).limit(1))[0]!.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  test('an officer records time educated with its source; bad input gets GOV.UK messages and writes nothing', async () => {
    const url = `/children/${childId}/education`;
    expect((await t.app.inject({ url, headers: { cookie: officer.cookie } })).statusCode).toBe(200);
    const before = (await db().select().from(educationArrangements).where(eq(educationArrangements.childId, childId))).length;
    const bad = await t.app.inject({ method: 'POST', url: `${url}/arrangement`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ _csrf: officer.csrfToken, parentHoursPerWeek: 'lots', otherHoursPerWeek: '70' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter time educated by parents as a number of hours');
    expect(bad.body).toContain('Time educated by others must be 60 hours or fewer');
    expect(bad.body).toContain('Select where this information came from');
    expect((await db().select().from(educationArrangements).where(eq(educationArrangements.childId, childId))).length).toBe(before);
    const saved = await t.app.inject({ method: 'POST', url: `${url}/arrangement`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ _csrf: officer.csrfToken, parentHoursPerWeek: '20', otherHoursPerWeek: '4', source: 'parent' }) });
    expect(saved.statusCode).toBe(303);
    const [latest] = await db().select().from(educationArrangements).where(eq(educationArrangements.childId, childId)).orderBy(desc(educationArrangements.recordedAt)).limit(1);
    expect(latest).toMatchObject({ parentHoursPerWeek: 20, otherHoursPerWeek: 4, source: 'parent', recordedBy: officer.userId });
    const record = await t.app.inject({ url: `/children/${childId}`, headers: { cookie: officer.cookie } });
    expect(record.body).toContain('20 hours a week');
    expect(record.body).toContain('Told by the parent');
  });

  test('providers are added with their source and ended, and each change is audited', async () => {
    const url = `/children/${childId}/education/providers`;
    const added = await t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: officer.cookie, ...FORM },
      payload: form({ _csrf: officer.csrfToken, name: 'Ridgeway Science Club', type: 'group', addressOrWebsite: 'ridgeway-science.example', hoursPerWeek: '3', hoursWithoutParentPerWeek: '3', source: 'officer' }),
    });
    expect(added.statusCode).toBe(303);
    const [provider] = await db().select().from(educationProviders).where(eq(educationProviders.name, 'Ridgeway Science Club'));
    expect(provider).toMatchObject({ childId, source: 'officer', hoursWithoutParentPerWeek: 3, endedOn: null });
    expect((await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1))[0]).toMatchObject({ action: 'education.add-provider', recordId: provider!.id });
    const ended = await t.app.inject({ method: 'POST', url: `${url}/${provider!.id}/end`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ _csrf: officer.csrfToken }) });
    expect(ended.statusCode).toBe(303);
    const [after] = await db().select().from(educationProviders).where(eq(educationProviders.id, provider!.id));
    expect(after!.endedOn).not.toBeNull();
    const again = await t.app.inject({ method: 'POST', url: `${url}/${provider!.id}/end`, headers: { cookie: officer.cookie, ...FORM }, payload: form({ _csrf: officer.csrfToken }) });
    expect(again.statusCode).toBe(404);
  });

  test('parents, schools and partners may not change it', async () => {
    for (const subject of ['demo-parent', 'demo-school-user', 'demo-health-visitor']) {
      const session = await sessionFor(db(), subject);
      const response = await t.app.inject({ method: 'POST', url: `/children/${childId}/education/arrangement`, headers: { cookie: session.cookie, ...FORM }, payload: form({ _csrf: session.csrfToken, parentHoursPerWeek: '1', source: 'parent' }) });
      expect(response.statusCode).toBe(403);
    }
  });

  test('systems read and record how a child is educated through the API, with the same rules', async () => {
    const ctx = { actor: SYSTEM_ACTOR, correlationId: 'test', now: new Date() };
    const council = (await t.runtime.services.createApiClient(ctx, { name: 'ehe-system', role: 'ehe_officer' })).token;
    const health = (await t.runtime.services.createApiClient(ctx, { name: 'health-system', role: 'health_visitor' })).token;
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const base = `/api/v1/children/${childId}/education`;

    const arrangement = await t.app.inject({ method: 'POST', url: `${base}/arrangements`, headers: bearer(council), payload: { parentHoursPerWeek: 18, otherHoursPerWeek: 6, source: 'parent' } });
    expect(arrangement.statusCode).toBe(201);
    expect(arrangement.json()).toMatchObject({ parentHoursPerWeek: 18, otherHoursPerWeek: 6, source: 'parent' });

    const bad = await t.app.inject({ method: 'POST', url: `${base}/providers`, headers: bearer(council), payload: { name: '', type: 'wizardry' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toMatchObject({ name: expect.any(String), type: expect.any(String), source: expect.any(String) });

    const provider = await t.app.inject({
      method: 'POST',
      url: `${base}/providers`,
      headers: bearer(council),
      payload: { name: 'Fellside Tutors', type: 'tutor', addressOrWebsite: 'https://fellside.example', hoursPerWeek: 6, hoursWithoutParentPerWeek: 6, source: 'parent' },
    });
    expect(provider.statusCode).toBe(201);
    const providerId = provider.json().id as string;

    const read = await t.app.inject({ url: base, headers: bearer(council) });
    expect(read.statusCode).toBe(200);
    expect(read.json().current).toMatchObject({ parentHoursPerWeek: 18, source: 'parent' });
    expect(read.json().providers.map((p: { name: string }) => p.name)).toContain('Fellside Tutors');
    const [viewAudit] = await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    expect(viewAudit).toMatchObject({ action: 'education.view', childId });

    const ended = await t.app.inject({ method: 'POST', url: `${base}/providers/${providerId}/end`, headers: bearer(council) });
    expect(ended.statusCode).toBe(200);
    expect(ended.json().endedOn).not.toBeNull();
    expect((await t.app.inject({ method: 'POST', url: `${base}/providers/${providerId}/end`, headers: bearer(council) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `${base}/providers/not-a-provider/end`, headers: bearer(council) })).statusCode).toBe(404);

    expect((await t.app.inject({ url: base, headers: bearer(health) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `${base}/arrangements`, headers: bearer(health), payload: { parentHoursPerWeek: 1, source: 'parent' } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: base })).statusCode).toBe(401);
  });
});
