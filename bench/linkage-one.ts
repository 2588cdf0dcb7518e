import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clusterLinkedPairs, dedupeFile } from '../src/linkage/index.ts';
import { writePopulationCsv } from '../src/linkage/synthetic/generate.ts';
import { evaluate, evaluateAtThresholds, readTruth } from '../src/linkage/synthetic/truth.ts';
import { readCsvRows } from '../src/linkage/synthetic/csv.ts';

/**
 * One deduplication run for `npm run bench:linkage`, in its own process so its peak memory is its
 * own: generate N synthetic records (not timed), deduplicate them with the children preset (timed:
 * reading, training, scoring, and clustering at the recommended threshold), then score the result
 * against the ground truth: pairwise at several thresholds, and the clusters at the recommended one.
 */

/** The match probability the benchmark recommends linking at with the children preset. */
const RECOMMENDED_THRESHOLD = 0.8;

const records = Number(process.argv[2] ?? '10000');
const seed = Number(process.argv[3] ?? '20261122');
const thresholds = [0.5, 0.8, 0.9, 0.95, 0.99];
const folder = mkdtempSync(join(tmpdir(), 'cairn-linkage-'));
const file = join(folder, 'population.csv');
try {
  const out = createWriteStream(file);
  const summary = await writePopulationCsv({ seed, records, errorProfile: 'realistic' }, out);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));

  // The preset's pair guard suits a council's files; a million-record benchmark needs more room.
  const preset = JSON.parse(readFileSync(new URL('../src/linkage/presets/children.json', import.meta.url), 'utf8')) as { maxPairs?: number };
  const settings = JSON.stringify({ ...preset, maxPairs: Math.max(preset.maxPairs ?? 0, records * 500) });
  const started = performance.now();
  // Pairs are kept down to the lowest threshold reported, and clustered at the recommended one.
  const result = await dedupeFile({ settings, file, train: true, threshold: Math.min(...thresholds), cluster: false });
  const clusters = clusterLinkedPairs(result, RECOMMENDED_THRESHOLD);
  const seconds = (performance.now() - started) / 1000;

  const truth = await readTruth(file);
  const metrics = evaluateAtThresholds(
    result.pairs.map((p) => [p.leftId, p.rightId, p.probability] as const),
    truth,
    thresholds,
  );
  const clusterMetrics = evaluate({ clusters: clusters.members }, truth);
  // Twins share a surname, address and date of birth; records like that of different children must never be joined.
  const rows = new Map<string, { person: string; surname: string; dob: string; address: string }>();
  for await (const row of readCsvRows(file)) rows.set(row['record_id']!, { person: row['person_id']!, surname: (row['surname'] ?? '').toLowerCase(), dob: (row['date_of_birth'] ?? '').replace(/-/g, ''), address: (row['address_line_1'] ?? '').toLowerCase() });
  const twinLike = (x: string, y: string): boolean => {
    const a = rows.get(x)!;
    const b = rows.get(y)!;
    return a.person !== b.person && a.surname === b.surname && a.dob === b.dob && a.address === b.address;
  };
  const twinLikeJoined = result.pairs.filter((p) => p.probability >= RECOMMENDED_THRESHOLD && twinLike(p.leftId, p.rightId)).length;
  let twinLikeInOneCluster = 0;
  for (const members of clusters.members) {
    for (let i = 0; i < members.length; i += 1) for (let j = i + 1; j < members.length; j += 1) if (twinLike(members[i]!, members[j]!)) twinLikeInOneCluster += 1;
  }
  const training = result.model.training;
  process.stdout.write(
    `${JSON.stringify({
      records,
      people: summary.people,
      truePairs: summary.truePairs,
      twinPairs: summary.twinPairs,
      seconds: Math.round(seconds * 10) / 10,
      recordsPerSecond: Math.round(records / seconds),
      peakMemoryMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      pairsAbove: result.pairs.length,
      recommendedThreshold: RECOMMENDED_THRESHOLD,
      clusters: clusters.count,
      twinLikeJoined,
      twinLikeInOneCluster,
      prior: result.model.prior,
      expectedMatches: training?.expectedMatches ?? null,
      metrics: metrics.map((m) => ({ threshold: m.threshold, precision: round4(m.precision), recall: round4(m.recall), f1: round4(m.f1) })),
      clusterMetrics: { threshold: RECOMMENDED_THRESHOLD, precision: round4(clusterMetrics.precision), recall: round4(clusterMetrics.recall), f1: round4(clusterMetrics.f1) },
    })}\n`,
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
}

function round4(value: number): number {
  return Math.round(value * 10000) / 10000;
}
