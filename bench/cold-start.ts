import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEmptyPostgresDatabase } from './postgres.ts';
import { freePort, median, probe, REPO_ROOT, round, say, sleep } from './support.ts';

export type Engine = 'pglite' | 'postgres';

export interface ColdStartResult {
  engine: Engine;
  /** The first start: migrations and the demo seed, on an empty data folder or database. */
  prepareMs: number;
  /** Spawn to the first 200 from /health, for each timed start on the prepared data. */
  runsMs: number[];
  medianMs: number;
  /** Spawn to the first HTTP answer of any status from /health, for each timed start. */
  firstAnswerMs: number[];
  /** SIGTERM to process exit, for each timed start. */
  shutdownMs: number[];
}

const POLL_INTERVAL_MS = 20;
const START_DEADLINE_MS = 120_000;
const STOP_DEADLINE_MS = 25_000;

/** Children still running; killed outright if the benchmark itself dies, so none outlive it. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

interface StartedCairn {
  child: ChildProcess;
  readyMs: number;
  firstAnswerMs: number;
}

/**
 * Starts `cairn start` as an operator would and waits for /health to say 200. The clock starts
 * just before spawn, so Node's own start-up, module loading, migrations, the queue and the identity
 * provider all count: that is the wait a restarted service imposes on its users.
 */
async function startCairn(env: NodeJS.ProcessEnv, port: number): Promise<StartedCairn> {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/cairn.js'), 'start'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
    running.delete(child);
  });

  let firstAnswerMs: number | null = null;
  const url = `http://127.0.0.1:${port}/health`;
  while (performance.now() - startedAt < START_DEADLINE_MS) {
    if (exited) throw new Error(`Cairn ${exited} before /health answered 200. Its output:\n${output}`);
    try {
      const response = await probe(url, { timeoutMs: 2000 });
      const at = performance.now() - startedAt;
      firstAnswerMs ??= at;
      if (response.status === 200) return { child, readyMs: at, firstAnswerMs };
    } catch {
      // Not listening yet.
    }
    await sleep(POLL_INTERVAL_MS);
  }
  await stopCairn(child);
  throw new Error(`Cairn did not answer 200 on /health within ${START_DEADLINE_MS / 1000} s. Its output:\n${output}`);
}

/** SIGTERM, as a service manager would send, then a hard kill if the graceful stop hangs. */
async function stopCairn(child: ChildProcess): Promise<number> {
  const startedAt = performance.now();
  if (child.exitCode !== null || child.signalCode !== null) return 0;
  const exit = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
  try {
    await exit;
  } finally {
    clearTimeout(timer);
  }
  return performance.now() - startedAt;
}

/**
 * Prepares a data folder (PGlite) or database (PostgreSQL) with one full start, then times
 * restarts on it. The first start is reported separately because it migrates and seeds, which
 * only ever happens once per installation.
 */
export async function measureColdStart(engine: Engine, runs: number): Promise<ColdStartResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cairn-bench-cold-'));
  const database = engine === 'postgres' ? await createEmptyPostgresDatabase() : null;
  try {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      LANG: process.env['LANG'],
      TMPDIR: process.env['TMPDIR'],
      PORT: String(port),
      HOST: '127.0.0.1',
      CAIRN_LOG_LEVEL: 'warn',
      CAIRN_BASE_URL: `http://localhost:${port}`,
      CAIRN_DATA_DIR: dataDir,
      ...(database ? { DATABASE_URL: database.url } : {}),
    };

    say(`${engine}: preparing (first start migrates and seeds)`);
    const first = await startCairn(env, port);
    await stopCairn(first.child);

    const runsMs: number[] = [];
    const firstAnswerMs: number[] = [];
    const shutdownMs: number[] = [];
    for (let run = 1; run <= runs; run += 1) {
      const started = await startCairn(env, port);
      runsMs.push(round(started.readyMs));
      firstAnswerMs.push(round(started.firstAnswerMs));
      shutdownMs.push(round(await stopCairn(started.child)));
      say(`${engine}: start ${run}/${runs} healthy after ${round(started.readyMs)} ms`);
    }
    return { engine, prepareMs: round(first.readyMs), runsMs, medianMs: round(median(runsMs)), firstAnswerMs, shutdownMs };
  } finally {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
