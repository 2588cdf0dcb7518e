import { keyValues } from './blocking.ts';
import { MISSING, valueOf, type LinkageTable } from './data.ts';
import { compileComparisons, PROBABILITY_FLOOR, type CompiledComparison, type LinkageModel } from './model.ts';
import { comparisonLabel, levelLabel, type LevelSettings } from './settings.ts';

/**
 * Scoring pairs with a trained model. A pair's match weight is the log2 of the prior odds plus the
 * log2 Bayes factor of the level each comparison lands on (and, for term-frequency levels, a further
 * factor for how common the shared value is). The weight is additive on purpose: the waterfall
 * shows each part, so an officer can see exactly why two records were, or were not, linked.
 */

export interface Scorer {
  model: LinkageModel;
  table: LinkageTable;
  comparisons: CompiledComparison[];
  /** log2(λ / (1 − λ)). */
  priorWeight: number;
  /** Per comparison, per level: log2(m / u); 0 for a null level. */
  levelWeights: Float64Array[];
  /** Per comparison, per level: u, which a term-frequency adjustment divides by the value's frequency. */
  levelU: Float64Array[];
  /** The model's segments, tried in order before the model as a whole. */
  segments: CompiledSegment[];
}

/** A segment bound to a table: its rule's keys per record, and its own prior and weights. */
export interface CompiledSegment {
  name: string;
  label: string;
  /** Per key of the rule, an id per record equal for two records exactly when the key agrees. */
  keys: Int32Array[];
  priorWeight: number;
  /** Per comparison: null when the rule decides it (it adds nothing), else log2(m / u) per level with the segment's u. */
  levelWeights: (Float64Array | null)[];
  levelU: (Float64Array | null)[];
}

/** Binds a model to a table's features. */
export function createScorer(model: LinkageModel, table: LinkageTable): Scorer {
  const comparisons = compileComparisons(model.settings, table);
  return {
    model,
    table,
    comparisons,
    priorWeight: Math.log2(model.prior / (1 - model.prior)),
    levelWeights: model.comparisons.map((comparison, k) =>
      Float64Array.from(comparison.levels, (level, index) => (index === comparisons[k]?.nullLevel ? 0 : Math.log2(level.m / level.u))),
    ),
    levelU: model.comparisons.map((comparison) => Float64Array.from(comparison.levels, (level) => level.u)),
    segments: (model.settings.segments ?? []).map((segment, s): CompiledSegment => {
      const parameters = model.segments?.[s];
      if (parameters === undefined) throw new Error(`The model has no parameters for the segment "${segment.name}"; train it with these settings`);
      return {
        name: segment.name,
        label: parameters.label,
        keys: segment.rule.map((key) => keyValues(table, key)),
        priorWeight: Math.log2(parameters.prior / (1 - parameters.prior)),
        levelWeights: model.comparisons.map((comparison, k) => {
          const u = parameters.u[k];
          if (u === null || u === undefined) return null;
          return Float64Array.from(comparison.levels, (level, index) => (index === comparisons[k]?.nullLevel ? 0 : Math.log2(level.m / (u[index] as number))));
        }),
        levelU: parameters.u.map((u) => (u === null ? null : Float64Array.from(u))),
      };
    }),
  };
}

/** The first of the scorer's segments whose rule accepts pair (a, b), or null. */
export function segmentOf(scorer: Scorer, a: number, b: number): CompiledSegment | null {
  for (const segment of scorer.segments) {
    let inside = true;
    for (const key of segment.keys) {
      const value = key[a] as number;
      if (value === MISSING || value !== key[b]) {
        inside = false;
        break;
      }
    }
    if (inside) return segment;
  }
  return null;
}

export function probabilityFromWeight(weight: number): number {
  return 1 / (1 + 2 ** -weight);
}

export function weightFromProbability(probability: number): number {
  if (probability <= 0) return Number.NEGATIVE_INFINITY;
  if (probability >= 1) return Number.POSITIVE_INFINITY;
  return Math.log2(probability / (1 - probability));
}

/**
 * The term-frequency weight for a pair at a level: log2(u / f), where f is the shared value's share
 * of the data for exact levels and the larger of the two values' shares otherwise (a fuzzy match
 * on a common name is as weak as the common name). Zero when either value is missing.
 */
function termFrequencyWeight(comparison: CompiledComparison, level: number, u: number, a: number, b: number): { frequency: number; weight: number } | null {
  const frequencies = comparison.termFrequencies[level];
  if (frequencies === null || frequencies === undefined) return null;
  const fa = frequencies[a] as number;
  const fb = frequencies[b] as number;
  if (fa === 0 || fb === 0) return null;
  const frequency = comparison.termFrequencyExact[level] === true ? fa : Math.max(fa, fb);
  return { frequency, weight: Math.log2(u / Math.max(frequency, PROBABILITY_FLOOR)) };
}

