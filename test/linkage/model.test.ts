import { describe, expect, test } from 'vitest';
import { tableFromRecords, totalPossiblePairs } from '../../src/linkage/data.ts';
import {
  comparisonVector,
  compileComparisons,
  createRandom,
  expectationMaximisation,
  initialModel,
  loadModel,
  ModelError,
  saveModel,
  trainModel,
  type ComparisonPatterns,
} from '../../src/linkage/model.ts';
import { parseSettings } from '../../src/linkage/settings.ts';

/** Draws an index from a discrete distribution. */
function draw(random: () => number, probabilities: readonly number[]): number {
  let x = random();
  for (let i = 0; i < probabilities.length; i += 1) {
    x -= probabilities[i] as number;
    if (x < 0) return i;
  }
  return probabilities.length - 1;
}

describe('expectation-maximisation on comparison vectors drawn from known m and u', () => {
  // Comparison 1 has a null level (index 0), missing in 10% of pairs.
  const truth = {
    lambda: 0.2,
    m: [
      [0.85, 0.1, 0.05],
      [1, 0.9, 0.1],
      [0.7, 0.15, 0.1, 0.05],
      [0.95, 0.05],
    ],
    u: [
      [0.02, 0.08, 0.9],
      [1, 0.05, 0.95],
      [0.01, 0.04, 0.1, 0.85],
      [0.3, 0.7],
    ],
  };
  const nullLevels = [-1, 0, -1, -1];
  const levelCounts = truth.m.map((levels) => levels.length);

  function simulate(pairs: number, seed: number): ComparisonPatterns {
    const random = createRandom(seed);
    const counts = new Map<string, number>();
    for (let p = 0; p < pairs; p += 1) {
      const match = random() < truth.lambda;
      const vector = levelCounts.map((_, k) => {
        if (nullLevels[k] === 0 && random() < 0.1) return 0;
        const probabilities = [...(match ? truth.m : truth.u)[k]!];
        if (nullLevels[k] === 0) probabilities[0] = 0;
        return draw(random, probabilities);
      });
      counts.set(vector.join(','), (counts.get(vector.join(',')) ?? 0) + 1);
    }
    const keys = [...counts.keys()];
    return {
      levelCounts,
      nullLevels,
      vectors: Int8Array.from(keys.flatMap((key) => key.split(',').map(Number))),
      counts: Float64Array.from(keys.map((key) => counts.get(key) as number)),
    };
  }

  // Starting points that only say "earlier levels are likelier among matches".
  const startM = levelCounts.map((count, k) => Array.from({ length: count }, (_, level) => (level === nullLevels[k] ? 1 : 1 / (level + 1))));
  const startU = levelCounts.map((count, k) => Array.from({ length: count }, (_, level) => (level === nullLevels[k] ? 1 : level + 1)));
  const normalised = (rows: number[][]): number[][] =>
    rows.map((row, k) => {
      const total = row.reduce((sum, value, level) => sum + (level === nullLevels[k] ? 0 : value), 0);
      return row.map((value, level) => (level === nullLevels[k] ? 1 : value / total));
    });

  test('recovers m, u and λ from 5,000 pairs', () => {
    const patterns = simulate(5000, 2024);
    const result = expectationMaximisation(patterns, { m: normalised(startM), u: normalised(startU), lambda: 0.5 }, { estimateU: true, maxIterations: 500, tolerance: 1e-8 });
    expect(result.converged).toBe(true);
    expect(result.lambda).toBeGreaterThan(truth.lambda - 0.02);
    expect(result.lambda).toBeLessThan(truth.lambda + 0.02);
    truth.m.forEach((levels, k) => {
      levels.forEach((value, level) => {
        if (level === nullLevels[k]) return;
        expect(Math.abs((result.m[k]![level] as number) - value), `m[${k}][${level}]`).toBeLessThan(0.04);
        expect(Math.abs((result.u[k]![level] as number) - (truth.u[k]![level] as number)), `u[${k}][${level}]`).toBeLessThan(0.03);
      });
    });
  });

  test('with u fixed at the truth, recovers m and λ, and leaves inactive comparisons alone', () => {
    const patterns = simulate(4000, 99);
    const active = [true, true, true, false];
    const result = expectationMaximisation(patterns, { m: normalised(startM), u: truth.u, lambda: 0.5 }, { active });
    expect(result.converged).toBe(true);
    expect(Math.abs(result.lambda - truth.lambda)).toBeLessThan(0.02);
    for (const k of [0, 1, 2]) {
      truth.m[k]!.forEach((value, level) => {
        if (level !== nullLevels[k]) expect(Math.abs((result.m[k]![level] as number) - value), `m[${k}][${level}]`).toBeLessThan(0.04);
      });
    }
    expect(result.m[3]).toEqual(normalised(startM)[3]);
    expect(result.u).toEqual(truth.u);
    expect(result.estimated).toEqual([true, true, true, false]);
  });
});

