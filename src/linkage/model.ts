import { z } from 'zod';
import { CandidatePairs, type LinkType } from './blocking.ts';
import {
  frequenciesFromTable,
  MISSING,
  NO_DATE,
  termFrequencyKey,
  termFrequencyKeys,
  termFrequencyTable,
  totalPossiblePairs,
  type ColumnFeatures,
  type LinkageTable,
  type TermFrequencyTable,
} from './data.ts';
import { damerauLevenshtein, jaroWinkler, levenshtein, withinOneEdit } from './metrics.ts';
import { nameVariantIndex, type NameVariantIndex } from './names.ts';
// score.ts imports this module too; only functions cross between them, called after both have loaded.
import { createScorer, matchWeight, probabilityFromWeight, segmentOf } from './score.ts';
import {
  comparisonDependsOn,
  describeRule,
  formatPath,
  levelColumns,
  levelLabel,
  ruleColumns,
  settingsSchema,
  type BlockingRule,
  type ComparisonSettings,
  type LevelKind,
  type LevelSettings,
  type Settings,
} from './settings.ts';

/**
 * The Fellegi–Sunter model. For every comparison level, m is the chance a true match lands on that
 * level and u the chance a non-match does; their ratio is the level's Bayes factor. λ is the prior
 * chance that two records picked at random are the same child.
 *
 * Training follows Splink: u from randomly sampled pairs (almost all non-matches), m by
 * expectation-maximisation over blocked pairs with u held fixed, one session per training rule with
 * that rule's comparisons left out (every blocked pair agrees on them, so they cannot be learnt
 * there), and λ from pairs the deterministic rules accept, scaled up by their assumed recall, or as
 * the expected number of matches among the candidate pairs. Beyond Splink, segments (pairs agreeing
 * on a rule, such as one household) get their own λ and u, by EM with m held, because within them
 * the comparisons are not independent.
 */

// ---------------------------------------------------------------------------------------------
// Comparisons compiled against a table

export interface CompiledComparison {
  name: string;
  levelCount: number;
  /** Index of the "null" level, or -1; a null level is neutral and takes no part in estimation. */
  nullLevel: number;
  /** Level index for a pair: the first level whose condition holds. */
  levelOf: (a: number, b: number) => number;
  /** Per level, the term frequencies to use instead of u, or null when the level has no adjustment. */
  termFrequencies: (Float64Array | null)[];
  /** Per level, whether the frequency is the (shared) value's own or the larger of the two values'. */
  termFrequencyExact: boolean[];
}

type Condition = (a: number, b: number) => boolean;

function feature(table: LinkageTable, column: string): ColumnFeatures {
  const features = table.columns.get(column);
  if (features === undefined) throw new Error(`The table has no column "${column}"`);
  return features;
}

function need<T>(value: T | null, what: string, column: string): T {
  if (value === null) throw new Error(`The table has no ${what} for "${column}"; build it with the same settings as the model`);
  return value;
}

function every(conditions: Condition[]): Condition {
  if (conditions.length === 1) return conditions[0] as Condition;
  return (a, b) => {
    for (const condition of conditions) if (!condition(a, b)) return false;
    return true;
  };
}

/** Per interned value of a column, the name-variant groups it belongs to (null when none). */
function variantGroups(table: LinkageTable, column: ColumnFeatures, index: NameVariantIndex): Map<number, readonly number[] | null> {
  const groups = new Map<number, readonly number[] | null>();
  for (const value of column.norm) {
    if (value === MISSING || groups.has(value)) continue;
    const found = index.groupsOf(table.strings[value] as string);
    groups.set(value, found.length === 0 ? null : found);
  }
  return groups;
}