/**
 * Match weight of pair (a, b). A pair in a segment is weighed with the segment's prior and u, and
 * without term-frequency adjustments: how common a name is in the whole data says little about
 * how often it is shared within, say, one household.
 */
export function matchWeight(scorer: Scorer, a: number, b: number): number {
  const { comparisons, levelWeights, levelU } = scorer;
  if (scorer.segments.length > 0) {
    const segment = segmentOf(scorer, a, b);
    if (segment !== null) {
      let weight = segment.priorWeight;
      for (let k = 0; k < comparisons.length; k += 1) {
        const weights = segment.levelWeights[k];
        if (weights === null || weights === undefined) continue;
        weight += weights[(comparisons[k] as CompiledComparison).levelOf(a, b)] as number;
      }
      return weight;
    }
  }
  let weight = scorer.priorWeight;
  for (let k = 0; k < comparisons.length; k += 1) {
    const comparison = comparisons[k] as CompiledComparison;
    const level = comparison.levelOf(a, b);
    weight += (levelWeights[k] as Float64Array)[level] as number;
    if (comparison.termFrequencies[level] !== null) {
      const adjustment = termFrequencyWeight(comparison, level, (levelU[k] as Float64Array)[level] as number, a, b);
      if (adjustment !== null) weight += adjustment.weight;
    }
  }
  return weight;
}

/**
 * The most negative weight any one comparison gives pair (a, b), as its segment (if any) weighs it:
 * how strongly the single most contradictory piece of evidence says the records are different.
 */
export function strongestEvidenceAgainst(scorer: Scorer, a: number, b: number): number {
  const { comparisons, levelWeights } = scorer;
  const segment = scorer.segments.length > 0 ? segmentOf(scorer, a, b) : null;
  let lowest = 0;
  for (let k = 0; k < comparisons.length; k += 1) {
    const weights = segment === null ? levelWeights[k] : segment.levelWeights[k];
    if (weights === null || weights === undefined) continue;
    const weight = weights[(comparisons[k] as CompiledComparison).levelOf(a, b)] as number;
    if (weight < lowest) lowest = weight;
  }
  return lowest;
}

/** Pairs kept from a chunk, interleaved as in the input, with their weights. */
export interface ScoredChunk {
  pairs: Uint32Array;
  weights: Float64Array;
}

/** Scores a chunk of interleaved pairs and keeps those with weight at or above `thresholdWeight`. */
export function scoreChunk(scorer: Scorer, chunk: Uint32Array, thresholdWeight: number): ScoredChunk {
  const count = chunk.length >>> 1;
  const keptPairs = new Uint32Array(chunk.length);
  const keptWeights = new Float64Array(count);
  let kept = 0;
  for (let p = 0; p < count; p += 1) {
    const a = chunk[2 * p] as number;
    const b = chunk[2 * p + 1] as number;
    const weight = matchWeight(scorer, a, b);
    if (weight >= thresholdWeight) {
      keptPairs[2 * kept] = a;
      keptPairs[2 * kept + 1] = b;
      keptWeights[kept] = weight;
      kept += 1;
    }
  }
  return { pairs: keptPairs.slice(0, 2 * kept), weights: keptWeights.slice(0, kept) };
}

export interface ScoreOptions {
  /** Keep pairs with match probability at or above this (0 keeps every pair). */
  threshold?: number;
  /** Or give the threshold as a match weight; it wins over `threshold`. */
  thresholdWeight?: number;
  onProgress?: (pairsDone: number) => void;
}

export function thresholdWeightOf(options: { threshold?: number | undefined; thresholdWeight?: number | undefined }): number {
  if (options.thresholdWeight !== undefined) return options.thresholdWeight;
  return weightFromProbability(options.threshold ?? 0);
}

/** Streams scored chunks for a stream of pair chunks, keeping pairs above the threshold. */
export function* scorePairs(scorer: Scorer, chunks: Iterable<Uint32Array>, options: ScoreOptions = {}): Generator<ScoredChunk> {
  const threshold = thresholdWeightOf(options);
  let done = 0;
  for (const chunk of chunks) {
    const scored = scoreChunk(scorer, chunk, threshold);
    done += chunk.length >>> 1;
    options.onProgress?.(done);
    if (scored.weights.length > 0) yield scored;
  }
}

export interface WaterfallStep {
  /** The comparison's name in the settings. */
  comparison: string;
  /** What the comparison looks at, in words (e.g. "Date of birth"): its label in the settings, or its name. */
  comparisonLabel: string;
  columns: string[];
  /** The compared values as written, for each record. */
  leftValues: (string | null)[];
  rightValues: (string | null)[];
  level: number;
  /** The level, in words (e.g. "day and month swapped"). */
  label: string;
  /** Comparison and level together, for an officer: "Date of birth: day and month swapped". */
  description: string;
  /** m and u of the level; null for a null level, which is neutral. */
  m: number | null;
  u: number | null;
  bayesFactor: number;
  /** log2 of the Bayes factor: this comparison's contribution before any term-frequency adjustment. */
  weight: number;
  termFrequency: { frequency: number; bayesFactor: number; weight: number } | null;
  /** Match weight after this step. */
  cumulativeWeight: number;
  /** True when the pair's segment rule decides this comparison, so that it adds nothing beyond the segment's prior. */
  decidedBySegment: boolean;
}

