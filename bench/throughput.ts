import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, count, eq } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import nunjucks from 'nunjucks';
import { createRuntime, createWebApp, startJobs, type Runtime } from '../src/composition.ts';
import { loadConfig } from '../src/config.ts';
import type { Db } from '../src/db/client.ts';
import { auditLog, children } from '../src/db/schema/index.ts';
import { describeBreak, verifyAuditLog } from '../src/domain/audit/verify-audit-log.ts';
import { seedDemoData } from '../src/seed/seed.ts';
import { createThrowAwayDatabase, type Engine } from '../test/support/databases.ts';
import { sessionFor } from '../test/support/sessions.ts';
import { runLoad, type LoadConnection, type LoadOutcome, type PhaseOutcome } from './load.ts';
import { probe, round, say } from './support.ts';

/** Council staff whose roles may open any child's record; the load cycles sessions over them. */
export const VIEWING_SUBJECTS = ['demo-ehe-officer', 'demo-cme-officer', 'demo-mash-worker', 'demo-social-worker', 'demo-team-manager', 'demo-data-officer'] as const;

export interface ThroughputSettings {
  connections: number;
  childCount: number;
  distinctChildren: number;
  warmupSeconds: number;
  durationSeconds: number;
}

/** The measured window, plus failures seen during warm-up or wind-down, which also fail the run. */
export type LoadFigures = PhaseOutcome & { outsideWindowNon200: number };

function figures(outcome: LoadOutcome): LoadFigures {
  return { ...outcome.measured, outsideWindowNon200: outcome.warmup.non200 + outcome.afterwards.non200 };
}

export interface ThroughputResult {
  engine: Engine;
  /** PostgreSQL pool size of the app's database (PGlite is one in-process connection). */
  poolSize: number | null;
  childRecord: LoadFigures;
  bare: LoadFigures;
  /** Child-record req/s divided by bare req/s: the share of the ceiling Cairn reaches. */
  ratio: number;
  audit: { rowsWritten: number; chainIntact: boolean; checked: number; firstBreak: string | null };
}

/** createThrowAwayDatabase opens its PostgreSQL pool with this many connections (Cairn's default). */
const THROW_AWAY_POOL_SIZE = 10;

const BARE_TEMPLATE = '<!DOCTYPE html><html lang="en"><head><title>{{ name }}</title></head><body><h1 class="govuk-heading-l">{{ name }}</h1></body></html>';

/**
 * The ceiling: the least a page showing one child can do on this stack, one primary-key read and
 * one template render, with none of Cairn's plugins, sessions, authorisation, audit or layout.
 * Cairn's figure as a share of this one says how much its own work costs, independent of the
 * machine.
 */
