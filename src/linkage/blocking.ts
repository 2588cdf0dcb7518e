import { MISSING, type ColumnFeatures, type LinkageTable } from './data.ts';
import { describeRule, type BlockingKey, type BlockingRule, type Settings } from './settings.ts';

/**
 * Candidate pairs: the union of the pairs that agree on every key of at least one blocking rule.
 *
 * Each rule groups records by their key; pairs are generated group by group. A pair that an earlier
 * rule would already have produced is skipped (checked in constant time per earlier rule from the
 * group ids), so every candidate appears exactly once without remembering the pairs seen. Pairs are
 * streamed in chunks of interleaved record indexes `[a0, b0, a1, b1, ...]` with `a < b`; when linking,
 * `a` is always a left record and `b` a right one.
 */

export type LinkType = Settings['linkType'];

/** Records grouped by one rule's key. */
export interface RuleGroups {
  rule: BlockingRule;
  /** Dense group id per record, or -1 when a key is missing (a missing key never blocks). */
  groupOf: Int32Array;
  /** Record indexes sorted by group, ascending within a group. */
  order: Uint32Array;
  /** `order[starts[g]] .. order[starts[g + 1] - 1]` are the members of group g. */
  starts: Uint32Array;
}

/** A per-record id for one key, equal for two records exactly when the key agrees; MISSING when absent. */
export function keyValues(table: LinkageTable, key: BlockingKey): Int32Array {
  if (key.swappedWith !== undefined) return unorderedKeyValues(table, key, key.swappedWith);
  const column = table.columns.get(key.column);
  if (column === undefined) throw new Error(`The table has no column "${key.column}" (used by a blocking rule)`);
  switch (key.transform) {
    case null:
      // A cleaned column blocks on its cleaned value, so "999 123 4567" and "9991234567" agree.
      return column.cleaned ? column.norm : column.raw;
    case 'lower':
      return column.norm;
    case 'doubleMetaphone':
      return required(column, column.metaphonePrimary, key);
    case 'year': {
      const ymd = required(column, column.ymd, key);
      const years = new Int32Array(table.size);
      for (let i = 0; i < table.size; i += 1) {
        const value = ymd[i] as number;
        years[i] = value === 0 ? MISSING : Math.floor(value / 10000);
      }
      return years;
    }
    case 'date': {
      // The calendar date, whichever way it was written (2014-03-09 and 20140309 agree).
      const ymd = required(column, column.ymd, key);
      const dates = new Int32Array(table.size);
      for (let i = 0; i < table.size; i += 1) {
        const value = ymd[i] as number;
        dates[i] = value === 0 ? MISSING : value;
      }
      return dates;
    }
    case 'first3': {
      const prefixes = new Int32Array(table.size);
      const byNorm = new Map<number, number>();
      const byPrefix = new Map<string, number>();
      for (let i = 0; i < table.size; i += 1) {
        const norm = column.norm[i] as number;
        if (norm === MISSING) {
          prefixes[i] = MISSING;
          continue;
        }
        let id = byNorm.get(norm);
        if (id === undefined) {
          const prefix = (table.strings[norm] as string).slice(0, 3);
          id = byPrefix.get(prefix) ?? byPrefix.size;
          byPrefix.set(prefix, id);
          byNorm.set(norm, id);
        }
        prefixes[i] = id;
      }
      return prefixes;
    }
  }
}

/** The values of two columns (trimmed, lower-cased, or their first three characters) as an unordered pair. */
function unorderedKeyValues(table: LinkageTable, key: BlockingKey, other: string): Int32Array {
  const text = (name: string): (string | null)[] => {
    const column = table.columns.get(name);
    if (column === undefined) throw new Error(`The table has no column "${name}" (used by a blocking rule)`);
    const values = key.transform === null && column.cleaned ? column.norm : key.transform === null ? column.raw : column.norm;
    return Array.from(values, (id) => {
      if (id === MISSING) return null;
      const value = table.strings[id] as string;
      return key.transform === 'first3' ? value.slice(0, 3) : value;
    });
  };
  const left = text(key.column);
  const right = text(other);
  const ids = new Int32Array(table.size);
  const byPair = new Map<string, number>();
  for (let i = 0; i < table.size; i += 1) {
    const a = left[i];
    const b = right[i];
    if (a === null || a === undefined || b === null || b === undefined) {
      ids[i] = MISSING;
      continue;
    }
    const pair = a <= b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
    let id = byPair.get(pair);
    if (id === undefined) {
      id = byPair.size;
      byPair.set(pair, id);
    }
    ids[i] = id;
  }
  return ids;
}

