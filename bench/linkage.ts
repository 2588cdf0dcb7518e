import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { machineFacts, type MachineFacts } from './report.ts';
import { REPO_ROOT, say } from './support.ts';

/**
 * `npm run bench:linkage`: deduplication quality and speed on synthetic children with ground truth,
 * at 10,000, 100,000 and 1,000,000 records (BENCH_LINKAGE_SIZES to change), each in its own process.
 * Writes bench/results/linkage.json and linkage.md.
 */

const run = promisify(execFile);
const sizes = (process.env['BENCH_LINKAGE_SIZES'] ?? '10000,100000,1000000').split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);

const machineLine = (m: MachineFacts) => `${m.cpuCount} × ${m.cpuModel}, ${m.totalMemoryGiB} GiB RAM, ${m.platform}, Node ${m.node}.`;

interface RunResult {
  records: number;
  people: number;
  truePairs: number;
  twinPairs: number;
  seconds: number;
  recordsPerSecond: number;
  peakMemoryMiB: number;
  pairsAbove: number;
  clusters: number | null;
  twinLikeJoined: number;
  metrics: { threshold: number; precision: number; recall: number; f1: number }[];
}

const results: (RunResult | { records: number; error: string })[] = [];
for (const size of sizes) {
  say(`linkage: deduplicating ${size.toLocaleString('en-GB')} synthetic records`);
  try {
    const { stdout } = await run(process.execPath, [join(REPO_ROOT, 'bench/linkage-one.ts'), String(size)], { maxBuffer: 16 * 1024 * 1024, timeout: 30 * 60 * 1000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as RunResult;
    results.push(result);
    say(`linkage: ${size.toLocaleString('en-GB')} records in ${result.seconds} s, peak ${result.peakMemoryMiB} MiB`);
  } catch (error) {
    results.push({ records: size, error: error instanceof Error ? error.message : String(error) });
  }
}

const table = [
  `Cairn record linkage benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  machineLine(await machineFacts()),
  'Deduplication of synthetic English children (realistic errors profile, seed 20261122) with src/linkage/presets/children.json: reading, training (u by sampling, m by EM, prior from NHS number and UPN), scoring and clustering, timed together; the file is generated first, untimed.',
  '',
  '| Records | Wall time (s) | Records/s | Peak memory (MiB) | Pairs ≥ 0.5 | F1 at 0.5 / 0.9 / 0.95 / 0.99 | Precision at 0.95 | Recall at 0.95 | Same-surname, same-DOB, same-address pairs of different children joined at ≥ 0.95 |',
  '|---:|---:|---:|---:|---:|---|---:|---:|---:|',
  ...results.map((r) => {
    if ('error' in r) return `| ${r.records.toLocaleString('en-GB')} | failed: ${r.error.replace(/\|/g, '/').slice(0, 200)} | | | | | | | |`;
    const at = (t: number) => r.metrics.find((m) => m.threshold === t);
    return `| ${r.records.toLocaleString('en-GB')} | ${r.seconds} | ${r.recordsPerSecond.toLocaleString('en-GB')} | ${r.peakMemoryMiB} | ${r.pairsAbove.toLocaleString('en-GB')} | ${[0.5, 0.9, 0.95, 0.99].map((t) => at(t)?.f1 ?? 'n/a').join(' / ')} | ${at(0.95)?.precision ?? 'n/a'} | ${at(0.95)?.recall ?? 'n/a'} | ${r.twinLikeJoined} |`;
  }),
  '',
].join('\n');

const folder = join(REPO_ROOT, 'bench/results');
mkdirSync(folder, { recursive: true });
writeFileSync(join(folder, 'linkage.json'), `${JSON.stringify({ sizes, results }, null, 2)}\n`);
writeFileSync(join(folder, 'linkage.md'), table);
process.stdout.write(`\n${table}`);
process.exitCode = results.some((r) => 'error' in r) ? 1 : 0;