async function createBareApp(db: Db): Promise<FastifyInstance> {
  const template = new nunjucks.Template(BARE_TEMPLATE, new nunjucks.Environment(null, { autoescape: true }), undefined, true);
  const app = Fastify();
  app.get<{ Params: { childId: string } }>('/children/:childId', async (request, reply) => {
    const [child] = await db.select().from(children).where(eq(children.id, request.params.childId));
    if (!child) return reply.status(404).send('Not found');
    return reply.type('text/html; charset=utf-8').send(template.render({ name: `${child.firstName} ${child.lastName}` }));
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app;
}

function baseUrlOf(app: FastifyInstance): string {
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('The app is not listening on a TCP port');
  return `http://127.0.0.1:${address.port}`;
}

/**
 * Each connection gets its own session and starts at a different child, so the load looks like
 * fifty people each working through records rather than fifty copies of one request.
 */
function connectionsFor(cookies: readonly string[], childIds: readonly string[]): LoadConnection[] {
  return cookies.map((cookie, index) => ({
    cookie,
    paths: childIds.map((_, offset) => `/children/${childIds[(index + offset) % childIds.length]}`),
  }));
}

/** Refuses to measure a page that is not actually being served, such as a sign-in redirect. */
async function checkServes(baseUrl: string, cookie: string, childId: string, expectName: string, label: string): Promise<void> {
  const response = await probe(`${baseUrl}/children/${childId}`, { headers: { cookie }, timeoutMs: 10_000 });
  if (response.status !== 200 || !response.body.includes(expectName)) {
    throw new Error(`${label}: GET /children/${childId} answered ${response.status} without the child's name; refusing to measure it`);
  }
}

/**
 * Measures Cairn's child record page and the bare ceiling against the same seeded database, one
 * after the other with identical load, and checks the audit chain the load has just extended.
 */
export async function measureThroughput(engine: Engine, settings: ThroughputSettings): Promise<ThroughputResult> {
  say(`${engine}: creating a database and seeding ${settings.childCount} children`);
  const throwAway = await createThrowAwayDatabase(engine);
  const dataDir = mkdtempSync(join(tmpdir(), 'cairn-bench-app-'));
  let runtime: Runtime | null = null;
  let app: FastifyInstance | null = null;
  let bare: FastifyInstance | null = null;
  try {
    const config = loadConfig({
      PORT: '3999',
      HOST: '127.0.0.1',
      CAIRN_LOG_LEVEL: 'warn',
      CAIRN_DATA_DIR: dataDir,
      ...(throwAway.url ? { DATABASE_URL: throwAway.url } : {}),
    });
    runtime = await createRuntime(config, { database: throwAway.database });
    await seedDemoData(runtime.database, { embeddedIssuer: `${config.baseUrl}/idp`, childCount: settings.childCount });
    await startJobs(runtime, false);
    const db = runtime.database.db;

    app = await createWebApp(runtime, { requestLogs: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    bare = await createBareApp(db);

    const picked = await db.select({ id: children.id, firstName: children.firstName }).from(children).orderBy(asc(children.laChildId)).limit(settings.distinctChildren);
    const first = picked[0];
    if (!first) throw new Error('The seed made no children');
    const childIds = picked.map((child) => child.id);
    const cookies: string[] = [];
    for (let index = 0; index < settings.connections; index += 1) {
      const subject = VIEWING_SUBJECTS[index % VIEWING_SUBJECTS.length] ?? VIEWING_SUBJECTS[0];
      cookies.push((await sessionFor(db, subject)).cookie);
    }
    for (const [index, subject] of VIEWING_SUBJECTS.entries()) {
      await checkServes(baseUrlOf(app), cookies[index] ?? '', first.id, first.firstName, `${engine} child record as ${subject}`);
    }
    await checkServes(baseUrlOf(bare), cookies[0] ?? '', first.id, first.firstName, `${engine} bare app`);

    const connections = connectionsFor(cookies, childIds);
    const [{ value: auditBefore } = { value: 0 }] = await db.select({ value: count() }).from(auditLog);

    say(`${engine}: child record page, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s`);
    const childRecord = await runLoad({ baseUrl: baseUrlOf(app), connections, warmupSeconds: settings.warmupSeconds, durationSeconds: settings.durationSeconds });
    say(`${engine}: child record ${childRecord.measured.reqPerSec} req/s, p99 ${childRecord.measured.latencyMs.p99} ms`);

    // Requests the load tool gave up on may still be finishing on the server: wait until the audit
    // log stops growing, so the check sees the chain as it ends rather than mid-append.
    let auditAfter = -1;
    for (;;) {
      const [{ value } = { value: 0 }] = await db.select({ value: count() }).from(auditLog);
      if (value === auditAfter) break;
      auditAfter = value;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    say(`${engine}: verifying the audit chain`);
    const verification = await verifyAuditLog(db);

    say(`${engine}: bare Fastify ceiling, same load`);
    const bareLoad = await runLoad({ baseUrl: baseUrlOf(bare), connections, warmupSeconds: settings.warmupSeconds, durationSeconds: settings.durationSeconds });
    say(`${engine}: bare ${bareLoad.measured.reqPerSec} req/s, p99 ${bareLoad.measured.latencyMs.p99} ms`);

    return {
      engine,
      poolSize: engine === 'postgres' ? THROW_AWAY_POOL_SIZE : null,
      childRecord: figures(childRecord),
      bare: figures(bareLoad),
      ratio: round(childRecord.measured.reqPerSec / bareLoad.measured.reqPerSec, 3),
      audit: { rowsWritten: auditAfter - auditBefore, chainIntact: verification.ok, checked: verification.checked, firstBreak: verification.ok ? null : describeBreak(verification.firstBreak) },
    };
  } finally {
    await bare?.close();
    await app?.close();
    await runtime?.queue.stop();
    await throwAway.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
