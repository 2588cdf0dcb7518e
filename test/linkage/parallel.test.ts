import { describe, expect, test } from 'vitest';
import { CandidatePairs } from '../../src/linkage/blocking.ts';
import { tableFromRecords } from '../../src/linkage/data.ts';
import { createRandom, trainModel } from '../../src/linkage/model.ts';
import { scorePairsParallel } from '../../src/linkage/parallel.ts';
import { createScorer, scorePairs, weightFromProbability, type ScoredChunk } from '../../src/linkage/score.ts';
import { parseSettings } from '../../src/linkage/settings.ts';

// Workers load worker.ts directly, which needs Node's built-in type stripping (Node 22.6 and later;
// on by default from 23.6). The project runs on Node 24; an older system Node skips this file.
const typeStripping = (process.features as { typescript?: string | false }).typescript;
const canRunTsWorkers = typeof typeStripping === 'string' && typeStripping !== '';

const settings = parseSettings({
  linkType: 'dedupe',
  uniqueIdColumn: 'id',
  comparisons: [
    { name: 'first_name', columns: 'first_name', levels: [{ kind: 'exact', termFrequencyAdjustment: true }, { kind: 'jaroWinkler', threshold: 0.85 }, { kind: 'doubleMetaphone' }, { kind: 'else' }] },
    { name: 'surname', columns: 'surname', levels: [{ kind: 'exact' }, { kind: 'damerauLevenshtein', maxDistance: 1 }, { kind: 'else' }] },
    { name: 'dob', columns: 'dob', levels: [{ kind: 'null' }, { kind: 'dateExact' }, { kind: 'dateWithinYears', years: 1 }, { kind: 'else' }] },
  ],
  blockingRules: [[{ column: 'surname', transform: 'first3' }], [{ column: 'dob', transform: 'year' }]],
});

function records(count: number) {
  const random = createRandom(8);
  const first = ['amelia', 'amelie', 'oliver', 'olivia', 'jack', 'jak', 'isla', 'islay', 'harry', 'harri'];
  const surnames = ['smith', 'smyth', 'smithe', 'jones', 'jone', 'brown', 'browne'];
  return Array.from({ length: count }, (_, i) => ({
    id: String(i),
    first_name: first[Math.floor(random() * first.length)] as string,
    surname: surnames[Math.floor(random() * surnames.length)] as string,
    dob: random() < 0.1 ? '' : `${2005 + Math.floor(random() * 12)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
  }));
}

function flatten(chunks: ScoredChunk[]): { pairs: number[]; weights: number[] } {
  return { pairs: chunks.flatMap((chunk) => [...chunk.pairs]), weights: chunks.flatMap((chunk) => [...chunk.weights]) };
}

describe.skipIf(!canRunTsWorkers)('parallel scoring', () => {
  const table = tableFromRecords(settings, records(1500));
  const model = trainModel(table, settings, { uSampleSize: 50_000 });
  const scorer = createScorer(model, table);
  const candidates = new CandidatePairs(table, settings.blockingRules, 'dedupe');

  test('gives exactly the single-threaded results, in the same order, with progress', async () => {
    // The generated records hold few true duplicates; a threshold of -7.5 keeps about a third of the pairs.
    const thresholdWeight = -7.5;
    const single = flatten([...scorePairs(scorer, candidates.chunks(4096), { thresholdWeight })]);
    const total = candidates.count();
    expect(total).toBeGreaterThan(100_000);
    expect(single.weights.length).toBeGreaterThan(1000);
    expect(single.weights.length).toBeLessThan(total);
    const reports: [number, number][] = [];
    const chunks: ScoredChunk[] = [];
    for await (const chunk of scorePairsParallel(scorer, candidates.chunks(4096), {
      thresholdWeight,
      threads: 3,
      total,
      minPairsForWorkers: 1,
      onProgress: (done, all) => reports.push([done, all]),
    })) {
      chunks.push(chunk);
    }
    const parallel = flatten(chunks);
    expect(parallel.pairs.length).toBeGreaterThan(0);
    expect(parallel.pairs).toEqual(single.pairs);
    expect(parallel.weights).toEqual(single.weights);
    expect(reports.at(-1)).toEqual([total, total]);
    for (let r = 1; r < reports.length; r += 1) expect(reports[r]![0]).toBeGreaterThan(reports[r - 1]![0]);
  });

  test('small inputs stay on the calling thread and give the same results', async () => {
    const thresholdWeight = weightFromProbability(0.5);
    const single = flatten([...scorePairs(scorer, candidates.chunks(), { thresholdWeight })]);
    const chunks: ScoredChunk[] = [];
    for await (const chunk of scorePairsParallel(scorer, candidates.chunks(), { thresholdWeight, threads: 4, total: 10 })) chunks.push(chunk);
    expect(flatten(chunks)).toEqual(single);
  });

  test('stopping early shuts the workers down', async () => {
    let seen = 0;
    for await (const chunk of scorePairsParallel(scorer, candidates.chunks(1024), { thresholdWeight: Number.NEGATIVE_INFINITY, threads: 2, minPairsForWorkers: 1 })) {
      seen += chunk.weights.length;
      if (seen > 3000) break;
    }
    expect(seen).toBeGreaterThan(3000);
  });
});