function compileLevel(table: LinkageTable, comparison: ComparisonSettings, level: LevelSettings, settings: Settings): Condition {
  const columns = levelColumns(comparison, level).map((column) => feature(table, column));
  const strings = table.strings;
  switch (level.kind) {
    case 'else':
      return () => true;
    case 'null': {
      const norms = columns.map((column) => column.norm);
      return (a, b) => {
        for (const norm of norms) if (norm[a] === MISSING || norm[b] === MISSING) return true;
        return false;
      };
    }
    case 'exact':
      return every(
        columns.map(({ norm }) => (a, b) => {
          const value = norm[a] as number;
          return value !== MISSING && value === norm[b];
        }),
      );
    case 'jaroWinkler': {
      const threshold = level.threshold;
      return every(
        columns.map(({ norm }) => (a, b) => {
          const x = norm[a] as number;
          const y = norm[b] as number;
          if (x === MISSING || y === MISSING) return false;
          return x === y || jaroWinkler(strings[x] as string, strings[y] as string) >= threshold;
        }),
      );
    }
    case 'damerauLevenshtein':
    case 'levenshtein': {
      const limit = level.maxDistance;
      const distance = level.kind === 'levenshtein' ? levenshtein : damerauLevenshtein;
      return every(
        columns.map(({ norm }) => (a, b) => {
          const x = norm[a] as number;
          const y = norm[b] as number;
          if (x === MISSING || y === MISSING) return false;
          if (x === y) return true;
          const s = strings[x] as string;
          const t = strings[y] as string;
          if (limit === 1) return withinOneEdit(s, t, level.kind === 'damerauLevenshtein');
          return Math.abs(s.length - t.length) <= limit && distance(s, t) <= limit;
        }),
      );
    }
    case 'doubleMetaphone':
      return every(
        columns.map((column) => {
          const primary = need(column.metaphonePrimary, 'Double Metaphone codes', column.name);
          const alternate = need(column.metaphoneAlternate, 'Double Metaphone codes', column.name);
          return (a, b) => {
            const pa = primary[a] as number;
            const aa = alternate[a] as number;
            const pb = primary[b] as number;
            const ab = alternate[b] as number;
            return (pa !== MISSING && (pa === pb || pa === ab)) || (aa !== MISSING && (aa === pb || aa === ab));
          };
        }),
      );
    case 'dateExact': {
      const column = columns[0] as ColumnFeatures;
      const day = need(column.day, 'dates', column.name);
      const norm = column.norm;
      return (a, b) => {
        const x = day[a] as number;
        const y = day[b] as number;
        if (x !== NO_DATE && y !== NO_DATE) return x === y;
        // Two identical values that are not valid dates still agree exactly.
        return norm[a] !== MISSING && norm[a] === norm[b];
      };
    }
    case 'dateTransposedDayMonth': {
      const column = columns[0] as ColumnFeatures;
      const ymd = need(column.ymd, 'dates', column.name);
      return (a, b) => {
        const x = ymd[a] as number;
        const y = ymd[b] as number;
        if (x === 0 || y === 0 || x === y) return false;
        if (Math.floor(x / 10000) !== Math.floor(y / 10000)) return false;
        return Math.floor(x / 100) % 100 === y % 100 && x % 100 === Math.floor(y / 100) % 100;
      };
    }
    case 'dateWithinDays':
    case 'dateWithinYears': {
      const column = columns[0] as ColumnFeatures;
      const day = need(column.day, 'dates', column.name);
      // A year is taken as 365.25 days so that a limit of n years does not depend on leap years in between.
      const limit = level.kind === 'dateWithinDays' ? level.days : level.years * 365.25;
      return (a, b) => {
        const x = day[a] as number;
        const y = day[b] as number;
        return x !== NO_DATE && y !== NO_DATE && Math.abs(x - y) <= limit;
      };
    }
    case 'dateDigits': {
      const column = columns[0] as ColumnFeatures;
      const ymd = need(column.ymd, 'dates', column.name);
      const limit = level.maxDifferent;
      return (a, b) => {
        let x = ymd[a] as number;
        let y = ymd[b] as number;
        if (x === 0 || y === 0) return false;
        let different = 0;
        for (let digit = 0; digit < 8; digit += 1) {
          if (x % 10 !== y % 10) different += 1;
          x = Math.floor(x / 10);
          y = Math.floor(y / 10);
        }
        return different <= limit;
      };
    }
    case 'nameVariant': {
      const index = nameVariantIndex(settings.nameVariants ?? []);
      return every(
        columns.map((column) => {
          const norm = column.norm;
          const groups = variantGroups(table, column, index);
          return (a, b) => {
            const x = norm[a] as number;
            const y = norm[b] as number;
            if (x === MISSING || y === MISSING) return false;
            if (x === y) return true;
            const gx = groups.get(x);
            const gy = groups.get(y);
            if (gx === null || gy === null || gx === undefined || gy === undefined) return false;
            for (const group of gx) if (gy.includes(group)) return true;
            return false;
          };
        }),
      );
    }
    case 'sharedWord':
      return every(
        columns.map(({ norm }) => {
          const words = new Map<number, readonly string[]>();
          const wordsOf = (value: number): readonly string[] => {
            let list = words.get(value);
            if (list === undefined) {
              list = (strings[value] as string).split(/[\s\-'’.,]+/u).filter((word) => word.length >= 2);
              words.set(value, list);
            }
            return list;
          };
          return (a, b) => {
            const x = norm[a] as number;
            const y = norm[b] as number;
            if (x === MISSING || y === MISSING) return false;
            if (x === y) return true;
            const wy = wordsOf(y);
            for (const word of wordsOf(x)) if (wy.includes(word)) return true;
            return false;
          };
        }),
      );
    case 'namesSwapped': {
      const first = (columns[0] as ColumnFeatures).norm;
      const second = (columns[1] as ColumnFeatures).norm;
      const threshold = level.threshold;
      return (a, b) => {
        const a1 = first[a] as number;
        const a2 = second[a] as number;
        const b1 = first[b] as number;
        const b2 = second[b] as number;
        if (a1 === MISSING || a2 === MISSING || b1 === MISSING || b2 === MISSING) return false;
        if (a1 === b2 && a2 === b1) return true;
        if (threshold === undefined) return false;
        const similar = (x: number, y: number): boolean => x === y || jaroWinkler(strings[x] as string, strings[y] as string) >= threshold;
        return similar(a1, b2) && similar(a2, b1);
      };
    }
  }
}

/** Compiles the settings' comparisons into closures over the table's feature columns. */
export function compileComparisons(settings: Settings, table: LinkageTable): CompiledComparison[] {
  return settings.comparisons.map((comparison) => {
    const conditions = comparison.levels.map((level) => compileLevel(table, comparison, level, settings));
    const count = conditions.length;
    const termFrequencies = comparison.levels.map((level) => {
      if (level.termFrequencyAdjustment !== true) return null;
      const key = termFrequencyKey(levelColumns(comparison, level));
      const frequencies = table.termFrequencies.get(key);
      if (frequencies === undefined) throw new Error(`The table has no term frequencies for "${key}"; build it with the same settings as the model`);
      return frequencies;
    });
    const levelOf = (a: number, b: number): number => {
      for (let level = 0; level < count; level += 1) if ((conditions[level] as Condition)(a, b)) return level;
      return count - 1;
    };
    return {
      name: comparison.name,
      levelCount: count,
      nullLevel: comparison.levels.findIndex((level) => level.kind === 'null'),
      levelOf,
      termFrequencies,
      termFrequencyExact: comparison.levels.map((level) => level.kind === 'exact' || level.kind === 'dateExact'),
    };
  });
}

/** Writes the comparison vector (level index per comparison) of pair (a, b) into `out` at `offset`. */
export function comparisonVector(comparisons: readonly CompiledComparison[], a: number, b: number, out: Int8Array, offset = 0): void {
  for (let k = 0; k < comparisons.length; k += 1) out[offset + k] = (comparisons[k] as CompiledComparison).levelOf(a, b);
}

// ---------------------------------------------------------------------------------------------
// Model

export interface LevelParameters {
  label: string;
  kind: LevelKind;
  /** Probability of this level among true matches (null levels: 1, as they are neutral). */
  m: number;
  /** Probability of this level among non-matches (null levels: 1). */
  u: number;
  termFrequencyAdjustment: boolean;
}

export interface ComparisonParameters {
  name: string;
  levels: LevelParameters[];
}

export interface TrainingSession {
  rule: string;
  /** Pairs the session learnt from. */
  pairs: number;
  /** When the rule gave more pairs than a session takes, how many it gave (an evenly spread sample was used). */
  blockedPairs?: number;
  patterns: number;
  iterations: number;
  converged: boolean;
  /** Share of this session's blocked pairs estimated to be matches. */
  lambda: number;
  /** Comparisons left out because the rule's columns decide them. */
  fixedComparisons: string[];
}

export interface TrainingReport {
  seed: number;
  uSampledPairs: number;
  /** True when there were no more possible pairs than the sample size, so every pair was used for u. */
  uExhaustive: boolean;
  priorMethod: 'deterministicRules' | 'emSessions' | 'candidatePairs' | 'given';
  deterministicMatches: number | null;
  /** With priorMethod 'candidatePairs': the expected number of matches among the candidate pairs. */
  expectedMatches?: number;
  totalPossiblePairs: number;
  sessions: TrainingSession[];
  /** Levels whose m or u no session or sample could estimate; they keep starting values and should be reviewed. */
  untrained: string[];
}

/** A segment's parameters: λ and u among the pairs its rule accepts (m is the model's own). */
export interface SegmentParameters {
  name: string;
  label: string;
  /** The segment's rule, described. */
  rule: string;
  /** Share of the segment's pairs that are matches. */
  prior: number;
  /** Per comparison, u per level among the segment's pairs; null for a comparison the rule decides. */
  u: (number[] | null)[];
  pairs: number;
  iterations: number;
  converged: boolean;
}

export interface LinkageModel {
  format: 'cairn-linkage-model';
  version: 1;
  /** What the model is and what it was trained on, in words, for whoever reads the file. */
  description?: string;
  settings: Settings;
  /** Prior probability λ that two random records (a possible pair) match. */
  prior: number;
  comparisons: ComparisonParameters[];
  training: TrainingReport | null;
  /**
   * How common the values of each term-frequency level's columns were in the training data, keyed
   * as `LinkageTable.termFrequencies`. Absent from models saved without them; see
   * `withModelTermFrequencies`.
   */
  termFrequencies?: Record<string, TermFrequencyTable>;
  /** Parameters of the settings' segments, in their order; absent when the settings have none. */
  segments?: SegmentParameters[];
}

/** Probabilities are kept away from 0 so no single level can make a weight infinite. */
export const PROBABILITY_FLOOR = 1e-6;

/**
 * Starting m values: falling by a factor of four level by level, so the first (closest) level
 * starts most likely among matches, which is true of every sensibly ordered comparison.
 */
export function startingM(comparison: ComparisonSettings): number[] {
  let rank = 0;
  const raw = comparison.levels.map((level) => {
    if (level.kind === 'null') return 1;
    const value = 4 ** -rank;
    rank += 1;
    return value;
  });
  let total = 0;
  comparison.levels.forEach((level, index) => {
    if (level.kind !== 'null') total += raw[index] as number;
  });
  return raw.map((value, index) => (comparison.levels[index]?.kind === 'null' ? 1 : value / total));
}

/** A model with starting values, before training; useful to set m and u by hand. */
export function initialModel(settings: Settings): LinkageModel {
  const model: LinkageModel = {
    format: 'cairn-linkage-model',
    version: 1,
    settings,
    prior: 1e-4,
    comparisons: settings.comparisons.map((comparison) => {
      const m = startingM(comparison);
      const substantive = comparison.levels.filter((level) => level.kind !== 'null').length;
      return {
        name: comparison.name,
        levels: comparison.levels.map((level, index) => ({
          label: levelLabel(comparison, level),
          kind: level.kind,
          m: m[index] as number,
          u: level.kind === 'null' ? 1 : 1 / substantive,
          termFrequencyAdjustment: level.termFrequencyAdjustment === true,
        })),
      };
    }),
    training: null,
  };
  if (settings.segments !== undefined && settings.segments.length > 0) {
    model.segments = settings.segments.map((segment) => ({
      name: segment.name,
      label: segment.label ?? segment.name,
      rule: describeRule(segment.rule),
      prior: model.prior,
      u: settings.comparisons.map((comparison, k) => (ruleDecides(segment.rule, comparison) ? null : (model.comparisons[k]?.levels.map((level) => level.u) ?? []))),
      pairs: 0,
      iterations: 0,
      converged: false,
    }));
  }
  return model;
}

// ---------------------------------------------------------------------------------------------
// Random numbers

/** A small, fast seeded generator (sfc32) so training is reproducible run to run. */
export function createRandom(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i += 1) next();
  return next;
}

// ---------------------------------------------------------------------------------------------
// Estimation

/** Distinct comparison vectors with how often each occurs: EM only ever needs these counts. */
export interface ComparisonPatterns {
  levelCounts: number[];
  nullLevels: number[];
  /** Pattern p's level for comparison k is `vectors[p * comparisons + k]`. */
  vectors: Int8Array;
  counts: Float64Array;
}

/** Every `stride`-th pair of a stream of pair chunks, re-chunked: an evenly spread sample. */
export function* everyNth(chunks: Iterable<Uint32Array>, stride: number, chunkSize = 65_536): Generator<Uint32Array> {
  let buffer = new Uint32Array(chunkSize * 2);
  let filled = 0;
  let seen = 0;
  for (const chunk of chunks) {
    for (let p = 0; p < chunk.length; p += 2) {
      seen += 1;
      if (seen % stride !== 0) continue;
      buffer[filled] = chunk[p] as number;
      buffer[filled + 1] = chunk[p + 1] as number;
      filled += 2;
      if (filled === buffer.length) {
        yield buffer;
        buffer = new Uint32Array(chunkSize * 2);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.slice(0, filled);
}

/** Counts the distinct comparison vectors over a stream of pair chunks. */
export function countPatterns(comparisons: readonly CompiledComparison[], chunks: Iterable<Uint32Array>): { patterns: ComparisonPatterns; pairs: number } {
  const width = comparisons.length;
  const levelCounts = comparisons.map((comparison) => comparison.levelCount);
  // A vector is keyed by its mixed-radix number while that is exact, else by its text.
  const numericKeys = levelCounts.reduce((product, count) => product * count, 1) <= Number.MAX_SAFE_INTEGER;
  const index = new Map<number | string, number>();
  const vectors: number[] = [];
  const counts: number[] = [];
  const vector = new Int8Array(width);
  let pairs = 0;
  for (const chunk of chunks) {
    for (let p = 0; p < chunk.length; p += 2) {
      comparisonVector(comparisons, chunk[p] as number, chunk[p + 1] as number, vector);
      let key: number | string;
      if (numericKeys) {
        key = 0;
        for (let k = 0; k < width; k += 1) key = key * (levelCounts[k] as number) + (vector[k] as number);
      } else {
        key = vector.join(',');
      }
      let position = index.get(key);
      if (position === undefined) {
        position = counts.length;
        index.set(key, position);
        for (let k = 0; k < width; k += 1) vectors.push(vector[k] as number);
        counts.push(0);
      }
      counts[position] = (counts[position] as number) + 1;
      pairs += 1;
    }
  }
  return {
    patterns: { levelCounts, nullLevels: comparisons.map((comparison) => comparison.nullLevel), vectors: Int8Array.from(vectors), counts: Float64Array.from(counts) },
    pairs,
  };
}

export interface EmStart {
  m: number[][];
  u: number[][];
  lambda: number;
}

export interface EmOptions {
  maxIterations?: number;
  /** Stop when no parameter moves by more than this between iterations. */
  tolerance?: number;
  /** Re-estimate u as well as m (otherwise u stays as given, as when it comes from random sampling). */
  estimateU?: boolean;
  /** Re-estimate m (default true); false holds m as given, as when only a segment's u and λ are wanted. */
  estimateM?: boolean;
  /** Comparisons taking part; the others are ignored entirely in this session. */
  active?: boolean[];
}

export interface EmResult {
  m: number[][];
  u: number[][];
  lambda: number;
  iterations: number;
  converged: boolean;
  /** Per comparison, whether any non-null observation informed its m in this run. */
  estimated: boolean[];
}

/**
 * Expectation-maximisation for the two-class mixture: the E step gives each pattern's chance of
 * being a match, the M step re-estimates m (and optionally u) as posterior-weighted level shares
 * and λ as the mean posterior. Null levels are skipped on both sides.
 */
export function expectationMaximisation(patterns: ComparisonPatterns, start: EmStart, options: EmOptions = {}): EmResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const estimateU = options.estimateU ?? false;
  const estimateM = options.estimateM ?? true;
  const width = patterns.levelCounts.length;
  const active = options.active ?? patterns.levelCounts.map(() => true);
  const nullLevels = patterns.nullLevels;
  const m = start.m.map((levels) => [...levels]);
  const u = start.u.map((levels) => [...levels]);
  let lambda = start.lambda;
  const patternCount = patterns.counts.length;
  const estimated = patterns.levelCounts.map(() => false);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations += 1;
    const mSums = patterns.levelCounts.map((count) => new Array<number>(count).fill(0));
    const uSums = patterns.levelCounts.map((count) => new Array<number>(count).fill(0));
    let matchTotal = 0;
    let total = 0;
    for (let p = 0; p < patternCount; p += 1) {
      const count = patterns.counts[p] as number;
      let pm = lambda;
      let pu = 1 - lambda;
      for (let k = 0; k < width; k += 1) {
        if (!active[k]) continue;
        const level = patterns.vectors[p * width + k] as number;
        if (level === nullLevels[k]) continue;
        pm *= (m[k] as number[])[level] as number;
        pu *= (u[k] as number[])[level] as number;
      }
      const posterior = pm + pu > 0 ? pm / (pm + pu) : 0;
      matchTotal += count * posterior;
      total += count;
      for (let k = 0; k < width; k += 1) {
        if (!active[k]) continue;
        const level = patterns.vectors[p * width + k] as number;
        if (level === nullLevels[k]) continue;
        const mRow = mSums[k] as number[];
        const uRow = uSums[k] as number[];
        mRow[level] = (mRow[level] as number) + count * posterior;
        uRow[level] = (uRow[level] as number) + count * (1 - posterior);
      }
    }
    let change = 0;
    const nextLambda = total > 0 ? matchTotal / total : lambda;
    change = Math.max(change, Math.abs(nextLambda - lambda));
    lambda = nextLambda;
    for (let k = 0; k < width; k += 1) {
      if (!active[k]) continue;
      if (estimateM) change = Math.max(change, renormalise(m[k] as number[], mSums[k] as number[], nullLevels[k] as number));
      if ((mSums[k] as number[]).some((value) => value > 0)) estimated[k] = true;
      if (estimateU) change = Math.max(change, renormalise(u[k] as number[], uSums[k] as number[], nullLevels[k] as number));
    }
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  return { m, u, lambda, iterations, converged, estimated };
}

/** Replaces `target` with `sums` scaled to total 1 over non-null levels; returns the largest change. */
function renormalise(target: number[], sums: number[], nullLevel: number): number {
  let total = 0;
  for (let level = 0; level < sums.length; level += 1) if (level !== nullLevel) total += sums[level] as number;
  if (total <= 0) return 0;
  let change = 0;
  for (let level = 0; level < sums.length; level += 1) {
    if (level === nullLevel) continue;
    const next = (sums[level] as number) / total;
    change = Math.max(change, Math.abs(next - (target[level] as number)));
    target[level] = next;
  }
  return change;
}

/** Level counts over random pairs; when every possible pair fits in the sample, all pairs are used once. */
export function sampleLevelCounts(
  table: LinkageTable,
  comparisons: readonly CompiledComparison[],
  linkType: LinkType,
  sampleSize: number,
  random: () => number,
): { counts: number[][]; pairs: number; exhaustive: boolean } {
  const counts = comparisons.map((comparison) => new Array<number>(comparison.levelCount).fill(0));
  const record = (a: number, b: number): void => {
    for (let k = 0; k < comparisons.length; k += 1) {
      const row = counts[k] as number[];
      const level = (comparisons[k] as CompiledComparison).levelOf(a, b);
      row[level] = (row[level] as number) + 1;
    }
  };
  const total = totalPossiblePairs(table, linkType);
  const left = table.leftCount;
  const right = table.size - table.leftCount;
  if (total <= sampleSize) {
    if (linkType === 'dedupe') {
      for (let a = 0; a < table.size; a += 1) for (let b = a + 1; b < table.size; b += 1) record(a, b);
    } else {
      for (let a = 0; a < left; a += 1) for (let b = left; b < table.size; b += 1) record(a, b);
    }
    return { counts, pairs: total, exhaustive: true };
  }
  for (let s = 0; s < sampleSize; s += 1) {
    if (linkType === 'dedupe') {
      const a = Math.floor(random() * table.size);
      let b = Math.floor(random() * (table.size - 1));
      if (b >= a) b += 1;
      record(Math.min(a, b), Math.max(a, b));
    } else {
      record(Math.floor(random() * left), left + Math.floor(random() * right));
    }
  }
  return { counts, pairs: sampleSize, exhaustive: false };
}

/**
 * u from level counts among random pairs. A level never seen in the sample gets half a pair's worth
 * (then all are rescaled), since "not seen in a million pairs" means rare, not impossible.
 */
export function uFromCounts(counts: readonly number[], nullLevel: number): { u: number[]; estimated: boolean } {
  let total = 0;
  for (let level = 0; level < counts.length; level += 1) if (level !== nullLevel) total += counts[level] as number;
  const substantive = counts.length - (nullLevel >= 0 ? 1 : 0);
  if (total === 0) return { u: counts.map((_, level) => (level === nullLevel ? 1 : 1 / substantive)), estimated: false };
  const smoothed = counts.map((count, level) => (level === nullLevel ? 0 : count === 0 ? 0.5 : count));
  const sum = smoothed.reduce((a, b) => a + b, 0);
  return { u: smoothed.map((value, level) => (level === nullLevel ? 1 : value / sum)), estimated: true };
}

export interface TrainOptions {
  /** Seed for sampling pairs for u (default 1). */
  seed?: number;
  /** Random pairs sampled to estimate u (default 1,000,000). */
  uSampleSize?: number;
  maxIterations?: number;
  tolerance?: number;
  /**
   * Largest number of pairs one expectation-maximisation session learns from (default 2,000,000);
   * a rule that gives more is sampled evenly, which estimates m as well at a fraction of the cost.
   */
  maxPairsPerSession?: number;
  /** Rules for the EM sessions; the settings' blocking rules by default. */
  trainingRules?: BlockingRule[];
  /** Use this λ instead of estimating it. */
  prior?: number;
  /** Candidate pairs scored to estimate λ when the settings' priorEstimate is "candidatePairs" (default 1,000,000). */
  priorSampleSize?: number;
  /**
   * Keep this many of the commonest values of each term-frequency level's columns in the model
   * (default 0: none), so it can score small batches, or single records, with the frequencies of
   * the data it was trained on.
   */
  termFrequencyValues?: number;
  onProgress?: (stage: string) => void;
}

/** Trains m, u and λ on a table (see the module comment for the method). */
export function trainModel(table: LinkageTable, settings: Settings, options: TrainOptions = {}): LinkageModel {
  const seed = options.seed ?? 1;
  const sampleSize = Math.max(1, Math.floor(options.uSampleSize ?? 1_000_000));
  const progress = options.onProgress ?? (() => undefined);
  const comparisons = compileComparisons(settings, table);
  const model = initialModel(settings);
  const untrained: string[] = [];
  const total = totalPossiblePairs(table, settings.linkType);
  if (total < 1) throw new Error('Training needs at least two records (one on each side when linking)');

  progress('estimating u from random pairs');
  const sample = sampleLevelCounts(table, comparisons, settings.linkType, sampleSize, createRandom(seed));
  const u = comparisons.map((comparison, k) => {
    const result = uFromCounts(sample.counts[k] as number[], comparison.nullLevel);
    if (!result.estimated) untrained.push(`${comparison.name}: u (every sampled pair had a missing value)`);
    return result.u;
  });

  const starts = settings.comparisons.map((comparison) => startingM(comparison));
  const mEstimates: number[][][] = comparisons.map(() => []);
  const sessions: TrainingSession[] = [];
  const rules = options.trainingRules ?? settings.trainingRules ?? settings.blockingRules;
  const sessionLimit = Math.max(1, Math.floor(options.maxPairsPerSession ?? 2_000_000));
  for (const rule of rules) {
    const name = describeRule(rule);
    progress(`expectation-maximisation blocked on ${name}`);
    const columns = ruleColumns(rule);
    const active = settings.comparisons.map((comparison) => !comparisonDependsOn(comparison).some((column) => columns.has(column)));
    const fixed = settings.comparisons.filter((_, k) => !active[k]).map((comparison) => comparison.name);
    const candidates = new CandidatePairs(table, [rule], settings.linkType);
    candidates.assertWithin(settings.maxPairs, `Training on ${name}`);
    if (!active.some(Boolean)) {
      sessions.push({ rule: name, pairs: 0, patterns: 0, iterations: 0, converged: false, lambda: 0, fixedComparisons: fixed });
      continue;
    }
    const blocked = candidates.upperBound();
    const stride = Math.max(1, Math.ceil(blocked / sessionLimit));
    const { patterns, pairs } = countPatterns(comparisons, stride === 1 ? candidates.chunks() : everyNth(candidates.chunks(), stride));
    if (pairs === 0) {
      sessions.push({ rule: name, pairs: 0, patterns: 0, iterations: 0, converged: false, lambda: 0, fixedComparisons: fixed });
      continue;
    }
    const result = expectationMaximisation(
      patterns,
      { m: starts, u, lambda: 0.5 },
      { maxIterations: options.maxIterations ?? 100, tolerance: options.tolerance ?? 1e-6, active },
    );
    comparisons.forEach((_, k) => {
      if (active[k] && result.estimated[k]) mEstimates[k]?.push(result.m[k] as number[]);
    });
    sessions.push({
      rule: name,
      pairs,
      ...(stride === 1 ? {} : { blockedPairs: blocked }),
      patterns: patterns.counts.length,
      iterations: result.iterations,
      converged: result.converged,
      lambda: result.lambda,
      fixedComparisons: fixed,
    });
  }

  model.comparisons.forEach((parameters, k) => {
    const estimates = mEstimates[k] as number[][];
    const comparison = comparisons[k] as CompiledComparison;
    if (estimates.length === 0) untrained.push(`${parameters.name}: m (no training session could estimate it; add a blocking rule that does not use its columns)`);
    parameters.levels.forEach((level, index) => {
      if (index === comparison.nullLevel) return;
      const m = estimates.length === 0 ? (starts[k]?.[index] as number) : estimates.reduce((sum, estimate) => sum + (estimate[index] as number), 0) / estimates.length;
      level.m = m;
      level.u = (u[k] as number[])[index] as number;
    });
    floorAndRescale(parameters.levels, 'm', comparison.nullLevel);
    floorAndRescale(parameters.levels, 'u', comparison.nullLevel);
  });

  let priorMethod: TrainingReport['priorMethod'];
  let deterministicMatches: number | null = null;
  if (options.prior !== undefined) {
    priorMethod = 'given';
    model.prior = options.prior;
  } else {
    let fromRules: number | null = null;
    if (settings.deterministicRules.length > 0) {
      progress('counting pairs accepted by the deterministic rules');
      const deterministic = new CandidatePairs(table, settings.deterministicRules, settings.linkType);
      deterministic.assertWithin(settings.maxPairs, 'The deterministic rules');
      deterministicMatches = deterministic.count();
      if (deterministicMatches > 0) fromRules = deterministicMatches / (settings.recall ?? 1) / total;
    }
    if (fromRules !== null) {
      priorMethod = 'deterministicRules';
      model.prior = fromRules;
    } else {
      // Each session estimates its share of matches among its blocked pairs; the session finding most
      // matches gives a lower bound on the number of matches overall.
      priorMethod = 'emSessions';
      const matches = Math.max(0, ...sessions.map((session) => session.lambda * session.pairs));
      model.prior = matches > 0 ? matches / total : 1 / total;
    }
  }
  model.prior = Math.min(Math.max(model.prior, 1e-12), 0.999);
  if (settings.segments !== undefined && settings.segments.length > 0) {
    model.segments = settings.segments.map((segment) => trainSegment(table, settings, model, comparisons, segment, options, progress));
  }
  let expectedMatches: number | null = null;
  if (options.prior === undefined && settings.priorEstimate === 'candidatePairs') {
    progress('estimating the prior from the expected matches among candidate pairs');
    expectedMatches = expectedMatchesAmongCandidates(model, table, options.priorSampleSize ?? 1_000_000);
    priorMethod = 'candidatePairs';
    model.prior = Math.min(Math.max(expectedMatches / total, 1e-12), 0.999);
  }
  model.training = {
    seed,
    uSampledPairs: sample.pairs,
    uExhaustive: sample.exhaustive,
    priorMethod,
    deterministicMatches,
    ...(expectedMatches === null ? {} : { expectedMatches }),
    totalPossiblePairs: total,
    sessions,
    untrained,
  };
  const keep = Math.floor(options.termFrequencyValues ?? 0);
  if (keep > 0) model.termFrequencies = termFrequencyTables(table, settings, keep);
  return model;
}

/**
 * The expected number of matches among the blocking rules' candidate pairs, found as the fixed point
 * of λ = Σ P(match | pair, λ) / possible pairs. Each candidate's evidence is worked out once (on an
 * evenly spread sample of them, scaled up, when there are more than `sampleSize`); pairs in a
 * segment have their own prior, so their chance of matching does not move with λ. True matches
 * that no blocking rule finds are not counted, so this errs low by the rules' lost recall.
 */
export function expectedMatchesAmongCandidates(model: LinkageModel, table: LinkageTable, sampleSize: number): number {
  const settings = model.settings;
  const candidates = new CandidatePairs(table, settings.blockingRules, settings.linkType);
  candidates.assertWithin(settings.maxPairs, 'The blocking rules');
  const stride = Math.max(1, Math.ceil(candidates.upperBound() / Math.max(1, sampleSize)));
  const scorer = createScorer(model, table);
  const evidence: number[] = [];
  let fixedMatches = 0;
  let sampled = 0;
  let seen = 0;
  for (const chunk of candidates.chunks()) {
    for (let p = 0; p < chunk.length; p += 2) {
      seen += 1;
      if (seen % stride !== 0) continue;
      const a = chunk[p] as number;
      const b = chunk[p + 1] as number;
      sampled += 1;
      const weight = matchWeight(scorer, a, b);
      if (scorer.segments.length > 0 && segmentOf(scorer, a, b) !== null) fixedMatches += probabilityFromWeight(weight);
      else evidence.push(weight - scorer.priorWeight);
    }
  }
  if (sampled === 0) return 0;
  const scale = seen / sampled;
  const total = totalPossiblePairs(table, settings.linkType);
  let lambda = model.prior;
  let matches = 0;
  for (let iteration = 0; iteration < 200; iteration += 1) {
    const priorWeight = Math.log2(lambda / (1 - lambda));
    let sum = fixedMatches;
    for (const value of evidence) sum += probabilityFromWeight(priorWeight + value);
    matches = sum * scale;
    const next = Math.min(Math.max(matches / total, 1e-12), 0.999);
    const change = Math.abs(next - lambda) / lambda;
    lambda = next;
    if (change < 1e-6) break;
  }
  return matches;
}

/** The term-frequency tables of every term-frequency level in the settings, from a table. */
export function termFrequencyTables(table: LinkageTable, settings: Settings, maxValues: number): Record<string, TermFrequencyTable> {
  const tables: Record<string, TermFrequencyTable> = {};
  for (const [key, columns] of termFrequencyKeys(settings)) tables[key] = termFrequencyTable(table, columns, maxValues);
  return tables;
}

/**
 * The table with its term frequencies replaced by those the model carries, where it carries them;
 * frequencies the model lacks stay the table's own. For scoring a few records against a model
 * trained on a large data set, where frequencies counted in the few records would mean nothing.
 */
export function withModelTermFrequencies(model: LinkageModel, table: LinkageTable): LinkageTable {
  const saved = model.termFrequencies;
  if (saved === undefined) return table;
  const termFrequencies = new Map(table.termFrequencies);
  for (const [key, frequencies] of Object.entries(saved)) termFrequencies.set(key, frequenciesFromTable(table, frequencies));
  return { ...table, termFrequencies };
}

/**
 * Whether a rule decides a comparison: every column the comparison reads is a key of the rule
 * compared whole, so every pair the rule accepts lands on the same level of it.
 */
export function ruleDecides(rule: BlockingRule, comparison: ComparisonSettings): boolean {
  const whole = new Set(rule.filter((key) => key.swappedWith === undefined && (key.transform === null || key.transform === 'lower' || key.transform === 'date')).map((key) => key.column));
  // A comparison not independent of a column the rule fixes is left to the segment too: m, learnt
  // over all pairs, would not describe how it varies among pairs that agree on that column.
  return comparison.columns.every((column) => whole.has(column)) || (comparison.correlatedWith ?? []).some((column) => whole.has(column));
}

type SegmentSettings = NonNullable<Settings['segments']>[number];

/**
 * λ and u among the pairs a segment's rule accepts, by expectation-maximisation with m held at the
 * model's values: how records of one child differ does not depend on the segment, but how often
 * different children agree does (two children of one household share a surname and an address,
 * and are twins far more often than two children picked at random share a birthday).
 */
function trainSegment(
  table: LinkageTable,
  settings: Settings,
  model: LinkageModel,
  comparisons: readonly CompiledComparison[],
  segment: SegmentSettings,
  options: TrainOptions,
  progress: (stage: string) => void,
): SegmentParameters {
  const rule = describeRule(segment.rule);
  progress(`estimating the prior and u among pairs in the segment "${segment.name}" (${rule})`);
  const active = settings.comparisons.map((comparison) => !ruleDecides(segment.rule, comparison));
  const candidates = new CandidatePairs(table, [segment.rule], settings.linkType);
  candidates.assertWithin(settings.maxPairs, `Training the segment "${segment.name}"`);
  const { patterns, pairs } = countPatterns(comparisons, candidates.chunks());
  const m = model.comparisons.map((comparison) => comparison.levels.map((level) => level.m));
  const u = model.comparisons.map((comparison) => comparison.levels.map((level) => level.u));
  const base = { name: segment.name, label: segment.label ?? segment.name, rule };
  if (pairs === 0) {
    return { ...base, prior: model.prior, u: u.map((levels, k) => (active[k] ? levels : null)), pairs: 0, iterations: 0, converged: false };
  }
  const result = expectationMaximisation(
    patterns,
    { m, u, lambda: 0.5 },
    { maxIterations: options.maxIterations ?? 100, tolerance: options.tolerance ?? 1e-6, active, estimateU: true, estimateM: false },
  );
  // A level no non-match in the segment landed on is rare there, not impossible: it gets at least
  // half a pair's worth, as u from random pairs does.
  const nonMatches = Math.max(1, pairs * (1 - result.lambda));
  const segmentU = result.u.map((levels, k) => {
    if (!active[k]) return null;
    const parameters = levels.map((value, index) => ({
      label: '',
      kind: 'else' as LevelKind,
      m: 1,
      u: index === comparisons[k]?.nullLevel ? 1 : Math.max(value, 0.5 / nonMatches),
      termFrequencyAdjustment: false,
    }));
    floorAndRescale(parameters, 'u', comparisons[k]?.nullLevel ?? -1);
    return parameters.map((level) => level.u);
  });
  return {
    ...base,
    prior: Math.min(Math.max(result.lambda, 1e-9), 1 - 1e-9),
    u: segmentU,
    pairs,
    iterations: result.iterations,
    converged: result.converged,
  };
}

function floorAndRescale(levels: LevelParameters[], which: 'm' | 'u', nullLevel: number): void {
  let sum = 0;
  levels.forEach((level, index) => {
    if (index === nullLevel) return;
    level[which] = Math.max(level[which], PROBABILITY_FLOOR);
    sum += level[which];
  });
  levels.forEach((level, index) => {
    if (index !== nullLevel) level[which] /= sum;
  });
}

// ---------------------------------------------------------------------------------------------
// Saving and loading

const probability = z.number().gt(0, 'must be more than 0').max(1, 'must be at most 1');

const modelSchema = z.strictObject({
  format: z.literal('cairn-linkage-model', { error: 'format must be "cairn-linkage-model"' }),
  version: z.literal(1, { error: 'version must be 1' }),
  description: z.string().optional(),
  settings: settingsSchema,
  prior: z.number().gt(0, 'prior must be more than 0').lt(1, 'prior must be less than 1'),
  comparisons: z.array(
    z.strictObject({
      name: z.string().min(1),
      levels: z.array(
        z.strictObject({
          label: z.string(),
          kind: z.string(),
          m: probability,
          u: probability,
          termFrequencyAdjustment: z.boolean(),
        }),
      ),
    }),
  ),
  training: z
    .strictObject({
      seed: z.number(),
      uSampledPairs: z.number(),
      uExhaustive: z.boolean(),
      priorMethod: z.enum(['deterministicRules', 'emSessions', 'candidatePairs', 'given']),
      deterministicMatches: z.number().nullable(),
      expectedMatches: z.number().optional(),
      totalPossiblePairs: z.number(),
      sessions: z.array(
        z.strictObject({
          rule: z.string(),
          pairs: z.number(),
          blockedPairs: z.number().optional(),
          patterns: z.number(),
          iterations: z.number(),
          converged: z.boolean(),
          lambda: z.number(),
          fixedComparisons: z.array(z.string()),
        }),
      ),
      untrained: z.array(z.string()),
    })
    .nullable(),
  segments: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        label: z.string(),
        rule: z.string(),
        prior: z.number().gt(0, 'prior must be more than 0').lt(1, 'prior must be less than 1'),
        u: z.array(z.array(probability).nullable()),
        pairs: z.number(),
        iterations: z.number(),
        converged: z.boolean(),
      }),
    )
    .optional(),
  termFrequencies: z
    .record(
      z.string(),
      z
        .strictObject({
          columns: z.array(z.string().min(1)).min(1),
          records: z.number().int().nonnegative(),
          distinct: z.number().int().nonnegative(),
          otherValues: probability,
          values: z.array(z.array(z.union([z.string(), z.number()]))),
        })
        .superRefine((frequencies, context) => {
          frequencies.values.forEach((row, index) => {
            const width = frequencies.columns.length;
            const ok = row.length === width + 1 && row.slice(0, width).every((value) => typeof value === 'string') && typeof row[width] === 'number' && (row[width] as number) > 0 && (row[width] as number) <= 1;
            if (!ok) context.addIssue({ code: 'custom', path: ['values', index], message: `must be ${width} value${width === 1 ? '' : 's'} then a frequency in (0, 1]` });
          });
        }),
    )
    .optional(),
});

