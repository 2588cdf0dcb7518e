import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { measureColdStart, type Engine } from './cold-start.ts';
import { machineFacts, markdownTable, type BenchResults } from './report.ts';
import { REPO_ROOT, round, say, secondsFromEnv } from './support.ts';
import { LOAD_TIMEOUT_SECONDS } from './load.ts';
import { measureThroughput } from './throughput.ts';
import { importRowsFromEnv, importTable, measureImport, type ImportBenchResult } from './import.ts';
import { measureSocialCare, socialCareTable, type SocialCareBenchResult } from './social-care.ts';
import { homeEducationTable, measureLetterRendering, measureWorklist, type LetterBenchResult, type WorklistBenchResult } from './home-education.ts';

/**
 * `npm run bench`: how long Cairn takes to come back after a restart, and how many child record
 * pages it serves to fifty signed-in staff compared with the least this stack could do. Writes
 * bench/results/latest.json and latest.md and exits non-zero if any figure could not be measured
 * honestly (a failed start, or any response other than 200 under load).
 */

const ENGINES: readonly Engine[] = ['postgres', 'pglite'];
const settings = {
  connections: 50,
  warmupSeconds: secondsFromEnv('BENCH_WARMUP_SECONDS', 2),
  durationSeconds: secondsFromEnv('BENCH_DURATION_SECONDS', 10),
  coldStartRuns: 3,
  childCount: 300,
  distinctChildren: 50,
};

const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

async function main(): Promise<number> {
  const startedAt = performance.now();
  const results: BenchResults & { import: Partial<Record<Engine, ImportBenchResult>>; importRows: number; worklist: Partial<Record<Engine, WorklistBenchResult>>; letters: LetterBenchResult | null; socialCare: SocialCareBenchResult | null } = {
    machine: await machineFacts(),
    settings,
    coldStart: {},
    throughput: {},
    failures: [],
    elapsedSeconds: 0,
    import: {},
    importRows: importRowsFromEnv(),
    worklist: {},
    letters: null,
    socialCare: null,
  };

  for (const engine of ENGINES) {
    try {
      results.coldStart[engine] = await measureColdStart(engine, settings.coldStartRuns);
    } catch (error) {
      results.failures.push(`${engine} cold start: ${describe(error)}`);
    }
  }

  for (const engine of ENGINES) {
    try {
      const measured = await measureThroughput(engine, settings);
      results.throughput[engine] = measured;
      for (const [label, phase] of [
        ['child record', measured.childRecord],
        ['bare', measured.bare],
      ] as const) {
        const bad = phase.non200 + phase.outsideWindowNon200;
        if (bad > 0) {
          results.failures.push(
            `${engine} ${label}: ${bad} requests did not get a 200 (measured run: status counts ${JSON.stringify(phase.statusCodes)}, ${phase.errors} connection errors of which ${phase.timeouts} had no answer within ${LOAD_TIMEOUT_SECONDS} s; during warm-up or wind-down: ${phase.outsideWindowNon200})`,
          );
        }
      }
      if (!measured.audit.chainIntact) results.failures.push(`${engine}: the audit chain is broken after the load (${measured.audit.checked} rows checked): ${measured.audit.firstBreak}`);
    } catch (error) {
      results.failures.push(`${engine} throughput: ${describe(error)}`);
    }
  }

  for (const engine of ENGINES) {
    try {
      const measured = await measureImport(engine, results.importRows);
      results.import[engine] = measured;
      if (measured.copyNote) results.failures.push(`${engine} import: the COPY comparison could not run: ${measured.copyNote}`);
    } catch (error) {
      results.failures.push(`${engine} CSV import: ${describe(error)}`);
    }
  }

  for (const engine of ENGINES) {
    try {
      results.worklist[engine] = await measureWorklist(engine);
    } catch (error) {
      results.failures.push(`${engine} home education worklist: ${describe(error)}`);
    }
  }
  try {
    results.letters = await measureLetterRendering();
  } catch (error) {
    results.failures.push(`letters to PDF: ${describe(error)}`);
  }

  try {
    results.socialCare = await measureSocialCare();
  } catch (error) {
    results.failures.push(`social care worklist: ${describe(error)}`);
  }

  results.elapsedSeconds = round((performance.now() - startedAt) / 1000, 1);
  const folder = join(REPO_ROOT, 'bench/results');
  mkdirSync(folder, { recursive: true });
  const table = `${markdownTable(results)}\n${importTable(results.import, results.importRows)}\n${homeEducationTable(results.worklist, results.letters)}\n${socialCareTable(results.socialCare)}`;
  writeFileSync(join(folder, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(folder, 'latest.md'), table);
  process.stdout.write(`\n${table}`);
  say(`finished in ${results.elapsedSeconds} s; results in bench/results/latest.json and latest.md`);

  for (const failure of results.failures) process.stderr.write(`\nFAILED: ${failure}\n`);
  return results.failures.length > 0 ? 1 : 0;
}

const code = await main().catch((error: unknown) => {
  process.stderr.write(`The benchmark could not run: ${describe(error)}\n`);
  return 1;
});
process.exitCode = code;
// Everything has been closed; if some handle still holds the process open, say so and leave anyway.
setTimeout(() => {
  process.stderr.write('Something was still open 5 s after the benchmark finished; exiting anyway.\n');
  process.exit(code === 0 ? 1 : code);
}, 5000).unref();
