/**
 * Ground truth for generated files and pairwise scoring against it. Linkage quality is reported as
 * pairwise precision, recall and F1 (the usual measures for deduplication and linking), computed
 * from counts rather than by listing every true pair, so scoring a million-record run needs only
 * a map from record to person.
 */

import { readCsvRows } from './csv.ts';

/** The two columns of a generated record that the truth needs. */
export interface TruthRow {
  readonly recordId: string;
  readonly personId: string;
}

export type Side = 'left' | 'right';

/**
 * Who each record belongs to. In dedupe mode a true pair is any two records of the same person; in
 * link mode only a left record and a right record of the same person make a true pair.
 */
export interface GroundTruth {
  readonly mode: 'dedupe' | 'link';
  /** Record id → person id, for every record on either side. */
  readonly personOf: ReadonlyMap<string, string>;
  /** Record id → side, in link mode; null in dedupe mode. */
  readonly sideOf: ReadonlyMap<string, Side> | null;
  readonly records: number;
  readonly people: number;
  /** How many true pairs there are to find. */
  readonly truePairs: number;
}

function addRows(rows: Iterable<TruthRow>, personOf: Map<string, string>, onRecord: (row: TruthRow) => void): void {
  for (const row of rows) {
    if (personOf.has(row.recordId)) throw new Error(`record id ${row.recordId} appears twice`);
    personOf.set(row.recordId, row.personId);
    onRecord(row);
  }
}

/** Truth for deduplicating one file. */
export function buildTruth(rows: Iterable<TruthRow>): GroundTruth {
  const personOf = new Map<string, string>();
  const perPerson = new Map<string, number>();
  addRows(rows, personOf, (row) => perPerson.set(row.personId, (perPerson.get(row.personId) ?? 0) + 1));
  let truePairs = 0;
  for (const count of perPerson.values()) truePairs += (count * (count - 1)) / 2;
  return { mode: 'dedupe', personOf, sideOf: null, records: personOf.size, people: perPerson.size, truePairs };
}

/**
 * Truth for linking two files. Record ids must be unique across both files (generated ones are), so
 * that a cluster of record ids is never ambiguous.
 */
export function buildLinkTruth(left: Iterable<TruthRow>, right: Iterable<TruthRow>): GroundTruth {
  const personOf = new Map<string, string>();
  const sideOf = new Map<string, Side>();
  const counts = new Map<string, { left: number; right: number }>();
  const count = (side: Side) => (row: TruthRow) => {
    sideOf.set(row.recordId, side);
    let entry = counts.get(row.personId);
    if (entry === undefined) {
      entry = { left: 0, right: 0 };
      counts.set(row.personId, entry);
    }
    entry[side] += 1;
  };
  addRows(left, personOf, count('left'));
  addRows(right, personOf, count('right'));
  let truePairs = 0;
  for (const entry of counts.values()) truePairs += entry.left * entry.right;
  return { mode: 'link', personOf, sideOf, records: personOf.size, people: counts.size, truePairs };
}

