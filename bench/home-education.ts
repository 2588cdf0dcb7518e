import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import { createRuntime } from '../src/composition.ts';
import { loadConfig } from '../src/config.ts';
import { eheSteps, users } from '../src/db/schema/index.ts';
import { SHIPPED_TEMPLATES } from '../src/domain/letters/templates.ts';
import { renderLetterPdf, type Letter } from '../src/letters/index.ts';
import { renderWording } from '../src/domain/letters/compose.ts';
import { seedDemoData } from '../src/seed/seed.ts';
import { createThrowAwayDatabase, type Engine } from '../test/support/databases.ts';
import { round, say } from './support.ts';

/**
 * Two figures for the home education work: how long the worklist (every open step with its due
 * date, overdue first) takes to compute for a council with 5,000 open episodes, and how many letters
 * Cairn renders to PDF a second.
 */

export interface WorklistBenchResult {
  engine: Engine;
  openEpisodes: number;
  openSteps: number;
  runs: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LetterBenchResult {
  letters: number;
  seconds: number;
  lettersPerSec: number;
  averageKilobytes: number;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** Seeds a council, adds `episodes` open home education episodes each with a running clock, and times the manager's worklist. */
export async function measureWorklist(engine: Engine, episodeCount = 5000, runs = 60): Promise<WorklistBenchResult> {
  const throwAway = await createThrowAwayDatabase(engine);
  const dataDir = mkdtempSync(join(tmpdir(), 'cairn-bench-ehe-'));
  const config = loadConfig({ NODE_ENV: 'test', PORT: '3998', CAIRN_LOG_LEVEL: 'silent', CAIRN_DATA_DIR: dataDir, ...(throwAway.url ? { DATABASE_URL: throwAway.url } : {}) });
  const runtime = await createRuntime(config, { database: throwAway.database });
  try {
    await seedDemoData(runtime.database, { embeddedIssuer: `${config.baseUrl}/idp`, childCount: 300, today: '2026-11-22' });
    const db = runtime.database.db;
    say(`${engine}: adding ${episodeCount.toLocaleString('en-GB')} open home education episodes with their clocks`);
    await db.execute(sql`
      insert into children (la_child_id, first_name, last_name, date_of_birth, sex, address_line_1, town, postcode, postcode_key)
      select 'NB' || lpad(g::text, 7, '0'), 'Bench' || g, 'Family' || (g % 997), date '2012-01-01' + (g % 2500)::int, 'U', g || ' Long Road', 'Brackenthwaite', 'NZ1 1AA', 'NZ11AA'
      from generate_series(1, ${episodeCount}) g`);
    await db.execute(sql`
      insert into episodes (child_id, kind, status, opened_on, opened_by)
      select c.id, 'ehe', case when n % 3 = 0 then 'suitable' else 'enquiry-sent' end, date '2026-01-01' + (n % 300)::int, 'officer'
      from (select id, row_number() over (order by la_child_id) as n from children where la_child_id like 'NB%') c`);
    await db.execute(sql`
      insert into ehe_steps (episode_id, child_id, kind, status, started_on, due_on)
      select e.id, e.child_id, case when e.status = 'suitable' then 'annual-contact' else 'informal-enquiry' end, 'open', date '2026-10-01', date '2026-10-01' + (row_number() over (order by e.id) % 120)::int
      from episodes e join children c on c.id = e.child_id where c.la_child_id like 'NB%'`);
    const [counted] = await db.select({ open: sql<number>`count(*)::int` }).from(eheSteps).where(eq(eheSteps.status, 'open'));
    const open = Number(counted?.open ?? 0);
    const [manager] = await db.select().from(users).where(eq(users.subject, 'demo-team-manager'));
    const ctx = () => ({ actor: { kind: 'user' as const, id: manager!.id, label: manager!.displayName, role: 'team_manager' as const, schoolId: null }, correlationId: 'bench', now: new Date('2026-11-22T09:00:00Z') });
    for (let i = 0; i < 5; i += 1) await runtime.services.listEheWork(ctx());
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const started = performance.now();
      const work = await runtime.services.listEheWork(ctx());
      times.push(performance.now() - started);
      if (work.overdue.length === 0) throw new Error('The worklist found nothing overdue; the bench data is wrong');
    }
    times.sort((a, b) => a - b);
    return { engine, openEpisodes: episodeCount, openSteps: open, runs, p50Ms: round(percentile(times, 50), 1), p99Ms: round(percentile(times, 99), 1) };
  } finally {
    await runtime.queue.stop().catch(() => {});
    await throwAway.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Renders the shipped section 437(1) notice to PDF `count` times. */
export async function measureLetterRendering(count = 200): Promise<LetterBenchResult> {
  const template = SHIPPED_TEMPLATES['s437-notice'];
  const letter: Letter = {
    council: { name: 'Northshire Council', addressLines: ['County Hall', 'Brackenthwaite', 'NZ1 1AA'], phone: '01632 960 000', email: 'home.education@northshire.example', website: 'https://www.northshire.example/home-education' },
    recipient: { name: 'Sam Example', addressLines: ['4 Mill Lane', 'Brackenthwaite', 'NZ3 4ML'] },
    date: '22 November 2026',
    reference: 'EHE/NS100001/bench',
    ...renderWording(template, template.sample, template.title),
    signOff: { name: 'Elective Home Education Team', jobTitle: 'Northshire Council' },
  };
  for (let i = 0; i < 5; i += 1) await renderLetterPdf(letter);
  let bytes = 0;
  const started = performance.now();
  for (let i = 0; i < count; i += 1) bytes += (await renderLetterPdf(letter)).length;
  const seconds = (performance.now() - started) / 1000;
  return { letters: count, seconds: round(seconds, 2), lettersPerSec: round(count / seconds, 1), averageKilobytes: round(bytes / count / 1024, 1) };
}

export function homeEducationTable(worklists: Partial<Record<Engine, WorklistBenchResult>>, letters: LetterBenchResult | null): string {
  const cell = (engine: Engine, pick: (r: WorklistBenchResult) => string) => (worklists[engine] ? pick(worklists[engine]) : 'failed');
  const any = worklists.postgres ?? worklists.pglite;
  return `${[
    `Home education worklist for a team manager, ${any ? any.openEpisodes.toLocaleString('en-GB') : '5,000'} open episodes each with a running clock (${any?.runs ?? 60} runs):`,
    '',
    '| Figure | PostgreSQL | PGlite |',
    '|---|---:|---:|',
    `| Worklist p50 (ms) | ${cell('postgres', (r) => String(r.p50Ms))} | ${cell('pglite', (r) => String(r.p50Ms))} |`,
    `| Worklist p99 (ms) | ${cell('postgres', (r) => String(r.p99Ms))} | ${cell('pglite', (r) => String(r.p99Ms))} |`,
    '',
    letters
      ? `Letters rendered to tagged PDF (the shipped section 437(1) notice): ${letters.lettersPerSec} a second (${letters.letters} in ${letters.seconds} s, ${letters.averageKilobytes} KB each).`
      : 'Letters rendered to PDF: failed.',
  ].join('\n')}\n`;
}

/** Runs on its own: `node bench/home-education.ts`. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const worklists: Partial<Record<Engine, WorklistBenchResult>> = {};
  for (const engine of ['postgres', 'pglite'] as const) worklists[engine] = await measureWorklist(engine);
  process.stdout.write(homeEducationTable(worklists, await measureLetterRendering()));
}