function required(column: ColumnFeatures, values: Int32Array | null, key: BlockingKey): Int32Array {
  if (values === null) throw new Error(`The table was built without ${key.transform ?? 'raw'} features for "${column.name}"`);
  return values;
}

const groupCache = new WeakMap<LinkageTable, Map<string, RuleGroups>>();

/**
 * Groups the records by a rule's combined key, with a counting sort so group members stay in index
 * order. Training and scoring group a table by the same rules several times, so the groups are kept
 * (read-only) for as long as the table lives.
 */
export function groupRecords(table: LinkageTable, rule: BlockingRule): RuleGroups {
  let cached = groupCache.get(table);
  if (cached === undefined) {
    cached = new Map();
    groupCache.set(table, cached);
  }
  const name = JSON.stringify(rule);
  let groups = cached.get(name);
  if (groups === undefined) {
    groups = computeGroups(table, rule);
    cached.set(name, groups);
  }
  return groups;
}

function computeGroups(table: LinkageTable, rule: BlockingRule): RuleGroups {
  const size = table.size;
  const keys = rule.map((key) => keyValues(table, key));
  const groupOf = new Int32Array(size);
  let groupCount = 0;
  if (keys.length === 1) {
    const values = keys[0] as Int32Array;
    const dense = new Map<number, number>();
    for (let i = 0; i < size; i += 1) {
      const value = values[i] as number;
      if (value === MISSING) {
        groupOf[i] = -1;
        continue;
      }
      let group = dense.get(value);
      if (group === undefined) {
        group = groupCount;
        groupCount += 1;
        dense.set(value, group);
      }
      groupOf[i] = group;
    }
  } else {
    // Combine the keys one at a time into a dense number, so no key text is ever built.
    const combined = new Float64Array(size);
    let combinedMax = 0;
    keys.forEach((values, position) => {
      let max = 0;
      for (let i = 0; i < size; i += 1) if ((values[i] as number) > max) max = values[i] as number;
      const dense = new Map<number, number>();
      for (let i = 0; i < size; i += 1) {
        const value = values[i] as number;
        const before = combined[i] as number;
        if (value === MISSING || before < 0) {
          combined[i] = -1;
          continue;
        }
        const key = position === 0 ? value : before * (max + 1) + value;
        let id = dense.get(key);
        if (id === undefined) {
          id = dense.size;
          dense.set(key, id);
        }
        combined[i] = id;
      }
      combinedMax = dense.size;
    });
    for (let i = 0; i < size; i += 1) groupOf[i] = combined[i] as number;
    groupCount = combinedMax;
  }
  const starts = new Uint32Array(groupCount + 1);
  for (let i = 0; i < size; i += 1) {
    const group = groupOf[i] as number;
    if (group >= 0) starts[group + 1] = (starts[group + 1] as number) + 1;
  }
  for (let g = 0; g < groupCount; g += 1) starts[g + 1] = (starts[g + 1] as number) + (starts[g] as number);
  const order = new Uint32Array(starts[groupCount] as number);
  const next = starts.slice(0, groupCount);
  for (let i = 0; i < size; i += 1) {
    const group = groupOf[i] as number;
    if (group < 0) continue;
    order[next[group] as number] = i;
    next[group] = (next[group] as number) + 1;
  }
  return { rule, groupOf, order, starts };
}

