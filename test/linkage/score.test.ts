import { describe, expect, test } from 'vitest';
import { CandidatePairs } from '../../src/linkage/blocking.ts';
import { tableFromRecords } from '../../src/linkage/data.ts';
import { initialModel, type LinkageModel } from '../../src/linkage/model.ts';
import { createScorer, explain, formatWaterfall, matchWeight, probabilityFromWeight, scorePairs, weightFromProbability } from '../../src/linkage/score.ts';
import { parseSettings } from '../../src/linkage/settings.ts';

const settings = parseSettings({
  linkType: 'dedupe',
  uniqueIdColumn: 'id',
  comparisons: [
    {
      name: 'name',
      columns: ['first_name', 'surname'],
      levels: [
        { kind: 'null' },
        { kind: 'exact' },
        { kind: 'namesSwapped' },
        { kind: 'jaroWinkler', threshold: 0.9 },
        { kind: 'else' },
      ],
    },
    {
      name: 'surname',
      columns: 'surname',
      levels: [{ kind: 'null' }, { kind: 'exact', termFrequencyAdjustment: true }, { kind: 'doubleMetaphone' }, { kind: 'else' }],
    },
    {
      name: 'dob',
      columns: 'dob',
      levels: [{ kind: 'null' }, { kind: 'dateExact' }, { kind: 'dateTransposedDayMonth' }, { kind: 'dateWithinDays', days: 30 }, { kind: 'else' }],
    },
  ],
  blockingRules: [['dob'], ['surname']],
});

/** A hand-set model, so the expected weights can be worked out on paper. */
function handModel(): LinkageModel {
  const model = initialModel(settings);
  model.prior = 0.001;
  const set = (k: number, m: number[], u: number[]): void => {
    model.comparisons[k]!.levels.forEach((level, index) => {
      level.m = m[index]!;
      level.u = u[index]!;
    });
  };
  set(0, [1, 0.8, 0.05, 0.1, 0.05], [1, 0.001, 0.0001, 0.01, 0.9889]);
  set(1, [1, 0.9, 0.05, 0.05], [1, 0.01, 0.02, 0.97]);
  set(2, [1, 0.9, 0.04, 0.04, 0.02], [1, 0.0004, 0.0004, 0.02, 0.9792]);
  return model;
}

const rows = [
  { id: 'a', first_name: 'Amelia', surname: 'Smith', dob: '2014-03-07' },
  { id: 'b', first_name: 'Amelia', surname: 'Smith', dob: '2014-07-03' },
  { id: 'c', first_name: 'Smith', surname: 'Amelia', dob: '2014-03-07' },
  { id: 'd', first_name: 'Amelie', surname: 'Smithe', dob: '' },
  { id: 'e', first_name: 'Zebedee', surname: 'Quill', dob: '2010-01-01' },
  { id: 'f', first_name: 'Zebedee', surname: 'Quill', dob: '2010-01-01' },
  { id: 'g', first_name: 'John', surname: 'Smith', dob: '2010-01-01' },
  { id: 'h', first_name: 'John', surname: 'Smith', dob: '2010-01-01' },
  { id: 'i', first_name: 'Ann', surname: 'Smith', dob: '2001-05-05' },
  { id: 'j', first_name: 'Ben', surname: 'Smith', dob: '2002-06-06' },
];