async function* truthRows(path: string): AsyncGenerator<TruthRow, void, undefined> {
  for await (const row of readCsvRows(path)) {
    const recordId = row['record_id'];
    const personId = row['person_id'];
    if (recordId === undefined || personId === undefined) {
      throw new Error(`${path} has no record_id and person_id columns`);
    }
    yield { recordId, personId };
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Truth from a generated CSV file, for dedupe mode. */
export async function readTruth(path: string): Promise<GroundTruth> {
  return buildTruth(await collect(truthRows(path)));
}

/** Truth from a generated left and right file, for link mode. */
export async function readLinkTruth(leftPath: string, rightPath: string): Promise<GroundTruth> {
  return buildLinkTruth(await collect(truthRows(leftPath)), await collect(truthRows(rightPath)));
}

/**
 * Every true pair, each once: in dedupe mode with the smaller id first (as pairKey orders them), in
 * link mode as [left, right]. For measuring blocking recall; evaluate does not need it.
 */
export function* truePairs(truth: GroundTruth): Generator<readonly [string, string], void, undefined> {
  const byPerson = new Map<string, string[]>();
  for (const [recordId, personId] of truth.personOf) {
    const list = byPerson.get(personId);
    if (list === undefined) byPerson.set(personId, [recordId]);
    else list.push(recordId);
  }
  for (const records of byPerson.values()) {
    for (let i = 0; i < records.length; i += 1) {
      for (let j = i + 1; j < records.length; j += 1) {
        const a = records[i] as string;
        const b = records[j] as string;
        if (truth.sideOf === null) {
          yield a < b ? [a, b] : [b, a];
        } else {
          const sideA = truth.sideOf.get(a);
          if (sideA === truth.sideOf.get(b)) continue;
          yield sideA === 'left' ? [a, b] : [b, a];
        }
      }
    }
  }
}

/** One key for a pair whichever way round it is given. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

export interface PairwiseMetrics {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  /** Distinct predicted pairs that count (in link mode, pairs across the two sides). */
  readonly predictedPairs: number;
  readonly truePairs: number;
  /** 1 when nothing is predicted: no prediction is wrong, by the usual convention for precision–recall curves. */
  readonly precision: number;
  /** 1 when there is nothing to find. */
  readonly recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  readonly f1: number;
  /** In link mode, predicted pairs with both records on one side, which linking never asks for; not counted. */
  readonly ignoredPairs: number;
}

/**
 * A linker's output: pairs it declared matches (in either order, repeats ignored), or clusters of
 * record ids it declared to be one person. Records in no cluster are single-record clusters.
 */
export type Prediction = Iterable<readonly [string, string]> | { readonly clusters: Iterable<Iterable<string>> };

function metrics(truePositives: number, predictedPairs: number, truePairCount: number, ignoredPairs: number): PairwiseMetrics {
  const precision = predictedPairs === 0 ? 1 : truePositives / predictedPairs;
  const recall = truePairCount === 0 ? 1 : truePositives / truePairCount;
  return {
    truePositives,
    falsePositives: predictedPairs - truePositives,
    falseNegatives: truePairCount - truePositives,
    predictedPairs,
    truePairs: truePairCount,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    ignoredPairs,
  };
}

function personOfOrThrow(truth: GroundTruth, recordId: string): string {
  const person = truth.personOf.get(recordId);
  if (person === undefined) throw new Error(`unknown record id: ${recordId}`);
  return person;
}

/**
 * Classifies one predicted pair: null when it should be skipped (a link-mode pair within one side),
 * otherwise whether it is a true match. Throws on unknown ids and on a record paired with itself,
 * which are bugs in the linker under test rather than predictions to score.
 */
function classifyPair(truth: GroundTruth, a: string, b: string): boolean | null {
  if (a === b) throw new Error(`record ${a} is paired with itself`);
  const personA = personOfOrThrow(truth, a);
  const personB = personOfOrThrow(truth, b);
  if (truth.sideOf !== null && truth.sideOf.get(a) === truth.sideOf.get(b)) return null;
  return personA === personB;
}

function isClusters(prediction: Prediction): prediction is { readonly clusters: Iterable<Iterable<string>> } {
  return typeof prediction === 'object' && prediction !== null && 'clusters' in prediction;
}

/** Pairwise precision, recall and F1 of predicted pairs or clusters against the truth. */
export function evaluate(prediction: Prediction, truth: GroundTruth): PairwiseMetrics {
  if (isClusters(prediction)) return evaluateClusters(prediction.clusters, truth);
  const seen = new Set<string>();
  let predicted = 0;
  let truePositives = 0;
  let ignored = 0;
  for (const [a, b] of prediction) {
    const key = pairKey(a, b);
    if (seen.has(key)) continue;
    seen.add(key);
    const match = classifyPair(truth, a, b);
    if (match === null) {
      ignored += 1;
      continue;
    }
    predicted += 1;
    if (match) truePositives += 1;
  }
  return metrics(truePositives, predicted, truth.truePairs, ignored);
}

function evaluateClusters(clusters: Iterable<Iterable<string>>, truth: GroundTruth): PairwiseMetrics {
  const placed = new Set<string>();
  let predicted = 0;
  let truePositives = 0;
  for (const cluster of clusters) {
    // person → [left count, right count]; in dedupe mode everything counts as left.
    const byPerson = new Map<string, [number, number]>();
    let left = 0;
    let right = 0;
    for (const recordId of cluster) {
      if (placed.has(recordId)) throw new Error(`record ${recordId} is in more than one cluster`);
      placed.add(recordId);
      const person = personOfOrThrow(truth, recordId);
      const isRight = truth.sideOf?.get(recordId) === 'right';
      let counts = byPerson.get(person);
      if (counts === undefined) {
        counts = [0, 0];
        byPerson.set(person, counts);
      }
      if (isRight) {
        counts[1] += 1;
        right += 1;
      } else {
        counts[0] += 1;
        left += 1;
      }
    }
    if (truth.sideOf === null) {
      predicted += (left * (left - 1)) / 2;
      for (const [n] of byPerson.values()) truePositives += (n * (n - 1)) / 2;
    } else {
      predicted += left * right;
      for (const [l, r] of byPerson.values()) truePositives += l * r;
    }
  }
  return metrics(truePositives, predicted, truth.truePairs, 0);
}

export interface ThresholdMetrics extends PairwiseMetrics {
  /** Pairs scoring at or above this are predicted matches. */
  readonly threshold: number;
}

/**
 * Metrics at several score thresholds from one pass over scored pairs, for a benchmark's
 * precision–recall table. A pair given more than once counts once, at its highest score.
 * Results are in the order the thresholds were given.
 */
export function evaluateAtThresholds(
  scoredPairs: Iterable<readonly [string, string, number]>,
  truth: GroundTruth,
  thresholds: readonly number[],
): ThresholdMetrics[] {
  const best = new Map<string, { score: number; match: boolean }>();
  let ignored = 0;
  const ignoredKeys = new Set<string>();
  for (const [a, b, score] of scoredPairs) {
    if (Number.isNaN(score)) throw new Error(`pair ${a}, ${b} has no score`);
    const key = pairKey(a, b);
    const known = best.get(key);
    if (known !== undefined) {
      if (score > known.score) known.score = score;
      continue;
    }
    if (ignoredKeys.has(key)) continue;
    const match = classifyPair(truth, a, b);
    if (match === null) {
      ignoredKeys.add(key);
      ignored += 1;
      continue;
    }
    best.set(key, { score, match });
  }
  const sorted = [...thresholds].sort((x, y) => x - y);
  // predictedBelow[k]: pairs whose score reaches exactly the k lowest thresholds. A threshold's
  // predicted pairs are then the sum over larger k, accumulated from the top threshold down.
  const predictedBelow = new Array<number>(sorted.length + 1).fill(0);
  const trueBelow = new Array<number>(sorted.length + 1).fill(0);
  for (const { score, match } of best.values()) {
    // How many thresholds this score reaches: the first index whose threshold exceeds the score.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as number) <= score) lo = mid + 1;
      else hi = mid;
    }
    predictedBelow[lo] = (predictedBelow[lo] as number) + 1;
    if (match) trueBelow[lo] = (trueBelow[lo] as number) + 1;
  }
  const bySortedIndex: ThresholdMetrics[] = [];
  let predicted = 0;
  let truePositives = 0;
  for (let j = sorted.length - 1; j >= 0; j -= 1) {
    predicted += predictedBelow[j + 1] as number;
    truePositives += trueBelow[j + 1] as number;
    bySortedIndex[j] = { threshold: sorted[j] as number, ...metrics(truePositives, predicted, truth.truePairs, ignored) };
  }
  return thresholds.map((threshold) => {
    const found = bySortedIndex[sorted.indexOf(threshold)];
    if (found === undefined) throw new Error(`threshold ${threshold} is not a number`);
    return found;
  });
}
