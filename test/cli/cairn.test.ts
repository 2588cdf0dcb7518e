import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { children, notifications, users } from '../../src/db/schema/index.ts';
import { createThrowAwayDatabase, type ThrowAwayDatabase } from '../support/databases.ts';
import { loadConfig } from '../../src/config.ts';
import { createRuntime } from '../../src/composition.ts';
import { contextFor } from '../support/actors.ts';

const CAIRN = fileURLToPath(new URL('../../bin/cairn.js', import.meta.url));

function cairn(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [CAIRN, ...args], { env: { ...process.env, CAIRN_LOG_LEVEL: 'error', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the cairn command on PostgreSQL', () => {
  let throwAway: ThrowAwayDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    throwAway = await createThrowAwayDatabase('postgres');
    env = { DATABASE_URL: throwAway.url!, CAIRN_DATA_DIR: mkdtempSync(join(tmpdir(), 'cairn-cli-')), CAIRN_BASE_URL: 'http://localhost:3000' };
  });
  afterAll(async () => {
    await throwAway?.drop();
  });

  test('--help lists the commands', () => {
    const result = cairn(['--help'], {});
    expect(result.status).toBe(0);
    for (const command of ['start', 'worker', 'migrate', 'seed', 'audit', 'api-client']) expect(result.stdout).toContain(command);
  });

  test('migrate, seed, then audit verify reports an intact chain', () => {
    expect(cairn(['migrate'], env)).toMatchObject({ status: 0, stdout: 'Database is up to date.\n' });
    expect(cairn(['seed'], env).stdout).toBe('Seeded the Northshire demo council.\n');
    expect(cairn(['seed'], env).stdout).toBe('The database already holds data; nothing was seeded.\n');
    const verified = cairn(['audit', 'verify'], env);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/^Audit log intact: \d+ rows checked\.\n$/);
  });

  test('api-client create prints a token once and refuses bad input', () => {
    const created = cairn(['api-client', 'create', '--name', 'case-system', '--role', 'social_worker'], env);
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(/Token \(shown once, keep it secret\): cairn_[A-Za-z0-9_-]{43}\n/);
    const refused = cairn(['api-client', 'create', '--name', 'x', '--role', 'wizard'], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('Name must be 3 to 63');
  });

  test('a separate worker process delivers the job a use case enqueued', async () => {
    const runtime = await createRuntime(loadConfig({ ...env, CAIRN_LOG_LEVEL: 'silent' }));
    await runtime.queue.start();
    const worker = spawn(process.execPath, [CAIRN, 'worker'], { env: { ...process.env, ...env, CAIRN_LOG_LEVEL: 'error' }, stdio: 'ignore' });
    try {
      const db = runtime.database.db;
      const [allocated] = await db.execute(sql`select a.child_id, u.id as user_id from allocations a join users u on u.id = a.user_id where u.subject = 'demo-social-worker' and a.ended_on is null limit 1`).then((r) => (r as unknown as { rows: { child_id: string; user_id: string }[] }).rows);
      const note = await runtime.services.addCaseNote(await contextFor(db, 'demo-team-manager'), allocated!.child_id, { body: 'Visit arranged.' });
      const deadline = Date.now() + 30_000;
      let delivered = 0;
      while (Date.now() < deadline && delivered === 0) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        delivered = (await db.select().from(notifications).where(eq(notifications.providerReference, `case-note-added:${note.id}:${allocated!.user_id}`))).length;
      }
      expect(delivered).toBe(1);
    } finally {
      worker.kill('SIGTERM');
      await new Promise((resolve) => worker.once('exit', resolve));
      await runtime.close();
    }
    expect(worker.exitCode ?? 0).toBe(0);
  });

  test('audit verify exits 1 and names the first altered row', async () => {
    const runtime = await createRuntime(loadConfig({ ...env, CAIRN_LOG_LEVEL: 'silent' }));
    try {
      const db = runtime.database.db;
      await db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
      await db.execute(sql`update audit_log set actor_label = 'someone else' where seq = 2`);
      await db.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    } finally {
      await runtime.close();
    }
    const result = cairn(['audit', 'verify'], env);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('Audit log broken after 1 good rows. Row 2 was altered after it was written.\n');
  });

  test('production refuses to start without its secrets', () => {
    const result = cairn(['start'], { NODE_ENV: 'production' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('CAIRN_SESSION_SECRET is required in production');
  });

  test('start serves /health and stops cleanly on SIGTERM', async () => {
    const port = 3000 + Math.floor(Math.random() * 2000) + 3000;
    const server = spawn(process.execPath, [CAIRN, 'start'], { env: { ...process.env, ...env, PORT: String(port), CAIRN_BASE_URL: `http://localhost:${port}`, CAIRN_LOG_LEVEL: 'error' }, stdio: 'ignore' });
    try {
      const deadline = Date.now() + 40_000;
      let status = 0;
      while (Date.now() < deadline && status !== 200) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        status = await fetch(`http://localhost:${port}/health`).then((r) => r.status, () => 0);
      }
      expect(status).toBe(200);
    } finally {
      server.kill('SIGTERM');
    }
    const code = await new Promise((resolve) => server.once('exit', (c) => resolve(c)));
    expect(code).toBe(0);
  });

  test('the seeded users and children are there for the command-line tools', async () => {
    const runtime = await createRuntime(loadConfig({ ...env, CAIRN_LOG_LEVEL: 'silent' }));
    try {
      expect((await runtime.database.db.select().from(users).where(eq(users.subject, 'demo-parent'))).length).toBe(1);
      expect((await runtime.database.db.select({ id: children.id }).from(children)).length).toBe(300);
    } finally {
      await runtime.close();
    }
  });
});

