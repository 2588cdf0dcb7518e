import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { adults, children, familyDocuments, familySubmissions, letters, socialCareEpisodes } from '../../src/db/schema/index.ts';
import { attachDocuments, checkUpload, insertSubmission, loadFamily, type CheckedUpload } from '../../src/domain/family/core.ts';
import { queueLettersToParents } from '../../src/domain/letters/queue.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { sessionFor, type TestSession } from '../support/sessions.ts';
import { parentInAnotherFamily } from '../support/family.ts';

/**
 * A parent can reach nothing of another family's, by any address: every route the application
 * serves is tried with every identifier the other family has, by GET and by POST, and no answer may
 * carry the other family's names or references, nor change their records. The JSON API never
 * accepts a parent's session at all.
 */

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const PDF = new TextEncoder().encode('%PDF-1.4\n%%EOF\n');

interface Route {
  path: string;
  methods: string[];
}

/** Every route, rebuilt from Fastify's tree listing (each line a suffix of the line above it). */
function routesOf(t: TestApp): Route[] {
  const listing = t.app.printRoutes({ commonPrefix: false });
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of listing.split('\n')) {
    const at = line.indexOf('── ');
    if (at < 0) continue;
    const depth = Math.round((at - 1) / 4);
    const match = /^(\S+)(?: \(([A-Z, ]+)\))?/.exec(line.slice(at + 3));
    if (!match) continue;
    const parent = depth === 0 ? '' : (stack[depth - 1] ?? '');
    const path = depth === 0 ? match[1]! : `${parent}${parent.endsWith('/') && match[1]!.startsWith('/') ? match[1]!.slice(1) : match[1]!}`;
    stack[depth] = path;
    stack.length = depth + 1;
    if (match[2]) routes.push({ path, methods: match[2].split(', ') });
  }
  return routes;
}

