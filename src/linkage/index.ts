import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { CandidatePairs } from './blocking.ts';
import { clusterWithoutContradictions, numberClusters, UnionFind, type Clusters } from './cluster.ts';
import { loadTable, MISSING, type LinkageTable } from './data.ts';
import { loadModel, trainModel, type LinkageModel, type TrainOptions } from './model.ts';
import { scorePairsParallel } from './parallel.ts';
import { createScorer, explain, matchWeight, probabilityFromWeight, segmentOf, strongestEvidenceAgainst, weightFromProbability, type Scorer, type Waterfall } from './score.ts';
import { parseSettings, parseSettingsJson, SettingsError, type Settings } from './settings.ts';

/**
 * The linkage engine's public entry points: load one or two CSV files, train a model (or reuse a
 * saved one), score the candidate pairs and, if asked, cluster them; explain any pair; write the
 * results as CSV. See README.md beside this file for the settings format.
 */

export { CandidatePairs, PairLimitError } from './blocking.ts';
export { clusterPairs, clusterWithoutContradictions, UnionFind, type Clusters } from './cluster.ts';
export { cleanValue, CsvError, CsvParser, loadTable, parseCsv, readCsvRecords, tableFromRecords, type LinkageTable, type TermFrequencyTable } from './data.ts';
export { createRecordMatcher, loadChildrenPresetModel, type PersonRecord, type RecordMatch, type RecordMatcher } from './matcher.ts';
export { damerauLevenshtein, doubleMetaphone, jaro, jaroWinkler, levenshtein } from './metrics.ts';
export {
  initialModel,
  loadModel,
  ModelError,
  saveModel,
  termFrequencyTables,
  trainModel,
  withModelTermFrequencies,
  type LinkageModel,
  type TrainOptions,
} from './model.ts';
export { scorePairsParallel } from './parallel.ts';
export { createScorer, explain, formatWaterfall, matchWeight, probabilityFromWeight, scorePairs, weightFromProbability, type Waterfall, type WaterfallStep } from './score.ts';
export { parseSettings, parseSettingsJson, SettingsError, type Settings, type SettingsInput } from './settings.ts';

export interface LinkProgress {
  stage: 'loading' | 'training' | 'scoring' | 'clustering' | 'done';
  message: string;
  /** While scoring: pairs scored so far and in all (NaN when not counted). */
  pairsDone?: number;
  totalPairs?: number;
}

export interface LinkOptions {
  /** Settings as an object or JSON text; optional when a model is given (its settings are used). */
  settings?: unknown;
  /** The left CSV input (a path or a stream); the only input when deduplicating. */
  left: string | Readable;
  /** The right CSV input when linking two data sets. */
  right?: string | Readable;
  /** Train on this data (the default when no model is given), optionally with training options. */
  train?: boolean | TrainOptions;
  /** A trained model, or its saved JSON. */
  model?: LinkageModel | string;
  /** Keep pairs with match probability at or above this. */
  threshold: number;
  /** Also cluster records, joining pairs at or above the threshold. */
  cluster?: boolean;
  /** Worker threads for scoring (default: the machine's available parallelism; 1 scores on this thread). */
  threads?: number;
  onProgress?: (progress: LinkProgress) => void;
}

export interface LinkedPair {
  leftId: string;
  rightId: string;
  /** Record indexes in the table, for `explainPair`. */
  leftIndex: number;
  rightIndex: number;
  weight: number;
  probability: number;
}

export interface ClusterResult extends Clusters {
  /** Record ids per cluster number, in record order. */
  members: string[][];
}

export interface LinkResult {
  settings: Settings;
  model: LinkageModel;
  table: LinkageTable;
  /** Candidate pairs at or above the threshold, in candidate order. */
  pairs: LinkedPair[];
  clusters: ClusterResult | null;
}