export interface Waterfall {
  left: { index: number; id: string };
  right: { index: number; id: string };
  /** The segment the pair is in, whose prior and u weigh it; null when it is weighed by the model as a whole. */
  segment: { name: string; label: string } | null;
  prior: number;
  priorWeight: number;
  steps: WaterfallStep[];
  matchWeight: number;
  probability: number;
}

/** Every contribution to a pair's weight, in order; the contributions add up to `matchWeight`. */
export function explain(scorer: Scorer, a: number, b: number): Waterfall {
  const { table, model, comparisons, levelWeights, levelU } = scorer;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= table.size || b >= table.size) {
    throw new RangeError(`Records ${a} and ${b} are not both in the table (0 to ${table.size - 1})`);
  }
  const segment = scorer.segments.length > 0 ? segmentOf(scorer, a, b) : null;
  const segmentIndex = segment === null ? -1 : scorer.segments.indexOf(segment);
  const priorWeight = segment === null ? scorer.priorWeight : segment.priorWeight;
  let cumulative = priorWeight;
  const steps = model.settings.comparisons.map((settings, k): WaterfallStep => {
    const comparison = comparisons[k] as CompiledComparison;
    const level = comparison.levelOf(a, b);
    const parameters = model.comparisons[k]?.levels[level];
    const label = parameters?.label ?? levelLabel(settings, settings.levels[level] as LevelSettings);
    const heading = comparisonLabel(settings);
    const decided = segment !== null && segment.levelWeights[k] === null;
    const isNull = level === comparison.nullLevel || decided;
    const weight = decided ? 0 : (((segment === null ? levelWeights[k] : segment.levelWeights[k]) as Float64Array)[level] as number);
    const u = segment === null ? (parameters?.u ?? null) : (model.segments?.[segmentIndex]?.u[k]?.[level] ?? null);
    cumulative += weight;
    let termFrequency: WaterfallStep['termFrequency'] = null;
    if (segment === null && comparison.termFrequencies[level] !== null) {
      const adjustment = termFrequencyWeight(comparison, level, (levelU[k] as Float64Array)[level] as number, a, b);
      if (adjustment !== null) {
        cumulative += adjustment.weight;
        termFrequency = { frequency: adjustment.frequency, bayesFactor: 2 ** adjustment.weight, weight: adjustment.weight };
      }
    }
    return {
      comparison: settings.name,
      comparisonLabel: heading,
      columns: settings.columns,
      leftValues: settings.columns.map((column) => valueOf(table, column, a)),
      rightValues: settings.columns.map((column) => valueOf(table, column, b)),
      level,
      label,
      description: `${heading}: ${label}`,
      m: isNull ? null : (parameters?.m ?? null),
      u: isNull ? null : u,
      bayesFactor: 2 ** weight,
      weight,
      termFrequency,
      cumulativeWeight: cumulative,
      decidedBySegment: decided,
    };
  });
  return {
    left: { index: a, id: table.ids[a] as string },
    right: { index: b, id: table.ids[b] as string },
    segment: segment === null ? null : { name: segment.name, label: segment.label },
    prior: segment === null ? model.prior : (model.segments?.[segmentIndex]?.prior ?? model.prior),
    priorWeight,
    steps,
    matchWeight: cumulative,
    probability: probabilityFromWeight(cumulative),
  };
}

/** A plain-text rendering of a waterfall for case notes and logs. */
export function formatWaterfall(waterfall: Waterfall): string {
  const prior = waterfall.segment === null ? 'prior' : `prior: ${waterfall.segment.label}`;
  const lines = [`Records ${waterfall.left.id} and ${waterfall.right.id}`, `  ${prior.padEnd(55)} ${signed(waterfall.priorWeight)}`];
  for (const step of waterfall.steps) {
    const values = `${step.leftValues.map(show).join(' ')} | ${step.rightValues.map(show).join(' ')}`;
    const label = step.decidedBySegment ? `${step.label} (in the prior)` : step.label;
    lines.push(`  ${step.comparisonLabel.padEnd(14)} ${label.padEnd(40)} ${signed(step.weight)}  (Bayes factor ${step.bayesFactor.toPrecision(3)}; ${values})`);
    if (step.termFrequency !== null) {
      lines.push(`  ${''.padEnd(14)} ${`term frequency ${step.termFrequency.frequency.toPrecision(3)}`.padEnd(40)} ${signed(step.termFrequency.weight)}`);
    }
  }
  lines.push(`  match weight ${signed(waterfall.matchWeight)}, probability ${waterfall.probability.toFixed(4)}`);
  return lines.join('\n');
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;
}

function show(value: string | null): string {
  return value === null ? '(missing)' : JSON.stringify(value);
}