/** Number of pairs a rule produces on its own, before removing pairs earlier rules already gave. */
export function countRulePairs(table: LinkageTable, groups: RuleGroups, linkType: LinkType): number {
  let total = 0;
  const groupCount = groups.starts.length - 1;
  for (let g = 0; g < groupCount; g += 1) {
    const start = groups.starts[g] as number;
    const end = groups.starts[g + 1] as number;
    if (linkType === 'dedupe') {
      const n = end - start;
      total += (n * (n - 1)) / 2;
    } else {
      const split = leftSplit(groups.order, start, end, table.leftCount);
      total += (split - start) * (end - split);
    }
  }
  return total;
}

/** First position in a group's members holding a right record (members are in index order). */
function leftSplit(order: Uint32Array, start: number, end: number, leftCount: number): number {
  let lo = start;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((order[mid] as number) < leftCount) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class PairLimitError extends Error {
  override name = 'PairLimitError';
}

/** The candidate pairs of a list of rules, generated lazily. */
export class CandidatePairs {
  readonly table: LinkageTable;
  readonly linkType: LinkType;
  readonly groups: RuleGroups[];

  constructor(table: LinkageTable, rules: readonly BlockingRule[], linkType: LinkType) {
    this.table = table;
    this.linkType = linkType;
    this.groups = rules.map((rule) => groupRecords(table, rule));
  }

  /** Pairs each rule produces on its own; their sum bounds the number of candidates from above. */
  ruleCounts(): number[] {
    return this.groups.map((groups) => countRulePairs(this.table, groups, this.linkType));
  }

  upperBound(): number {
    return this.ruleCounts().reduce((sum, count) => sum + count, 0);
  }

  /** Throws before any comparison is made when the rules could produce more than `limit` pairs. */
  assertWithin(limit: number, purpose: string): void {
    const counts = this.ruleCounts();
    const total = counts.reduce((sum, count) => sum + count, 0);
    if (total > limit) {
      const detail = this.groups.map((groups, index) => `${describeRule(groups.rule)}: ${counts[index]}`).join('; ');
      throw new PairLimitError(`${purpose} could produce ${total} pairs, more than maxPairs (${limit}). Tighten the rules (${detail}) or raise maxPairs.`);
    }
  }

  /** True when the rule at `ruleIndex` puts records a and b in the same group. */
  sameGroup(ruleIndex: number, a: number, b: number): boolean {
    const groupOf = (this.groups[ruleIndex] as RuleGroups).groupOf;
    const group = groupOf[a] as number;
    return group >= 0 && group === groupOf[b];
  }

  /** Exact number of distinct candidate pairs (walks the pairs without keeping them). */
  count(): number {
    let total = 0;
    for (const chunk of this.chunks(1 << 16)) total += chunk.length / 2;
    return total;
  }

  /** Streams the candidates in chunks of at most `chunkSize` pairs; each chunk is a fresh array the caller may keep or transfer. */
  *chunks(chunkSize = 65_536): Generator<Uint32Array> {
    const { table, linkType, groups } = this;
    const size = Math.max(1, Math.floor(chunkSize));
    let buffer = new Uint32Array(size * 2);
    let filled = 0;
    for (let r = 0; r < groups.length; r += 1) {
      const { order, starts } = groups[r] as RuleGroups;
      const groupCount = starts.length - 1;
      for (let g = 0; g < groupCount; g += 1) {
        const start = starts[g] as number;
        const end = starts[g + 1] as number;
        const split = linkType === 'link' ? leftSplit(order, start, end, table.leftCount) : end;
        for (let x = start; x < split; x += 1) {
          const a = order[x] as number;
          for (let y = linkType === 'link' ? split : x + 1; y < end; y += 1) {
            const b = order[y] as number;
            let seen = false;
            for (let k = 0; k < r; k += 1) {
              const groupOf = (groups[k] as RuleGroups).groupOf;
              const group = groupOf[a] as number;
              if (group >= 0 && group === groupOf[b]) {
                seen = true;
                break;
              }
            }
            if (seen) continue;
            buffer[filled] = a;
            buffer[filled + 1] = b;
            filled += 2;
            if (filled === buffer.length) {
              yield buffer;
              buffer = new Uint32Array(size * 2);
              filled = 0;
            }
          }
        }
      }
    }
    if (filled > 0) yield buffer.slice(0, filled);
  }
}