describe('training on records', () => {
  const FIRST = ['oliver', 'amelia', 'harry', 'isla', 'jack', 'ava', 'george', 'mia', 'noah', 'ivy', 'leo', 'freya', 'oscar', 'lily', 'arthur', 'grace', 'muhammad', 'sophia', 'theo', 'ella'];
  const SURNAMES = ['smith', 'jones', 'taylor', 'brown', 'williams', 'wilson', 'johnson', 'davies', 'patel', 'wright', 'walker', 'khan', 'evans', 'thomas', 'roberts', 'green', 'hall', 'wood', 'clarke', 'hughes', 'edwards', 'lewis', 'baker', 'hill'];

  const settings = parseSettings({
    linkType: 'dedupe',
    uniqueIdColumn: 'id',
    comparisons: [
      { name: 'first_name', columns: 'first_name', levels: [{ kind: 'exact' }, { kind: 'jaroWinkler', threshold: 0.85 }, { kind: 'else' }] },
      { name: 'surname', columns: 'surname', levels: [{ kind: 'exact' }, { kind: 'jaroWinkler', threshold: 0.85 }, { kind: 'else' }] },
      { name: 'dob', columns: 'dob', levels: [{ kind: 'dateExact' }, { kind: 'dateTransposedDayMonth' }, { kind: 'dateWithinYears', years: 1 }, { kind: 'else' }] },
      { name: 'postcode', columns: 'postcode', levels: [{ kind: 'exact' }, { kind: 'else' }] },
      { name: 'nhs_number', columns: 'nhs_number', levels: [{ kind: 'null' }, { kind: 'exact' }, { kind: 'else' }] },
    ],
    blockingRules: [[{ column: 'surname', transform: 'first3' }], ['dob'], ['postcode']],
    deterministicRules: [['nhs_number']],
    recall: 0.7,
  });

  function typo(random: () => number, word: string): string {
    const i = 1 + Math.floor(random() * (word.length - 1));
    return random() < 0.5 ? `${word.slice(0, i)}${word.slice(i + 1)}` : `${word.slice(0, i)}${'aeiou'[Math.floor(random() * 5)]}${word.slice(i)}`;
  }

  type Child = { id: string; first_name: string; surname: string; dob: string; postcode: string; nhs_number: string };

  function generate(seed: number): { rows: Child[]; duplicateOf: Map<number, number> } {
    const random = createRandom(seed);
    const pick = (values: readonly string[]): string => values[Math.floor(random() * values.length)] as string;
    const rows: Child[] = [];
    for (let i = 0; i < 500; i += 1) {
      const year = 2008 + Math.floor(random() * 10);
      const month = 1 + Math.floor(random() * 12);
      const day = 1 + Math.floor(random() * 28);
      rows.push({
        id: `c${i}`,
        first_name: pick(FIRST),
        surname: pick(SURNAMES),
        dob: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        postcode: `P${Math.floor(random() * 40)}`,
        nhs_number: String(4000000000 + i),
      });
    }
    const duplicateOf = new Map<number, number>();
    for (let d = 0; d < 150; d += 1) {
      const original = Math.floor(random() * 500);
      const base = rows[original]!;
      const copy = { ...base, id: `d${d}` };
      if (random() < 0.15) copy.first_name = typo(random, base.first_name);
      if (random() < 0.1) copy.surname = typo(random, base.surname);
      if (random() < 0.1) copy.dob = `${base.dob.slice(0, 4)}-${base.dob.slice(8, 10)}-${base.dob.slice(5, 7)}`;
      if (random() < 0.25) copy.postcode = `P${Math.floor(random() * 40)}`;
      if (random() < 0.3) copy.nhs_number = '';
      duplicateOf.set(rows.length, original);
      rows.push(copy);
    }
    return { rows, duplicateOf };
  }

  test('m, u and λ come out close to their values in the generated data', () => {
    const { rows, duplicateOf } = generate(5);
    const table = tableFromRecords(settings, rows);
    const model = trainModel(table, settings, { seed: 3, uSampleSize: 300_000 });

    // The truth, measured directly: m over the true duplicate pairs, u over every other pair.
    const comparisons = compileComparisons(settings, table);
    const width = comparisons.length;
    const mCounts = comparisons.map((comparison) => new Array<number>(comparison.levelCount).fill(0));
    const uCounts = comparisons.map((comparison) => new Array<number>(comparison.levelCount).fill(0));
    const vector = new Int8Array(width);
    const isDuplicate = (a: number, b: number): boolean => duplicateOf.get(b) === a || (duplicateOf.has(a) && duplicateOf.get(a) === duplicateOf.get(b)) || duplicateOf.get(a) === b;
    let matches = 0;
    for (let a = 0; a < table.size; a += 1) {
      for (let b = a + 1; b < table.size; b += 1) {
        comparisonVector(comparisons, a, b, vector);
        const duplicate = isDuplicate(a, b);
        if (duplicate) matches += 1;
        for (let k = 0; k < width; k += 1) {
          const row = (duplicate ? mCounts : uCounts)[k]!;
          const level = vector[k] as number;
          row[level] = (row[level] as number) + 1;
        }
      }
    }
    const share = (counts: number[], nullLevel: number): number[] => {
      const total = counts.reduce((sum, count, level) => sum + (level === nullLevel ? 0 : count), 0);
      return counts.map((count, level) => (level === nullLevel ? 1 : count / total));
    };
    model.comparisons.forEach((parameters, k) => {
      const nullLevel = comparisons[k]!.nullLevel;
      const trueM = share(mCounts[k]!, nullLevel);
      const trueU = share(uCounts[k]!, nullLevel);
      parameters.levels.forEach((level, index) => {
        if (index === nullLevel) return;
        expect(Math.abs(level.m - (trueM[index] as number)), `${parameters.name} m[${index}]`).toBeLessThan(0.06);
        expect(Math.abs(level.u - (trueU[index] as number)), `${parameters.name} u[${index}]`).toBeLessThan(0.01);
      });
    });
    const trueLambda = matches / totalPossiblePairs(table, 'dedupe');
    expect(model.prior / trueLambda).toBeGreaterThan(0.8);
    expect(model.prior / trueLambda).toBeLessThan(1.25);

    const training = model.training!;
    expect(training.priorMethod).toBe('deterministicRules');
    expect(training.sessions.map((session) => session.fixedComparisons)).toEqual([['surname'], ['dob'], ['postcode']]);
    expect(training.sessions.every((session) => session.converged)).toBe(true);
    expect(training.untrained).toEqual([]);
    // Training is reproducible.
    expect(saveModel(trainModel(table, settings, { seed: 3, uSampleSize: 300_000 }))).toBe(saveModel(model));
  });
});

