import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PGlite } from '@electric-sql/pglite';
import { count, inArray } from 'drizzle-orm';
import { createRuntime } from '../src/composition.ts';
import { loadConfig } from '../src/config.ts';
import { deletionReturns, schools } from '../src/db/schema/index.ts';
import { SYSTEM_ACTOR } from '../src/domain/auth/actor.ts';
import { seedDemoData } from '../src/seed/seed.ts';
import { createThrowAwayDatabase, type Engine } from '../test/support/databases.ts';
import { round, say } from './support.ts';

/**
 * How fast a council can load a big file of deletion returns: `importDeletionReturns` (the whole
 * file checked, then every row through the same rules as the form, 500 rows a transaction, each
 * with its audit rows and events) against the least the database could do, a plain COPY of the
 * same rows into the same table.
 */

export interface ImportBenchResult {
  engine: Engine;
  rows: number;
  fileMegabytes: number;
  importSeconds: number;
  importRowsPerSec: number;
  /** The same rows by COPY FROM STDIN (PostgreSQL via psql, PGlite via its /dev/blob); null if it could not run. */
  copySeconds: number | null;
  copyRowsPerSec: number | null;
  /** Import rows/s ÷ COPY rows/s. */
  ratio: number | null;
  copyNote: string | null;
}

const COLUMNS = ['school_urn', 'pupil_first_name', 'pupil_last_name', 'pupil_date_of_birth', 'parent_name', 'parent_address_line_1', 'parent_town', 'parent_postcode', 'emergency_phone', 'ground', 'deletion_date', 'ehe_reason', 'safeguarding_concerns'];
const GROUNDS = ['f', 'a', 'g', 'k', 'i'];

interface GeneratedRow {
  urn: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  parentName: string;
  address: string;
  postcode: string;
  phone: string;
  ground: string;
  deletionDate: string;
  eheReason: string;
}