function resolveSettings(options: Pick<LinkOptions, 'settings'>, model: LinkageModel | null): Settings {
  if (options.settings === undefined) {
    if (model === null) throw new SettingsError([{ path: '', message: 'give settings, or a model that carries them' }]);
    return model.settings;
  }
  const settings = typeof options.settings === 'string' ? parseSettingsJson(options.settings) : parseSettings(options.settings);
  if (model !== null && JSON.stringify(settings.comparisons) !== JSON.stringify(model.settings.comparisons)) {
    throw new SettingsError([{ path: 'comparisons', message: 'differ from the comparisons the model was trained with' }]);
  }
  return settings;
}

/** Links two CSV files (or deduplicates one, with `linkType: "dedupe"`), returning pairs and optionally clusters. */
export async function linkFiles(options: LinkOptions): Promise<LinkResult> {
  return run(options, null);
}

async function run(options: LinkOptions, requiredLinkType: Settings['linkType'] | null): Promise<LinkResult> {
  const progress = options.onProgress ?? (() => undefined);
  let model: LinkageModel | null = options.model === undefined ? null : typeof options.model === 'string' ? loadModel(options.model) : options.model;
  const settings = resolveSettings(options, model);
  if (requiredLinkType !== null && settings.linkType !== requiredLinkType) {
    throw new SettingsError([{ path: 'linkType', message: `must be "${requiredLinkType}" here` }]);
  }
  if (!(options.threshold >= 0 && options.threshold <= 1)) throw new RangeError('threshold is a match probability between 0 and 1');

  progress({ stage: 'loading', message: 'reading the input' });
  const table = await loadTable(settings, { left: options.left, right: options.right });

  if (model === null || options.train === true || typeof options.train === 'object') {
    if (options.train === false) throw new Error('No model given and training turned off');
    progress({ stage: 'training', message: 'training the model' });
    const trainOptions: TrainOptions = typeof options.train === 'object' ? options.train : {};
    model = trainModel(table, settings, { ...trainOptions, onProgress: (stage) => progress({ stage: 'training', message: stage }) });
  }

  const scorer = createScorer(model, table);
  const candidates = new CandidatePairs(table, settings.blockingRules, settings.linkType);
  candidates.assertWithin(settings.maxPairs, 'The blocking rules');
  const total = options.onProgress === undefined ? candidates.upperBound() : candidates.count();
  const thresholdWeight = weightFromProbability(options.threshold);
  progress({ stage: 'scoring', message: 'scoring candidate pairs', pairsDone: 0, totalPairs: total });

  const pairs: LinkedPair[] = [];
  const constrained = options.cluster === true && settings.clusterContradictionWeight !== undefined;
  const sets = options.cluster === true && !constrained ? new UnionFind(table.size) : null;
  const scored = scorePairsParallel(scorer, candidates.chunks(), {
    thresholdWeight,
    total,
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.onProgress === undefined ? {} : { onProgress: (done: number, all: number) => progress({ stage: 'scoring', message: 'scoring candidate pairs', pairsDone: done, totalPairs: all }) }),
  });
  for await (const chunk of scored) {
    for (let p = 0; p < chunk.weights.length; p += 1) {
      const a = chunk.pairs[2 * p] as number;
      const b = chunk.pairs[2 * p + 1] as number;
      const weight = chunk.weights[p] as number;
      pairs.push({ leftId: table.ids[a] as string, rightId: table.ids[b] as string, leftIndex: a, rightIndex: b, weight, probability: probabilityFromWeight(weight) });
      sets?.union(a, b);
    }
  }

  let clusters: ClusterResult | null = null;
  if (options.cluster === true) {
    progress({ stage: 'clustering', message: 'joining linked records into clusters' });
    clusters = sets !== null ? withMembers(table, numberClusters(sets, table.size)) : clusterLinkedPairs({ settings, model, table, pairs }, options.threshold, scorer);
  }
  progress({ stage: 'done', message: `${pairs.length} pairs at or above the threshold` });
  return { settings, model, table, pairs, clusters };
}