describe.each(ENGINES)('a parent cannot reach another family’s data, on %s', (engine) => {
  let t: TestApp;
  let parent: TestSession;
  const secrets: string[] = [];
  const ids: string[] = [];
  let before: string;
  let otherFamily: { adultId: string; childIds: string[] };
  const db = () => t.runtime.database.db;

  /** The other family's records as they stand, to prove nothing changed. */
  const snapshot = async (adultId: string, childIds: string[]) =>
    JSON.stringify({
      adult: await db().select().from(adults).where(eq(adults.id, adultId)),
      children: await db().select().from(children).where(inArray(children.id, childIds)).orderBy(children.id),
      submissions: await db().select().from(familySubmissions).where(eq(familySubmissions.adultId, adultId)).orderBy(familySubmissions.id),
      letters: await db().select({ id: letters.id, status: letters.status }).from(letters).where(inArray(letters.childId, childIds)).orderBy(letters.id),
      socialCare: await db().select().from(socialCareEpisodes).where(inArray(socialCareEpisodes.childId, childIds)).orderBy(socialCareEpisodes.id),
    });

  beforeAll(async () => {
    t = await createTestApp(engine);
    parent = await sessionFor(db(), 'demo-parent');
    const other = await parentInAnotherFamily(db());
    const otherCtx = await contextFor(db(), other.subject);
    const childId = other.childIds[0]!;
    const [child] = await db().select().from(children).where(eq(children.id, childId));
    const [adult] = await db().select().from(adults).where(eq(adults.id, other.adultId));
    secrets.push(`${child!.firstName} ${child!.lastName}`, child!.laChildId, `${adult!.firstName} ${adult!.lastName}`);

    // Give the other family something of every kind: a submission with a document, a letter, and a social care episode.
    const sent = await t.runtime.runInTransaction(otherCtx, async (uow) => {
      const family = await loadFamily(uow.tx, otherCtx.actor);
      const submission = await insertSubmission(uow, family, { kind: 'support-request', childId, details: { lines: [{ label: 'What support', value: 'Quince orchard visits' }] }, summary: 'Support asked for' });
      const [document] = await attachDocuments(uow, family, submission, [checkUpload({ fileName: 'evidence.pdf', data: PDF }) as CheckedUpload]);
      return { submission, document: document! };
    });
    secrets.push(sent.submission.reference, 'Quince orchard visits');
    const officer = await contextFor(db(), 'demo-ehe-officer');
    const { letterIds } = await t.runtime.runInTransaction(officer, (uow) => queueLettersToParents(uow, { childId, templateKey: 'informal-enquiry', data: { replyBy: '6 December 2026' } }));
    const episode = await t.runtime.services.receiveSocialCareReferral(await contextFor(db(), 'demo-mash-worker'), {
      childId,
      referralDate: '2026-11-22',
      referralSource: 'gp',
      referrerName: 'Dr Hollis Brenchley',
      concerns: 'Marmalade-coloured bruising reported by the surgery.',
      homeEducationOnly: 'no',
      priorConcernDocumented: 'no',
    });
    secrets.push('Marmalade-coloured bruising');
    const [document] = await db().select({ id: familyDocuments.id }).from(familyDocuments).where(eq(familyDocuments.submissionId, sent.submission.id));
    ids.push(...other.childIds, other.adultId, other.userId, sent.submission.id, document!.id, ...letterIds, episode.id);
    otherFamily = { adultId: other.adultId, childIds: other.childIds };
    before = await snapshot(other.adultId, other.childIds);
  });
  afterAll(async () => {
    await t?.close();
  });

  const refusedOrHarmless = (status: number) => [200, 302, 303, 400, 401, 403, 404, 405, 409, 415].includes(status);

  test('no route, by GET or POST, with any of the other family’s identifiers, shows or changes anything of theirs', async () => {
    // Signing in talks to the identity provider, which this test app has none of; it holds no records.
    // Signing out would end the session the sweep runs in.
    const routes = routesOf(t).filter((r) => !/^\/(idp|assets|sign-in|sign-out|auth\/callback)(\/|$)/.test(r.path) && !r.path.includes('*'));
    expect(routes.length).toBeGreaterThan(50);
    let tried = 0;
    for (const route of routes) {
      const params = route.path.match(/:[A-Za-z]+/g) ?? [];
      const urls = params.length === 0 ? [route.path] : ids.map((id) => route.path.replace(/:[A-Za-z]+(\([^)]*\))?/g, id));
      for (const url of urls) {
        for (const method of route.methods.filter((m) => m === 'GET' || m === 'POST')) {
          const response = await t.app.inject({
            method: method as 'GET' | 'POST',
            url,
            headers: { cookie: parent.cookie, ...(method === 'POST' ? FORM : {}) },
            ...(method === 'POST' ? { payload: new URLSearchParams({ _csrf: parent.csrfToken, version: '1' }).toString() } : {}),
          });
          tried += 1;
          const where = `${method} ${url} → ${response.statusCode}`;
          // Still signed in: a request that ended the session would make every later one meaningless.
          if (response.statusCode === 302 || response.statusCode === 303) expect(response.headers.location, where).not.toMatch(/sign-in|signed-out/);
          expect(refusedOrHarmless(response.statusCode), where).toBe(true);
          for (const secret of secrets) expect(response.body.includes(secret), `${where} shows "${secret}"`).toBe(false);
        }
      }
    }
    expect(tried).toBeGreaterThan(200);
    expect((await t.app.inject({ url: '/family', headers: { cookie: parent.cookie } })).statusCode).toBe(200);
    expect(await snapshot(otherFamily.adultId, otherFamily.childIds)).toBe(before);
  });

  test('the JSON API never takes a parent’s session', async () => {
    const api = routesOf(t).filter((r) => r.path.startsWith('/api/v1/') && !r.path.endsWith('openapi.json'));
    expect(api.length).toBeGreaterThan(5);
    for (const route of api) {
      const url = route.path.replace(/:[A-Za-z]+/g, ids[0]!);
      for (const method of route.methods.filter((m) => m === 'GET' || m === 'POST' || m === 'PUT' || m === 'PATCH')) {
        const response = await t.app.inject({ method: method as 'GET', url, headers: { cookie: parent.cookie, 'content-type': 'application/json' }, ...(method === 'GET' ? {} : { payload: '{}' }) });
        expect(response.statusCode, `${method} ${url}`).toBe(401);
      }
    }
  });
});
