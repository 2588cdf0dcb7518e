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
  recommendedThreshold: number;
  clusters: number;
  twinLikeJoined: number;
  twinLikeInOneCluster: number;
  prior: number;
  expectedMatches: number | null;
  metrics: { threshold: number; precision: number; recall: number; f1: number }[];
  clusterMetrics: { threshold: number; precision: number; recall: number; f1: number };
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

const ok = results.filter((r): r is RunResult => !('error' in r));
const recommended = ok[0]?.recommendedThreshold ?? 0.8;
const table = [
  `Cairn record linkage benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  machineLine(await machineFacts()),
  '',
  'Deduplication of synthetic English children (realistic errors profile, seed 20261122) with src/linkage/presets/children.json, timed from reading the CSV to clusters: reading and cleaning, training (u from 1,000,000 random pairs; m by expectation-maximisation on up to 2,000,000 pairs per training rule; the household segment’s prior and u; λ as the expected matches among the candidate pairs), scoring every candidate pair on two worker threads, and clustering. The file is generated first, untimed.',
  '',
  `Settings: the preset as committed — name (with nickname and variant lookup, one-slip and phonetic levels, term frequencies), date of birth (with swapped day and month, one wrong digit), sex, postcode, UPN and NHS number; the segment “same surname and postcode” weighed with its own prior and u (how twins and siblings are kept apart); 9 blocking rules (two of them insensitive to a first name and surname swapped); clustering that refuses to join records known to be different children (clusterContradictionWeight −6), and that inside a household takes no link without a first name or an identifier known on both records, nor one carrying strong evidence against it; anywhere, no link whose name, UPN and NHS number (where known) all count against it, and none just outside a household (all but one of its keys agreeing) with an identifying comparison that strongly disagrees.`,
  '',
  `**Recommended threshold: ${recommended}** (match probability). Pairwise figures count scored pairs at or above each threshold; cluster figures count every pair of records put in one cluster at the recommended threshold (so links through a third record count too).`,
  '',
  `| Records | Wall time (s) | Records/s | Peak memory (MiB) | Pairwise F1 at 0.5 / 0.8 / 0.9 / 0.95 / 0.99 | Pairwise precision / recall at ${recommended} | Cluster precision / recall / F1 at ${recommended} | Twin-like pairs of different children ≥ ${recommended} | Twin-like pairs of different children in one cluster |`,
  '|---:|---:|---:|---:|---|---|---|---:|---:|',
  ...results.map((r) => {
    if ('error' in r) return `| ${r.records.toLocaleString('en-GB')} | failed: ${r.error.replace(/\|/g, '/').slice(0, 200)} | | | | | | | |`;
    const at = (t: number) => r.metrics.find((m) => m.threshold === t);
    const c = r.clusterMetrics;
    return `| ${r.records.toLocaleString('en-GB')} | ${r.seconds} | ${r.recordsPerSecond.toLocaleString('en-GB')} | ${r.peakMemoryMiB} | ${[0.5, 0.8, 0.9, 0.95, 0.99].map((t) => at(t)?.f1 ?? 'n/a').join(' / ')} | ${at(r.recommendedThreshold)?.precision ?? 'n/a'} / ${at(r.recommendedThreshold)?.recall ?? 'n/a'} | ${c.precision} / ${c.recall} / ${c.f1} | ${r.twinLikeJoined} | ${r.twinLikeInOneCluster} |`;
  }),
  '',
  'Twin-like: two records of different children with the same surname, date of birth and first address line (as twins have).',
  '',
].join('\n');

const folder = join(REPO_ROOT, 'bench/results');
mkdirSync(folder, { recursive: true });
writeFileSync(join(folder, 'linkage.json'), `${JSON.stringify({ sizes, results }, null, 2)}\n`);
writeFileSync(join(folder, 'linkage.md'), table);
process.stdout.write(`\n${table}`);
process.exitCode = results.some((r) => 'error' in r) ? 1 : 0;