/** Synthetic pupils nobody in the demo council matches, so each row becomes a return awaiting a match. */
export function generateRows(n: number, urns: readonly string[]): GeneratedRow[] {
  const rows: GeneratedRow[] = [];
  for (let i = 0; i < n; i += 1) {
    const ground = GROUNDS[i % GROUNDS.length]!;
    rows.push({
      urn: urns[i % urns.length]!,
      firstName: `Benchpupil${i}`,
      lastName: `Loadtest${Math.floor(i / 7)}`,
      dateOfBirth: `20${10 + (i % 6)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      parentName: `Parent ${i}`,
      address: `${(i % 300) + 1} Bench Street`,
      postcode: `NZ${(i % 9) + 1} ${(i % 9) + 1}AB`,
      phone: `07700 ${String(900000 + (i % 1000)).padStart(6, '0')}`,
      ground,
      deletionDate: `2026-${String((i % 10) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
      eheReason: ground === 'f' ? 'philosophical' : '',
    });
  }
  return rows;
}

export function toCsv(rows: readonly GeneratedRow[]): string {
  const lines = [COLUMNS.join(',')];
  for (const r of rows) lines.push([r.urn, r.firstName, r.lastName, r.dateOfBirth, r.parentName, r.address, 'Northshire', r.postcode, r.phone, r.ground, r.deletionDate, r.eheReason, 'no'].join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The same rows as `deletion_returns` would hold them, in COPY's CSV format. */
function toCopyCsv(rows: readonly GeneratedRow[], schoolIds: ReadonlyMap<string, string>, now: string): string {
  const out: string[] = [];
  for (const r of rows) {
    const key = createHash('sha256').update(`copy\n${r.urn}\n${r.firstName}\n${r.lastName}\n${r.dateOfBirth}\n${r.ground}\n${r.deletionDate}`).digest('hex');
    out.push([schoolIds.get(r.urn)!, 'csv', key, r.firstName, r.lastName, r.dateOfBirth, r.parentName, r.address, 'Northshire', r.postcode, r.phone, r.ground, r.deletionDate, r.eheReason, 'false', 'false', 'awaiting-match', now].join(','));
  }
  return `${out.join('\n')}\n`;
}

const COPY_COLUMNS = 'school_id, source, idempotency_key, pupil_first_name, pupil_last_name, pupil_date_of_birth, parent_name, parent_address_line_1, parent_town, parent_postcode, emergency_phone, ground, deletion_date, ehe_reason, safeguarding_concerns, consent_required, status, created_at';
const COPY_SQL = `COPY deletion_returns (${COPY_COLUMNS}) FROM STDIN WITH (FORMAT csv, NULL '')`;

/** COPY FROM STDIN through psql, as an operator would bulk-load rows by hand. */
function copyWithPsql(url: string, data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `\\copy deletion_returns (${COPY_COLUMNS}) FROM STDIN WITH (FORMAT csv, NULL '')`], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql exited ${code}: ${stderr.trim()}`))));
    child.stdin.end(data);
  });
}

/** Imports `rowCount` generated rows on a fresh seeded database, then COPYs the same rows for comparison. */
export async function measureImport(engine: Engine, rowCount: number): Promise<ImportBenchResult> {
  const throwAway = await createThrowAwayDatabase(engine);
  const dataDir = mkdtempSync(join(tmpdir(), 'cairn-bench-import-'));
  const config = loadConfig({ NODE_ENV: 'test', PORT: '3999', CAIRN_LOG_LEVEL: 'silent', CAIRN_DATA_DIR: dataDir, ...(throwAway.url ? { DATABASE_URL: throwAway.url } : {}) });
  const runtime = await createRuntime(config, { database: throwAway.database });
  try {
    await seedDemoData(runtime.database, { embeddedIssuer: `${config.baseUrl}/idp`, childCount: 300, today: '2026-11-22' });
    const db = runtime.database.db;
    const seededSchools = await db.select({ id: schools.id, urn: schools.urn }).from(schools);
    const urns = seededSchools.map((s) => s.urn);
    const rows = generateRows(rowCount, urns);
    const bytes = new TextEncoder().encode(toCsv(rows));
    say(`import ${engine}: ${rowCount} rows (${round(bytes.length / 2 ** 20, 1)} MB)`);
    const ctx = { actor: SYSTEM_ACTOR, correlationId: `bench:import:${engine}`, now: new Date() };
    const started = performance.now();
    const result = await runtime.services.importDeletionReturns(ctx, bytes, { mode: 'all-or-nothing', maxBytes: bytes.length + 1 });
    const importSeconds = (performance.now() - started) / 1000;
    if (result.status !== 'imported' || result.imported !== rowCount) {
      throw new Error(`The import did not take every row: ${JSON.stringify({ status: result.status, imported: result.imported, fileError: result.report.fileError, problems: result.report.problems.slice(0, 3), failedBatch: result.failedBatch })}`);
    }
    say(`import ${engine}: ${round(importSeconds, 1)} s, ${round(rowCount / importSeconds, 0)} rows/s`);

    let copySeconds: number | null = null;
    let copyNote: string | null = null;
    const copyData = toCopyCsv(rows, new Map(seededSchools.map((s) => [s.urn, s.id])), ctx.now.toISOString());
    try {
      const copyStarted = performance.now();
      if (engine === 'postgres') await copyWithPsql(throwAway.url!, copyData);
      else {
        const client = (db as unknown as { $client?: PGlite }).$client;
        if (!client) throw new Error('the PGlite client is not reachable from Drizzle');
        await client.query(COPY_SQL.replace('FROM STDIN', "FROM '/dev/blob'"), [], { blob: new Blob([copyData]) });
      }
      copySeconds = (performance.now() - copyStarted) / 1000;
      const [copied] = await db.select({ n: count() }).from(deletionReturns).where(inArray(deletionReturns.status, ['awaiting-match']));
      if (copied!.n !== rowCount * 2) throw new Error(`expected ${rowCount * 2} rows after COPY, found ${copied!.n}`);
      say(`COPY ${engine}: ${round(copySeconds, 2)} s, ${round(rowCount / copySeconds, 0)} rows/s`);
    } catch (error) {
      copyNote = error instanceof Error ? error.message : String(error);
      copySeconds = null;
    }
    const importRowsPerSec = rowCount / importSeconds;
    const copyRowsPerSec = copySeconds ? rowCount / copySeconds : null;
    return {
      engine,
      rows: rowCount,
      fileMegabytes: round(bytes.length / 2 ** 20, 1),
      importSeconds: round(importSeconds, 1),
      importRowsPerSec: round(importRowsPerSec, 0),
      copySeconds: copySeconds === null ? null : round(copySeconds, 2),
      copyRowsPerSec: copyRowsPerSec === null ? null : round(copyRowsPerSec, 0),
      ratio: copyRowsPerSec === null ? null : round(importRowsPerSec / copyRowsPerSec, 4),
      copyNote,
    };
  } finally {
    await runtime.queue.stop().catch(() => {});
    await throwAway.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs on its own: `node bench/import.ts [rows]` prints one JSON line per engine. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = process.argv[2] ? Number(process.argv[2]) : importRowsFromEnv();
  for (const engine of ['postgres', 'pglite'] as const) process.stdout.write(`${JSON.stringify(await measureImport(engine, rows))}\n`);
}

/** BENCH_IMPORT_ROWS, default 100,000 (about a minute and a half per engine on a 2-core machine). */
export function importRowsFromEnv(): number {
  const raw = process.env['BENCH_IMPORT_ROWS'];
  if (raw === undefined || raw.trim() === '') return 100_000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`BENCH_IMPORT_ROWS must be a positive whole number, not "${raw}"`);
  return value;
}

/** The import figures as a second small table under the main one. */
export function importTable(results: Partial<Record<Engine, ImportBenchResult>>, rows: number): string {
  const engines = ['postgres', 'pglite'] as const;
  const cell = (engine: Engine, pick: (r: ImportBenchResult) => string) => {
    const r = results[engine];
    return r ? pick(r) : 'failed';
  };
  const row = (label: string, pick: (r: ImportBenchResult) => string) => `| ${label} | ${engines.map((e) => cell(e, pick)).join(' | ')} |`;
  const n = (v: number | null, places = 0) => (v === null ? 'n/a' : v.toLocaleString('en-GB', { maximumFractionDigits: places, minimumFractionDigits: places }));
  return `${[
    `CSV import of ${rows.toLocaleString('en-GB')} deletion returns (BENCH_IMPORT_ROWS), all new and unmatched, by the system actor, 500 rows a transaction:`,
    '',
    '| Figure | PostgreSQL | PGlite |',
    '|---|---:|---:|',
    row('Import (check + every row through the intake the form uses): rows/s (seconds)', (r) => `${n(r.importRowsPerSec)} (${n(r.importSeconds, 1)} s)`),
    row('Plain COPY of the same rows into deletion_returns: rows/s (seconds)', (r) => `${n(r.copyRowsPerSec)} (${n(r.copySeconds, 2)} s)`),
    row('Import ÷ COPY (rows/s)', (r) => n(r.ratio, 4)),
  ].join('\n')}\n`;
}
