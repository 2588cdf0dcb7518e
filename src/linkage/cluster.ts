import type { ScoredChunk } from './score.ts';

/**
 * Clusters: connected components of the graph whose edges are the pairs at or above a threshold.
 * Linkage is transitive here by design (if A is B and B is C, all three are one child), so a chain of
 * strong links joins records that were never compared directly; the threshold controls how eager
 * that is.
 */

/** Union-find over typed arrays, with path compression and union by rank. */
export class UnionFind {
  readonly parent: Int32Array;
  readonly rank: Uint8Array;

  constructor(size: number) {
    this.parent = new Int32Array(size);
    this.rank = new Uint8Array(size);
    for (let i = 0; i < size; i += 1) this.parent[i] = i;
  }

  find(x: number): number {
    const parent = this.parent;
    let root = x;
    while ((parent[root] as number) !== root) root = parent[root] as number;
    // Point every node on the path straight at the root.
    let node = x;
    while (node !== root) {
      const next = parent[node] as number;
      parent[node] = root;
      node = next;
    }
    return root;
  }

  /** Joins the sets of a and b; returns false when they were already one set. */
  union(a: number, b: number): boolean {
    let rootA = this.find(a);
    let rootB = this.find(b);
    if (rootA === rootB) return false;
    const rank = this.rank;
    if ((rank[rootA] as number) < (rank[rootB] as number)) {
      const swap = rootA;
      rootA = rootB;
      rootB = swap;
    }
    this.parent[rootB] = rootA;
    if (rank[rootA] === rank[rootB]) rank[rootA] = Math.min(255, (rank[rootA] as number) + 1);
    return true;
  }
}

export interface Clusters {
  /** Cluster number per record, numbered from 0 in order of each cluster's first record. */
  clusterIds: Int32Array;
  /** Number of clusters, singletons included. */
  count: number;
  /** Number of records in each cluster. */
  sizes: Uint32Array;
}

/** Connected components of the pairs whose weight is at least `thresholdWeight`. */
export function clusterPairs(size: number, scored: Iterable<ScoredChunk>, thresholdWeight: number): Clusters {
  const sets = new UnionFind(size);
  for (const { pairs, weights } of scored) {
    for (let p = 0; p < weights.length; p += 1) {
      if ((weights[p] as number) >= thresholdWeight) sets.union(pairs[2 * p] as number, pairs[2 * p + 1] as number);
    }
  }
  return numberClusters(sets, size);
}

/** Renumbers union-find roots densely, in record order. */
export function numberClusters(sets: UnionFind, size: number): Clusters {
  const clusterIds = new Int32Array(size);
  const byRoot = new Int32Array(size).fill(-1);
  let count = 0;
  for (let i = 0; i < size; i += 1) {
    const root = sets.find(i);
    let id = byRoot[root] as number;
    if (id < 0) {
      id = count;
      count += 1;
      byRoot[root] = id;
    }
    clusterIds[i] = id;
  }
  const sizes = new Uint32Array(count);
  for (let i = 0; i < size; i += 1) {
    const id = clusterIds[i] as number;
    sizes[id] = (sizes[id] as number) + 1;
  }
  return { clusterIds, count, sizes };
}

/**
 * Clusters that never hold two records known to be different children. Links are taken strongest
 * first; two clusters are joined only if no record of one contradicts a record of the other, where
 * `contradicts(x, y)` decides for one pair (typically: scored below the threshold with strong
 * evidence against, such as different first names on one date of birth at one address, as twins
 * have). Without this, a record that fits either twin (a missing first name, say) would join both
 * twins into one cluster.
 *
 * `pairs` holds interleaved record indexes and `weights` their weights. Clusters stay small in
 * practice, so checking every pair across two clusters is cheap.
 */
export function clusterWithoutContradictions(size: number, pairs: Uint32Array, weights: Float64Array, contradicts: (x: number, y: number) => boolean): { clusters: Clusters; refused: number } {
  const order = Array.from({ length: weights.length }, (_, p) => p);
  order.sort((x, y) => (weights[y] as number) - (weights[x] as number) || x - y);
  const sets = new UnionFind(size);
  const members = new Map<number, number[]>();
  const membersOf = (root: number): number[] => members.get(root) ?? [root];
  let refused = 0;
  for (const p of order) {
    const a = pairs[2 * p] as number;
    const b = pairs[2 * p + 1] as number;
    const rootA = sets.find(a);
    const rootB = sets.find(b);
    if (rootA === rootB) continue;
    const left = membersOf(rootA);
    const right = membersOf(rootB);
    let blocked = false;
    for (const x of left) {
      for (const y of right) {
        if (contradicts(x, y)) {
          blocked = true;
          break;
        }
      }
      if (blocked) break;
    }
    if (blocked) {
      refused += 1;
      continue;
    }
    sets.union(a, b);
    const root = sets.find(a);
    const merged = left.length >= right.length ? left : right;
    for (const x of left.length >= right.length ? right : left) merged.push(x);
    members.delete(rootA);
    members.delete(rootB);
    members.set(root, merged);
  }
  return { clusters: numberClusters(sets, size), refused };
}