describe('saving and loading', () => {
  const settings = parseSettings({
    linkType: 'dedupe',
    uniqueIdColumn: 'id',
    comparisons: [{ name: 'surname', columns: 'surname', levels: [{ kind: 'null' }, { kind: 'exact', termFrequencyAdjustment: true }, { kind: 'else' }] }],
    blockingRules: [['surname']],
  });

  test('a saved model loads back equal', () => {
    const table = tableFromRecords(settings, [
      { id: '1', surname: 'Smith' },
      { id: '2', surname: 'Smith' },
      { id: '3', surname: 'Jones' },
    ]);
    const model = trainModel(table, settings, { prior: 0.01 });
    expect(loadModel(saveModel(model))).toEqual(model);
  });

  test('a damaged model is rejected with the path of the problem', () => {
    const model = initialModel(settings);
    const broken = JSON.parse(saveModel(model));
    broken.comparisons[0].levels[1].m = 1.5;
    expect(() => loadModel(JSON.stringify(broken))).toThrow(ModelError);
    expect(() => loadModel(JSON.stringify(broken))).toThrow(/comparisons\[0\]\.levels\[1\]\.m: must be at most 1/);
    const mismatched = JSON.parse(saveModel(model));
    mismatched.comparisons[0].levels.pop();
    expect(() => loadModel(JSON.stringify(mismatched))).toThrow(/comparisons\[0\]\.levels: 2 given but the settings have 3/);
    const badSettings = JSON.parse(saveModel(model));
    badSettings.settings.linkType = 'merge';
    expect(() => loadModel(JSON.stringify(badSettings))).toThrow(/settings\.linkType: linkType must be "dedupe" or "link"/);
    expect(() => loadModel('not json')).toThrow(/not valid JSON/);
  });
});