describe('scoring', () => {
  const table = tableFromRecords(settings, rows);
  const model = handModel();
  const scorer = createScorer(model, table);

  test('weights are the prior plus each level’s log2 Bayes factor', () => {
    // a–b: names exact, surname exact (with TF), dob transposed.
    const smithShare = 6 / 10;
    const expected = Math.log2(0.001 / 0.999) + Math.log2(0.8 / 0.001) + Math.log2(0.9 / 0.01) + Math.log2(0.01 / smithShare) + Math.log2(0.04 / 0.0004);
    expect(matchWeight(scorer, 0, 1)).toBeCloseTo(expected, 10);
    // a–c: names swapped, surnames differ (Smith against Amelia), same dob.
    expect(matchWeight(scorer, 0, 2)).toBeCloseTo(Math.log2(0.001 / 0.999) + Math.log2(0.05 / 0.0001) + Math.log2(0.05 / 0.97) + Math.log2(0.9 / 0.0004), 10);
  });

  test('the waterfall contributions add up to the match weight', () => {
    for (let a = 0; a < table.size; a += 1) {
      for (let b = a + 1; b < table.size; b += 1) {
        const waterfall = explain(scorer, a, b);
        const sum = waterfall.priorWeight + waterfall.steps.reduce((total, step) => total + step.weight + (step.termFrequency?.weight ?? 0), 0);
        expect(sum).toBeCloseTo(waterfall.matchWeight, 10);
        expect(waterfall.matchWeight).toBeCloseTo(matchWeight(scorer, a, b), 10);
        expect(waterfall.steps.at(-1)?.cumulativeWeight).toBeCloseTo(waterfall.matchWeight, 10);
        expect(waterfall.probability).toBeCloseTo(probabilityFromWeight(waterfall.matchWeight), 12);
        for (const step of waterfall.steps) expect(step.weight).toBeCloseTo(Math.log2(step.bayesFactor), 10);
      }
    }
  });

  test('the waterfall names each level and shows the values compared', () => {
    const waterfall = explain(scorer, 0, 3);
    expect(waterfall.left.id).toBe('a');
    expect(waterfall.right.id).toBe('d');
    expect(waterfall.steps.map((step) => [step.comparison, step.label])).toEqual([
      ['name', 'Jaro-Winkler ≥ 0.9'],
      ['surname', 'sounds alike (Double Metaphone)'],
      ['dob', 'value missing'],
    ]);
    expect(waterfall.steps[0]?.leftValues).toEqual(['Amelia', 'Smith']);
    expect(waterfall.steps[0]?.rightValues).toEqual(['Amelie', 'Smithe']);
    // A missing value is neutral.
    expect(waterfall.steps[2]).toMatchObject({ m: null, u: null, weight: 0, bayesFactor: 1 });
    const text = formatWaterfall(waterfall);
    expect(text).toContain('Records a and d');
    expect(text).toContain('sounds alike (Double Metaphone)');
    expect(text).toContain('(missing)');
  });

  test('a term-frequency adjustment raises a rare exact name above a common one', () => {
    // e–f agree on the rare "Quill"; g–h on "Smith", 6 of 10 surnames. Everything else is the same.
    const rare = explain(scorer, 4, 5);
    const common = explain(scorer, 6, 7);
    expect(rare.steps[1]?.label).toBe('exact match');
    expect(common.steps[1]?.label).toBe('exact match');
    expect(rare.steps[1]?.weight).toBe(common.steps[1]?.weight);
    expect(rare.steps[1]?.termFrequency?.frequency).toBeCloseTo(2 / 10, 12);
    expect(common.steps[1]?.termFrequency?.frequency).toBeCloseTo(6 / 10, 12);
    expect(rare.steps[1]?.termFrequency?.weight).toBeCloseTo(Math.log2(0.01 / 0.2), 12);
    expect(rare.matchWeight).toBeGreaterThan(common.matchWeight);
    expect(rare.matchWeight - common.matchWeight).toBeCloseTo(Math.log2(0.6 / 0.2), 10);
  });

  test('scorePairs streams only pairs at or above the threshold', () => {
    const candidates = new CandidatePairs(table, settings.blockingRules, 'dedupe');
    const all = [...scorePairs(scorer, candidates.chunks(3))];
    const every = all.reduce((total, chunk) => total + chunk.weights.length, 0);
    expect(every).toBe(candidates.count());
    let done = 0;
    const kept = [...scorePairs(scorer, candidates.chunks(3), { threshold: 0.9, onProgress: (pairs) => (done = pairs) })];
    expect(done).toBe(every);
    const weights = kept.flatMap((chunk) => [...chunk.weights]);
    expect(weights.length).toBeGreaterThan(0);
    expect(weights.length).toBeLessThan(every);
    for (const weight of weights) expect(probabilityFromWeight(weight)).toBeGreaterThanOrEqual(0.9 - 1e-12);
    expect(weightFromProbability(0.5)).toBe(0);
    expect(weightFromProbability(0)).toBe(Number.NEGATIVE_INFINITY);
  });
});
