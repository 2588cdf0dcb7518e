import { describe, expect, test } from 'vitest';
import { CandidatePairs, PairLimitError } from '../../src/linkage/blocking.ts';
import { normalise, parseYmd, tableFromRecords } from '../../src/linkage/data.ts';
import { doubleMetaphone } from '../../src/linkage/metrics.ts';
import { createRandom } from '../../src/linkage/model.ts';
import { parseSettings, type BlockingKey, type BlockingRule } from '../../src/linkage/settings.ts';

type Row = Record<string, string>;

const SURNAMES = ['Smith', 'SMITH', 'Smyth', 'Schmidt', 'Jones', 'Johns', 'Brown', 'Browne', ''];
const FIRST = ['Amelia', 'Amy', 'Amir', 'Oliver', 'Olivia', 'Jack', 'Jacob', ''];
const DOBS = ['2014-03-07', '2014-07-03', '20140307', '2015-01-01', '2015-12-31', 'unknown', ''];
const POSTCODES = ['AB1 2CD', 'ab1 2cd', 'XY9 8ZZ', ''];

function generate(count: number, seed: number, prefix: string): Row[] {
  const random = createRandom(seed);
  const pick = (values: readonly string[]): string => values[Math.floor(random() * values.length)] as string;
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}`, first_name: pick(FIRST), surname: pick(SURNAMES), dob: pick(DOBS), postcode: pick(POSTCODES) }));
}

/** The key as the settings define it, worked out directly from the raw text. */
function key(row: Row, blockingKey: BlockingKey): string | null {
  const value = (row[blockingKey.column] ?? '').trim();
  if (value === '') return null;
  switch (blockingKey.transform) {
    case null:
      return value;
    case 'lower':
      return normalise(value);
    case 'first3':
      return normalise(value).slice(0, 3);
    case 'doubleMetaphone':
      return doubleMetaphone(value).primary || null;
    case 'year': {
      const ymd = parseYmd(value);
      return ymd === 0 ? null : String(Math.floor(ymd / 10000));
    }
    case 'date': {
      const ymd = parseYmd(value);
      return ymd === 0 ? null : String(ymd);
    }
  }
}

function satisfies(a: Row, b: Row, rules: readonly BlockingRule[]): boolean {
  return rules.some((rule) =>
    rule.every((blockingKey) => {
      const x = key(a, blockingKey);
      return x !== null && x === key(b, blockingKey);
    }),
  );
}

const rules = [
  [{ column: 'surname', transform: 'doubleMetaphone' }],
  [{ column: 'dob', transform: 'year' }, { column: 'first_name', transform: 'first3' }],
  ['postcode'],
  [{ column: 'surname', transform: 'lower' }, 'dob'],
  [{ column: 'dob', transform: 'date' }, { column: 'first_name', transform: 'lower' }],
];

function settingsFor(linkType: 'dedupe' | 'link') {
  return parseSettings({
    linkType,
    uniqueIdColumn: 'id',
    comparisons: [{ name: 'surname', columns: 'surname', levels: [{ kind: 'exact' }, { kind: 'else' }] }],
    blockingRules: rules,
  });
}

function collect(candidates: CandidatePairs, chunkSize: number): [number, number][] {
  const pairs: [number, number][] = [];
  const sizes = new Set<number>();
  for (const chunk of candidates.chunks(chunkSize)) {
    sizes.add(chunk.length);
    for (let p = 0; p < chunk.length; p += 2) pairs.push([chunk[p] as number, chunk[p + 1] as number]);
  }
  // Every chunk but the last is full.
  expect([...sizes].every((size) => size % 2 === 0 && size <= chunkSize * 2)).toBe(true);
  return pairs;
}

describe('blocking', () => {
  test('dedupe: every pair satisfying a rule appears exactly once, and no other pair', () => {
    const settings = settingsFor('dedupe');
    const rows = generate(120, 7, 'r');
    const table = tableFromRecords(settings, rows);
    const candidates = new CandidatePairs(table, settings.blockingRules, 'dedupe');
    const pairs = collect(candidates, 7);
    const seen = new Set<string>();
    const repeated: string[] = [];
    for (const [a, b] of pairs) {
      const id = `${a},${b}`;
      if (a >= b || seen.has(id)) repeated.push(id);
      seen.add(id);
    }
    expect(repeated).toEqual([]);
    let expected = 0;
    const wrong: string[] = [];
    for (let a = 0; a < rows.length; a += 1) {
      for (let b = a + 1; b < rows.length; b += 1) {
        const should = satisfies(rows[a]!, rows[b]!, settings.blockingRules);
        if (seen.has(`${a},${b}`) !== should) wrong.push(`${a},${b}`);
        if (should) expected += 1;
      }
    }
    expect(wrong).toEqual([]);
    expect(pairs.length).toBe(expected);
    expect(expected).toBeGreaterThan(100);
    expect(candidates.count()).toBe(expected);
    // Each rule alone would give at least as many pairs as the union minus the others: the sum bounds it.
    expect(candidates.upperBound()).toBeGreaterThan(expected);
  });

  test('link: every left × right pair satisfying a rule appears exactly once, and no other pair', () => {
    const settings = settingsFor('link');
    const left = generate(70, 11, 'L');
    const right = generate(55, 12, 'R');
    const table = tableFromRecords(settings, left, right);
    const candidates = new CandidatePairs(table, settings.blockingRules, 'link');
    const pairs = collect(candidates, 5);
    const seen = new Set<string>();
    const repeated: string[] = [];
    for (const [a, b] of pairs) {
      const id = `${a},${b}`;
      if (a >= table.leftCount || b < table.leftCount || seen.has(id)) repeated.push(id);
      seen.add(id);
    }
    expect(repeated).toEqual([]);
    let expected = 0;
    const wrong: string[] = [];
    for (let a = 0; a < left.length; a += 1) {
      for (let b = 0; b < right.length; b += 1) {
        const should = satisfies(left[a]!, right[b]!, settings.blockingRules);
        if (seen.has(`${a},${left.length + b}`) !== should) wrong.push(`${a},${b}`);
        if (should) expected += 1;
      }
    }
    expect(wrong).toEqual([]);
    expect(pairs.length).toBe(expected);
    expect(expected).toBeGreaterThan(100);
  });

  test('missing keys never block', () => {
    const settings = settingsFor('dedupe');
    const rows = [
      { id: '1', first_name: '', surname: '', dob: '', postcode: '' },
      { id: '2', first_name: '', surname: '', dob: '', postcode: '' },
    ];
    const table = tableFromRecords(settings, rows);
    expect(new CandidatePairs(table, settings.blockingRules, 'dedupe').count()).toBe(0);
  });

  test('the pair limit stops a run before any comparison, naming the rules', () => {
    const settings = settingsFor('dedupe');
    const table = tableFromRecords(settings, generate(60, 3, 'r'));
    const candidates = new CandidatePairs(table, settings.blockingRules, 'dedupe');
    expect(() => candidates.assertWithin(10, 'Scoring')).toThrow(PairLimitError);
    expect(() => candidates.assertWithin(10, 'Scoring')).toThrow(/Scoring could produce \d+ pairs, more than maxPairs \(10\).*surname\(doubleMetaphone\): \d+/);
  });
});

describe('a key with swappedWith', () => {
  test('puts records with first name and surname swapped in one block, and only them', () => {
    const settings = parseSettings({
      linkType: 'dedupe',
      uniqueIdColumn: 'id',
      comparisons: [{ name: 'surname', columns: 'surname', levels: [{ kind: 'exact' }, { kind: 'else' }] }],
      blockingRules: [[{ column: 'dob', transform: 'date' }, { column: 'first_name', transform: 'first3', swappedWith: 'surname' }]],
    });
    const table = tableFromRecords(settings, [
      { id: 'a', first_name: 'Olivia', surname: 'Smith', dob: '2014-03-07' },
      { id: 'b', first_name: 'SMITH', surname: 'Oliver', dob: '20140307' },
      { id: 'c', first_name: 'Olivia', surname: 'Jones', dob: '2014-03-07' },
      { id: 'd', first_name: '', surname: 'Smith', dob: '2014-03-07' },
    ]);
    const pairs = collect(new CandidatePairs(table, settings.blockingRules, 'dedupe'), 10);
    expect(pairs.map(([x, y]) => `${table.ids[x]}${table.ids[y]}`)).toEqual(['ab']);
  });

  test('is refused with a transform that is not text', () => {
    expect(() =>
      parseSettings({
        linkType: 'dedupe',
        uniqueIdColumn: 'id',
        comparisons: [{ name: 'surname', columns: 'surname', levels: [{ kind: 'exact' }, { kind: 'else' }] }],
        blockingRules: [[{ column: 'first_name', transform: 'year', swappedWith: 'surname' }]],
      }),
    ).toThrow(/swappedWith/);
  });
});