/** Drops keys whose value is undefined, as optional properties must be absent rather than undefined. */
function withoutUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

export class ModelError extends Error {
  override name = 'ModelError';
}

/**
 * Serialises a model as JSON, with its settings, so it can be reviewed and reused. Indented, except
 * that a list of plain values stays on one line, so a term-frequency table reads one value a line.
 */
export function saveModel(model: LinkageModel): string {
  return `${formatJson(model, '')}\n`;
}

function formatJson(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((item) => item === null || typeof item !== 'object')) return `[${value.map((item) => JSON.stringify(item) ?? 'null').join(', ')}]`;
    return `[\n${value.map((item) => `${inner}${formatJson(item, inner)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${formatJson(item, inner)}`).join(',\n')}\n${indent}}`;
}

/** Reads a saved model, checking its shape and that its parameters fit its settings. */
export function loadModel(json: string): LinkageModel {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new ModelError(`Not a linkage model: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const result = modelSchema.safeParse(value);
  if (!result.success) {
    throw new ModelError(`Invalid linkage model:\n${result.error.issues.map((issue) => `- ${formatPath(issue.path) || '(top level)'}: ${issue.message}`).join('\n')}`);
  }
  const data = result.data;
  const problems: string[] = [];
  if (data.comparisons.length !== data.settings.comparisons.length) {
    problems.push(`comparisons: ${data.comparisons.length} given but the settings have ${data.settings.comparisons.length}`);
  }
  data.settings.comparisons.forEach((comparison, k) => {
    const parameters = data.comparisons[k];
    if (parameters === undefined) return;
    if (parameters.name !== comparison.name) problems.push(`comparisons[${k}].name: "${parameters.name}" but the settings name it "${comparison.name}"`);
    if (parameters.levels.length !== comparison.levels.length) {
      problems.push(`comparisons[${k}].levels: ${parameters.levels.length} given but the settings have ${comparison.levels.length}`);
      return;
    }
    comparison.levels.forEach((level, index) => {
      const saved = parameters.levels[index];
      if (saved !== undefined && saved.kind !== level.kind) problems.push(`comparisons[${k}].levels[${index}].kind: "${saved.kind}" but the settings say "${level.kind}"`);
    });
  });
  const segmentSettings = data.settings.segments ?? [];
  if (data.segments !== undefined || segmentSettings.length > 0) {
    const segments = data.segments ?? [];
    if (segments.length !== segmentSettings.length) problems.push(`segments: ${segments.length} given but the settings have ${segmentSettings.length}`);
    segments.forEach((segment, s) => {
      const expected = segmentSettings[s];
      if (expected === undefined) return;
      if (segment.name !== expected.name) problems.push(`segments[${s}].name: "${segment.name}" but the settings name it "${expected.name}"`);
      if (segment.u.length !== data.settings.comparisons.length) problems.push(`segments[${s}].u: ${segment.u.length} comparisons given but the settings have ${data.settings.comparisons.length}`);
      data.settings.comparisons.forEach((comparison, k) => {
        const levels = segment.u[k];
        const decided = ruleDecides(expected.rule, comparison);
        if (levels === null || levels === undefined) {
          if (!decided) problems.push(`segments[${s}].u[${k}]: missing, but the segment's rule does not decide "${comparison.name}"`);
        } else if (levels.length !== comparison.levels.length) {
          problems.push(`segments[${s}].u[${k}]: ${levels.length} levels given but the settings have ${comparison.levels.length}`);
        }
      });
    });
  }
  if (data.termFrequencies !== undefined) {
    const expected = termFrequencyKeys(data.settings);
    for (const [key, frequencies] of Object.entries(data.termFrequencies)) {
      const columns = expected.get(key);
      if (columns === undefined) problems.push(`termFrequencies.${key}: no term-frequency level of the settings reads these columns`);
      else if (columns.join('+') !== frequencies.columns.join('+')) problems.push(`termFrequencies.${key}.columns: should be ${columns.join(', ')}`);
    }
  }
  if (problems.length > 0) throw new ModelError(`Invalid linkage model:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
  return {
    format: data.format,
    version: data.version,
    ...(data.description === undefined ? {} : { description: data.description }),
    settings: data.settings,
    prior: data.prior,
    comparisons: data.comparisons.map((comparison, k) => ({
      name: comparison.name,
      levels: comparison.levels.map((level, index) => ({ ...level, kind: (data.settings.comparisons[k]?.levels[index]?.kind ?? 'else') as LevelKind })),
    })),
    training: data.training === null ? null : { ...withoutUndefined(data.training), sessions: data.training.sessions.map((session) => withoutUndefined(session)) },
    ...(data.segments === undefined ? {} : { segments: data.segments }),
    ...(data.termFrequencies === undefined ? {} : { termFrequencies: data.termFrequencies }),
  };
}
