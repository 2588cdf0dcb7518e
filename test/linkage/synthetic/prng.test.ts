import { describe, expect, test } from 'vitest';
import { AliasTable, Random } from '../../../src/linkage/synthetic/prng.ts';

describe('Random', () => {
  test('is deterministic for a seed and its streams', () => {
    const draw = (random: Random) => Array.from({ length: 8 }, () => random.uint32());
    expect(draw(new Random(7))).toEqual(draw(new Random(7)));
    expect(draw(new Random(7, 3, 1))).toEqual(draw(new Random(7, 3, 1)));
    expect(draw(new Random(7))).not.toEqual(draw(new Random(8)));
    expect(draw(new Random(7, 3, 0))).not.toEqual(draw(new Random(7, 3, 1)));
    expect(draw(new Random(2 ** 40))).not.toEqual(draw(new Random(0)));
  });

  test('stays in range and is roughly uniform', () => {
    const random = new Random(1);
    const counts = new Array<number>(10).fill(0);
    let lowest = 1;
    let highest = 0;
    for (let i = 0; i < 100_000; i += 1) {
      const value = random.next();
      lowest = Math.min(lowest, value);
      highest = Math.max(highest, value);
      const bucket = random.int(0, 9);
      counts[bucket] = (counts[bucket] ?? 0) + 1;
    }
    expect(lowest).toBeGreaterThanOrEqual(0);
    expect(highest).toBeLessThan(1);
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  test('refuses a seed that is not a safe integer', () => {
    expect(() => new Random(1.5)).toThrow(RangeError);
    expect(() => new Random(Number.NaN)).toThrow(RangeError);
  });
});

describe('AliasTable', () => {
  test('samples in proportion to the weights', () => {
    const table = new AliasTable(['a', 'b', 'c', 'd'], [1, 2, 3, 0]);
    const random = new Random(11);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0, d: 0 };
    for (let i = 0; i < 60_000; i += 1) {
      const item = table.sample(random);
      counts[item] = (counts[item] ?? 0) + 1;
    }
    expect(counts['d']).toBe(0);
    expect(Math.abs((counts['a'] ?? 0) - 10_000)).toBeLessThan(600);
    expect(Math.abs((counts['b'] ?? 0) - 20_000)).toBeLessThan(800);
    expect(Math.abs((counts['c'] ?? 0) - 30_000)).toBeLessThan(800);
  });

  test('refuses empty, mismatched or all-zero weights', () => {
    expect(() => new AliasTable([], [])).toThrow(RangeError);
    expect(() => new AliasTable(['a'], [1, 2])).toThrow(RangeError);
    expect(() => new AliasTable(['a', 'b'], [0, 0])).toThrow(RangeError);
    expect(() => new AliasTable(['a'], [-1])).toThrow(RangeError);
  });
});
