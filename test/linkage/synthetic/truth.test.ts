import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  buildLinkTruth,
  buildTruth,
  evaluate,
  evaluateAtThresholds,
  pairKey,
  readLinkTruth,
  readTruth,
  truePairs,
} from '../../../src/linkage/synthetic/truth.ts';

// Five records of three people: p1 has r1, r2, r3; p2 has r4; p3 has r5.
// True pairs: r1–r2, r1–r3, r2–r3 (3).
const rows = [
  { recordId: 'r1', personId: 'p1' },
  { recordId: 'r2', personId: 'p1' },
  { recordId: 'r3', personId: 'p1' },
  { recordId: 'r4', personId: 'p2' },
  { recordId: 'r5', personId: 'p3' },
];
const truth = buildTruth(rows);

describe('buildTruth', () => {
  test('counts records, people and true pairs', () => {
    expect(truth).toMatchObject({ mode: 'dedupe', records: 5, people: 3, truePairs: 3 });
  });

  test('refuses a record id given twice', () => {
    expect(() => buildTruth([...rows, { recordId: 'r1', personId: 'p9' }])).toThrow(/twice/);
  });

  test('lists every true pair once', () => {
    expect([...truePairs(truth)].map(([a, b]) => `${a}-${b}`).sort()).toEqual(['r1-r2', 'r1-r3', 'r2-r3']);
  });
});

