import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import { createRuntime, createWebApp, startJobs, type Runtime } from '../../src/composition.ts';
import { seedDemoData } from '../../src/seed/seed.ts';
import { createThrowAwayDatabase, type Engine, type ThrowAwayDatabase } from './databases.ts';

export interface TestApp {
  app: FastifyInstance;
  runtime: Runtime;
  config: Config;
  close(): Promise<void>;
}

export const TEST_TODAY = '2026-11-22';

/** A seeded Cairn on a throw-away database, with the queue running but no workers unless asked. */
export async function createTestRuntime(engine: Engine, options: { childCount?: number; env?: Record<string, string>; workers?: boolean } = {}) {
  const throwAway: ThrowAwayDatabase = await createThrowAwayDatabase(engine);
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '3999',
    CAIRN_LOG_LEVEL: 'silent',
    CAIRN_DATA_DIR: mkdtempSync(join(tmpdir(), 'cairn-test-')),
    ...(throwAway.url ? { DATABASE_URL: throwAway.url } : {}),
    ...options.env,
  });
  const runtime = await createRuntime(config, { database: throwAway.database });
  await seedDemoData(runtime.database, { embeddedIssuer: `${config.baseUrl}/idp`, childCount: options.childCount ?? 120, today: TEST_TODAY });
  await startJobs(runtime, options.workers ?? false);
  return {
    runtime,
    config,
    async close() {
      await runtime.queue.stop();
      await throwAway.drop();
    },
  };
}

export async function createTestApp(engine: Engine, options: { childCount?: number; env?: Record<string, string> } = {}): Promise<TestApp> {
  const { runtime, config, close } = await createTestRuntime(engine, options);
  const app = await createWebApp(runtime, { requestLogs: false });
  await app.ready();
  return {
    app,
    runtime,
    config,
    async close() {
      await app.close();
      await close();
    },
  };
}