function withMembers(table: LinkageTable, numbered: Clusters): ClusterResult {
  const members: string[][] = Array.from({ length: numbered.count }, () => []);
  for (let i = 0; i < table.size; i += 1) members[numbered.clusterIds[i] as number]?.push(table.ids[i] as string);
  return { ...numbered, members };
}

/**
 * Clusters a result's pairs at a threshold at or above the one it was run with (so one scoring run
 * can be clustered at several thresholds). With the settings' `clusterContradictionWeight`, two
 * groups are not joined when a record of one is known to be a different child from a record of the
 * other; otherwise clusters are the connected components of the pairs.
 */
export function clusterLinkedPairs(result: Pick<LinkResult, 'settings' | 'model' | 'table' | 'pairs'>, threshold: number, scorer: Scorer = createScorer(result.model, result.table)): ClusterResult {
  const { settings, table } = result;
  const thresholdWeight = weightFromProbability(threshold);
  const kept = result.pairs.filter((pair) => pair.weight >= thresholdWeight);
  const limit = settings.clusterContradictionWeight;
  if (limit === undefined) {
    const sets = new UnionFind(table.size);
    for (const pair of kept) sets.union(pair.leftIndex, pair.rightIndex);
    return withMembers(table, numberClusters(sets, table.size));
  }
  // Which comparisons must be known for a link inside each segment to count (see `identifying`).
  const identifying = scorer.segments.map((_, s) => {
    const names = settings.segments?.[s]?.identifying;
    return names === undefined ? null : names.map((name) => settings.comparisons.findIndex((comparison) => comparison.name === name)).filter((k) => k >= 0);
  });
  // Outside every segment, the comparisons any segment names as identifying.
  const anyIdentifying = [...new Set(identifying.flatMap((list) => list ?? []))];
  const identifyingSegment = (a: number, b: number): boolean => {
    if (scorer.segments.length === 0) return false;
    const segment = segmentOf(scorer, a, b);
    return segment !== null && (identifying[scorer.segments.indexOf(segment)] ?? null) !== null;
  };
  const usable = (pair: LinkedPair): boolean => {
    const a = Math.min(pair.leftIndex, pair.rightIndex);
    const b = Math.max(pair.leftIndex, pair.rightIndex);
    if (scorer.segments.length === 0) return true;
    const segment = segmentOf(scorer, a, b);
    const needed = segment === null ? null : identifying[scorer.segments.indexOf(segment)];
    // Anywhere, a link whose identifying comparisons, where known, all weigh against it (a different
    // UPN on a record with no first name, say) is left to a person: what it rests on is where and
    // when the child was born, which a brother or sister shares.
    const weights = segment === null ? scorer.levelWeights : segment.levelWeights;
    let known = 0;
    let against = 0;
    for (const k of needed ?? anyIdentifying) {
      const levelWeights = weights[k];
      const comparison = scorer.comparisons[k]!;
      if (levelWeights === null || levelWeights === undefined) continue;
      const level = comparison.levelOf(a, b);
      if (level === comparison.nullLevel) continue;
      known += 1;
      if ((levelWeights[level] as number) < 0) against += 1;
    }
    if (known > 0 && against === known) return false;
    if (segment === null) {
      // Just outside a segment (all its keys but one agree: a household with the postcode mistyped,
      // say), an identifying comparison that the segment would count as a strong contradiction
      // (different first names for one surname and date of birth) leaves the link to a person too.
      for (let s = 0; s < scorer.segments.length; s += 1) {
        const near = scorer.segments[s]!;
        const list = identifying[s];
        if (list === null || list === undefined || near.keys.length < 2) continue;
        let agreeing = 0;
        for (const key of near.keys) if (key[a] !== MISSING && key[a] === key[b]) agreeing += 1;
        if (agreeing < near.keys.length - 1) continue;
        for (const k of list) {
          const levelWeights = near.levelWeights[k];
          if (levelWeights !== null && levelWeights !== undefined && (levelWeights[scorer.comparisons[k]!.levelOf(a, b)] as number) <= limit) return false;
        }
      }
    }
    if (needed === null || needed === undefined) return true;
    // Inside such a segment, a link that itself carries evidence this strong against it (different
    // first names or NHS numbers within one household: a brother's or sister's identifier, say) is
    // left to a person: it never joins clusters on its own.
    if (strongestEvidenceAgainst(scorer, a, b) <= limit) return false;
    // Inside the segment, what its rule fixes (one surname at one address, say) is no evidence of
    // which member a record is: at least one identifying comparison must be known on both records.
    return needed.some((k) => {
      const comparison = scorer.comparisons[k]!;
      return comparison.levelOf(a, b) !== comparison.nullLevel;
    });
  };
  const links = kept.filter(usable);
  const linked = new Uint32Array(links.length * 2);
  const weights = new Float64Array(links.length);
  links.forEach((pair, p) => {
    linked[2 * p] = pair.leftIndex;
    linked[2 * p + 1] = pair.rightIndex;
    weights[p] = pair.weight;
  });
  const contradicts = (x: number, y: number): boolean => {
    const a = Math.min(x, y);
    const b = Math.max(x, y);
    if (strongestEvidenceAgainst(scorer, a, b) > limit) return false;
    // Within a segment with identifying comparisons (one household), one strong reason is enough:
    // two records there with different NHS numbers are a brother and sister, however alike otherwise.
    if (identifyingSegment(a, b)) return true;
    // Elsewhere: more likely different children than the same, with at least one strong reason to think so.
    return matchWeight(scorer, a, b) < Math.min(0, thresholdWeight);
  };
  return withMembers(table, clusterWithoutContradictions(table.size, linked, weights, contradicts).clusters);
}

