import { describe, expect, test } from 'vitest';
import { clusterPairs, UnionFind } from '../../src/linkage/cluster.ts';
import { createRandom } from '../../src/linkage/model.ts';
import type { ScoredChunk } from '../../src/linkage/score.ts';

function chunk(edges: [number, number, number][]): ScoredChunk {
  return { pairs: Uint32Array.from(edges.flatMap(([a, b]) => [a, b])), weights: Float64Array.from(edges.map(([, , weight]) => weight)) };
}

describe('clustering', () => {
  test('a chain joins records never compared directly; others stay singletons', () => {
    const clusters = clusterPairs(7, [chunk([[0, 1, 10], [1, 2, 9]]), chunk([[2, 3, 8], [5, 6, 12]])], 5);
    expect([...clusters.clusterIds]).toEqual([0, 0, 0, 0, 1, 2, 2]);
    expect(clusters.count).toBe(3);
    expect([...clusters.sizes]).toEqual([4, 1, 2]);
  });

  test('a higher threshold breaks the chain at its weakest link', () => {
    const edges = chunk([
      [0, 1, 10],
      [1, 2, 3],
      [2, 3, 10],
    ]);
    expect([...clusterPairs(4, [edges], 2).clusterIds]).toEqual([0, 0, 0, 0]);
    expect([...clusterPairs(4, [edges], 5).clusterIds]).toEqual([0, 0, 1, 1]);
    expect([...clusterPairs(4, [edges], 11).clusterIds]).toEqual([0, 1, 2, 3]);
  });

  test('no records, no pairs', () => {
    expect(clusterPairs(0, [], 0)).toMatchObject({ count: 0 });
    expect([...clusterPairs(3, [], 0).clusterIds]).toEqual([0, 1, 2]);
  });

  test('union-find agrees with a naive labelling on random graphs, and keeps trees shallow', () => {
    const random = createRandom(17);
    const size = 2000;
    const sets = new UnionFind(size);
    const label = Array.from({ length: size }, (_, i) => i);
    for (let e = 0; e < 1500; e += 1) {
      const a = Math.floor(random() * size);
      const b = Math.floor(random() * size);
      sets.union(a, b);
      const from = label[b];
      const to = label[a];
      if (from !== to) for (let i = 0; i < size; i += 1) if (label[i] === from) label[i] = to as number;
    }
    for (let i = 0; i < size; i += 1) {
      for (const j of [0, 1, 2, 500, 1999]) expect(sets.find(i) === sets.find(j)).toBe(label[i] === label[j]);
    }
    // Union by rank bounds the rank by log2(size).
    expect(Math.max(...sets.rank)).toBeLessThanOrEqual(Math.log2(size));
    // After finding every node, path compression leaves each pointing at its root.
    for (let i = 0; i < size; i += 1) expect(sets.parent[sets.parent[i]!]).toBe(sets.parent[i]);
  });
});
