import { readFileSync } from 'node:fs';
import { cpus, freemem, platform, release, totalmem, availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ColdStartResult, Engine } from './cold-start.ts';
import { postgresServerVersion } from './postgres.ts';
import { REPO_ROOT, round } from './support.ts';
import type { ThroughputResult } from './throughput.ts';

export interface MachineFacts {
  date: string;
  node: string;
  platform: string;
  cpuCount: number;
  availableParallelism: number;
  cpuModel: string;
  totalMemoryGiB: number;
  freeMemoryGiB: number;
  postgres: string;
  pglite: string;
}

export interface BenchResults {
  machine: MachineFacts;
  settings: { connections: number; warmupSeconds: number; durationSeconds: number; coldStartRuns: number; childCount: number; distinctChildren: number };
  coldStart: Partial<Record<Engine, ColdStartResult>>;
  throughput: Partial<Record<Engine, ThroughputResult>>;
  failures: string[];
  elapsedSeconds: number;
}

/**
 * The facts a reader needs before comparing two result files: figures from a two-core laptop and a
 * sixteen-core server, or from different PostgreSQL releases, are not comparable.
 */
export async function machineFacts(): Promise<MachineFacts> {
  const processors = cpus();
  let postgres = 'unreachable';
  try {
    postgres = await postgresServerVersion();
  } catch {
    // Reported as unreachable; the PostgreSQL figures will carry their own failure.
  }
  const pgliteManifest = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version?: string };
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${platform()} ${release()}`,
    cpuCount: processors.length,
    availableParallelism: availableParallelism(),
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    totalMemoryGiB: round(totalmem() / 2 ** 30, 1),
    freeMemoryGiB: round(freemem() / 2 ** 30, 1),
    postgres,
    pglite: pgliteManifest.version ?? 'unknown',
  };
}

const ENGINES: readonly Engine[] = ['postgres', 'pglite'];
const number = (value: number, places = 0) => (Number.isFinite(value) ? value.toLocaleString('en-GB', { maximumFractionDigits: places, minimumFractionDigits: places }) : 'n/a');

/** How many requests failed, naming timeouts since they mean a page nobody waited for. */
function failedCell(phase: ThroughputResult['childRecord']): string {
  const failed = phase.non200 + phase.outsideWindowNon200;
  return phase.timeouts > 0 ? `${number(failed)} (${number(phase.timeouts)} timed out)` : number(failed);
}

/**
 * A table short enough to paste into a pull request or a council's hosting discussion; the JSON
 * file beside it holds every run and percentile.
 */
export function markdownTable(results: BenchResults): string {
  const { machine, settings } = results;
  const cell = (engine: Engine, pick: (cold: ColdStartResult | undefined, load: ThroughputResult | undefined) => string) => {
    const text = pick(results.coldStart[engine], results.throughput[engine]);
    return text === '' ? 'failed' : text;
  };
  const row = (label: string, pick: (cold: ColdStartResult | undefined, load: ThroughputResult | undefined) => string) => `| ${label} | ${ENGINES.map((engine) => cell(engine, pick)).join(' | ')} |`;

  const lines = [
    `Cairn benchmark, ${machine.date.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB RAM, ${machine.platform}, Node ${machine.node}, PostgreSQL ${machine.postgres}, PGlite ${machine.pglite}.`,
    `Load: ${settings.connections} concurrent signed-in connections, ${settings.warmupSeconds} s warm-up then ${settings.durationSeconds} s measured; ${settings.childCount} seeded children, requests cycling over ${settings.distinctChildren}.`,
    '',
    '| Figure | PostgreSQL | PGlite |',
    '|---|---:|---:|',
    row(`Cold start to /health 200, median of ${settings.coldStartRuns} (each run)`, (cold) => (cold ? `${number(cold.medianMs)} ms (${cold.runsMs.map((ms) => number(ms)).join(' / ')})` : '')),
    row('Child record page: req/s (mean)', (_, load) => (load ? number(load.childRecord.reqPerSec, 1) : '')),
    row('Child record page: latency p50 / p99', (_, load) => (load ? `${number(load.childRecord.latencyMs.p50, 1)} / ${number(load.childRecord.latencyMs.p99, 1)} ms` : '')),
    row('Child record page: requests without a 200', (_, load) => (load ? failedCell(load.childRecord) : '')),
    row('Bare Fastify (1 PK read + template): req/s', (_, load) => (load ? number(load.bare.reqPerSec, 1) : '')),
    row('Bare Fastify: latency p99', (_, load) => (load ? `${number(load.bare.latencyMs.p99, 1)} ms` : '')),
    row('Child record ÷ bare (req/s)', (_, load) => (load ? number(load.ratio, 3) : '')),
  ];
  if (results.failures.length > 0) {
    lines.push('', '**Failures:**', ...results.failures.map((failure) => `- ${failure.split('\n')[0] ?? failure}`));
  }
  return `${lines.join('\n')}\n`;
}