export interface DedupeOptions extends Omit<LinkOptions, 'left' | 'right' | 'cluster'> {
  /** The CSV input to deduplicate. */
  file: string | Readable;
  /** Cluster the records (default true: deduplication is usually wanted as groups). */
  cluster?: boolean;
}

/** Finds duplicate records within one CSV file; settings must have `linkType: "dedupe"`. */
export async function dedupeFile(options: DedupeOptions): Promise<LinkResult> {
  const { file, cluster, ...rest } = options;
  return run({ ...rest, left: file, cluster: cluster ?? true }, 'dedupe');
}

/** Why records i and j score as they do: each comparison's level, Bayes factor and weight, in order. */
export function explainPair(model: LinkageModel, table: LinkageTable, i: number, j: number): Waterfall {
  return explain(createScorer(model, table), i, j);
}

/** Quotes a CSV field when it needs it (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

async function writeLines(stream: Writable, header: string, rows: Iterable<string>): Promise<void> {
  let buffer = `${header}\r\n`;
  const flush = async (): Promise<void> => {
    if (!stream.write(buffer)) await once(stream, 'drain');
    buffer = '';
  };
  for (const row of rows) {
    buffer += `${row}\r\n`;
    if (buffer.length >= 1 << 16) await flush();
  }
  if (buffer.length > 0) await flush();
}

/** Writes pairs as CSV: left_id, right_id, match_weight, match_probability. The stream is left open. */
export async function writePairsCsv(stream: Writable, pairs: Iterable<LinkedPair>): Promise<void> {
  await writeLines(
    stream,
    'left_id,right_id,match_weight,match_probability',
    (function* rows() {
      for (const pair of pairs) yield `${csvField(pair.leftId)},${csvField(pair.rightId)},${pair.weight.toFixed(4)},${pair.probability.toPrecision(6)}`;
    })(),
  );
}

/** Writes one row per record: cluster_id, id, cluster_size. The stream is left open. */
export async function writeClustersCsv(stream: Writable, table: LinkageTable, clusters: Clusters): Promise<void> {
  await writeLines(
    stream,
    'cluster_id,id,cluster_size',
    (function* rows() {
      for (let i = 0; i < table.size; i += 1) {
        const cluster = clusters.clusterIds[i] as number;
        yield `${cluster},${csvField(table.ids[i] as string)},${clusters.sizes[cluster] as number}`;
      }
    })(),
  );
}