describe('evaluate with pairs', () => {
  test('perfect prediction', () => {
    const result = evaluate(
      [
        ['r1', 'r2'],
        ['r3', 'r1'],
        ['r2', 'r3'],
      ],
      truth,
    );
    expect(result).toMatchObject({ truePositives: 3, falsePositives: 0, falseNegatives: 0, precision: 1, recall: 1, f1: 1 });
  });

  test('one right, one wrong, a repeat in reverse order counted once', () => {
    // r1–r2 is true; r4–r5 is false; r2–r1 repeats r1–r2.
    const result = evaluate(
      [
        ['r1', 'r2'],
        ['r4', 'r5'],
        ['r2', 'r1'],
      ],
      truth,
    );
    expect(result.predictedPairs).toBe(2);
    expect(result.truePositives).toBe(1);
    expect(result.falsePositives).toBe(1);
    expect(result.falseNegatives).toBe(2);
    expect(result.precision).toBe(0.5);
    expect(result.recall).toBeCloseTo(1 / 3);
    // 2 · 0.5 · ⅓ / (0.5 + ⅓) = 0.4
    expect(result.f1).toBeCloseTo(0.4);
  });

  test('nothing predicted: precision 1 by convention, recall 0', () => {
    expect(evaluate([], truth)).toMatchObject({ predictedPairs: 0, precision: 1, recall: 0, f1: 0 });
  });

  test('only wrong predictions: precision, recall and F1 all 0', () => {
    expect(evaluate([['r1', 'r4']], truth)).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  test('refuses unknown ids and self-pairs', () => {
    expect(() => evaluate([['r1', 'r99']], truth)).toThrow(/unknown record id/);
    expect(() => evaluate([['r1', 'r1']], truth)).toThrow(/itself/);
  });
});

describe('evaluate with clusters', () => {
  test('clusters are scored by the pairs they imply', () => {
    // {r1, r2, r4}: pairs r1–r2 (true), r1–r4, r2–r4 (false). r3 and r5 alone.
    const result = evaluate({ clusters: [['r1', 'r2', 'r4'], ['r3']] }, truth);
    expect(result).toMatchObject({ predictedPairs: 3, truePositives: 1, falsePositives: 2, falseNegatives: 2 });
  });

  test('one cluster per person is perfect', () => {
    const result = evaluate({ clusters: [['r1', 'r2', 'r3'], ['r4'], ['r5']] }, truth);
    expect(result).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });

  test('everything in one cluster: full recall, poor precision', () => {
    // C(5,2) = 10 pairs, 3 true.
    const result = evaluate({ clusters: [['r1', 'r2', 'r3', 'r4', 'r5']] }, truth);
    expect(result).toMatchObject({ predictedPairs: 10, truePositives: 3, recall: 1 });
    expect(result.precision).toBeCloseTo(0.3);
  });

  test('refuses a record in two clusters', () => {
    expect(() => evaluate({ clusters: [['r1', 'r2'], ['r2', 'r3']] }, truth)).toThrow(/more than one cluster/);
  });
});

describe('link mode', () => {
  // p1: l1, l2 on the left and x1 on the right; p2: l3 left only; p3: x2 right only.
  // True link pairs: l1–x1 and l2–x1 (2). l1–l2 is the same person but on one side.
  const link = buildLinkTruth(
    [
      { recordId: 'l1', personId: 'p1' },
      { recordId: 'l2', personId: 'p1' },
      { recordId: 'l3', personId: 'p2' },
    ],
    [
      { recordId: 'x1', personId: 'p1' },
      { recordId: 'x2', personId: 'p3' },
    ],
  );

  test('counts only cross pairs as true', () => {
    expect(link).toMatchObject({ mode: 'link', records: 5, people: 3, truePairs: 2 });
    expect([...truePairs(link)].map(([a, b]) => `${a}-${b}`).sort()).toEqual(['l1-x1', 'l2-x1']);
  });

  test('pairs within one side are not counted, in either direction', () => {
    const result = evaluate(
      [
        ['x1', 'l1'],
        ['l1', 'l2'],
        ['l3', 'x2'],
      ],
      link,
    );
    expect(result).toMatchObject({ predictedPairs: 2, truePositives: 1, ignoredPairs: 1, recall: 0.5, precision: 0.5 });
  });

  test('clusters count only their left × right pairs', () => {
    // {l1, l2, x1, x2}: cross pairs l1–x1, l2–x1 (true), l1–x2, l2–x2 (false).
    const result = evaluate({ clusters: [['l1', 'l2', 'x1', 'x2']] }, link);
    expect(result).toMatchObject({ predictedPairs: 4, truePositives: 2, precision: 0.5, recall: 1 });
  });

  test('refuses a record id on both sides', () => {
    expect(() => buildLinkTruth([{ recordId: 'a', personId: 'p' }], [{ recordId: 'a', personId: 'p' }])).toThrow(/twice/);
  });
});

describe('evaluateAtThresholds', () => {
  const scored: [string, string, number][] = [
    ['r1', 'r2', 0.95], // true
    ['r1', 'r3', 0.7], // true
    ['r2', 'r3', 0.4], // true
    ['r4', 'r5', 0.8], // false
    ['r1', 'r4', 0.2], // false
    ['r3', 'r1', 0.9], // repeat of r1–r3: counts once, at 0.9
  ];

  test('matches evaluate at each threshold, in the order given', () => {
    const thresholds = [0.9, 0.5, 0.1, 0.99];
    const results = evaluateAtThresholds(scored, truth, thresholds);
    expect(results.map((result) => result.threshold)).toEqual(thresholds);
    // ≥ 0.9: r1–r2, r1–r3 → 2 of 2 right, 2 of 3 found.
    expect(results[0]).toMatchObject({ predictedPairs: 2, truePositives: 2 });
    // ≥ 0.5: adds r4–r5 → 3 predicted, 2 right.
    expect(results[1]).toMatchObject({ predictedPairs: 3, truePositives: 2 });
    // ≥ 0.1: everything: 5 predicted, 3 right.
    expect(results[2]).toMatchObject({ predictedPairs: 5, truePositives: 3, recall: 1 });
    // ≥ 0.99: nothing.
    expect(results[3]).toMatchObject({ predictedPairs: 0, precision: 1, recall: 0 });
    for (const [i, threshold] of thresholds.entries()) {
      const chosen = scored.filter(([, , score]) => score >= threshold).map(([a, b]) => [a, b] as const);
      const direct = evaluate(chosen, truth);
      expect(results[i]).toMatchObject({ predictedPairs: direct.predictedPairs, truePositives: direct.truePositives });
    }
  });

  test('a threshold equal to a score includes that pair', () => {
    const [result] = evaluateAtThresholds(scored, truth, [0.7]);
    expect(result).toMatchObject({ predictedPairs: 3, truePositives: 2 });
  });
});

describe('reading generated files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-synthetic-truth-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('readTruth and readLinkTruth use the record_id and person_id columns', async () => {
    const header = 'record_id,person_id,source,first_name,surname,date_of_birth,sex,address_line_1,postcode,upn,nhs_number\n';
    const left = join(dir, 'left.csv');
    const right = join(dir, 'right.csv');
    writeFileSync(left, `${header}R1,P1,school,Ann,Lee,2015-01-02,F,"Flat 1, 2 Mill Lane",NZ1 1AB,,\nR2,P2,school,Bo,Lee,2016-01-02,M,2 Mill Lane,NZ1 1AB,,\n`);
    writeFileSync(right, `${header}R3,P1,gp,Ann,LEE,20150102,F,2 Mill Lane,NZ1 1AB,,\n`);
    const dedupe = await readTruth(left);
    expect(dedupe).toMatchObject({ records: 2, people: 2, truePairs: 0 });
    const link = await readLinkTruth(left, right);
    expect(link).toMatchObject({ records: 3, people: 2, truePairs: 1 });
    expect(evaluate([['R1', 'R3']], link).f1).toBe(1);
  });
});

test('pairKey ignores order', () => {
  expect(pairKey('a', 'b')).toBe(pairKey('b', 'a'));
  expect(pairKey('a', 'b')).not.toBe(pairKey('a', 'c'));
});
