import { describe, expect, test } from 'vitest';
import {
  createRecordMatcher,
  loadChildrenPresetModel,
  loadModel,
  saveModel,
  tableFromRecords,
  termFrequencyTables,
  trainModel,
  withModelTermFrequencies,
  type LinkageModel,
  type PersonRecord,
  type Waterfall,
} from '../../src/linkage/index.ts';
import { parseSettings } from '../../src/linkage/settings.ts';

const incoming: PersonRecord = {
  first_name: 'Olivia',
  surname: 'Smith',
  date_of_birth: '2015-03-07',
  sex: 'F',
  postcode: 'NZ2 1XE',
  upn: '',
  nhs_number: '999 000 0018',
  address: '12 Mill Lane',
};

describe('the children preset model', () => {
  test('loads once, with term-frequency tables for its term-frequency levels', () => {
    const model = loadChildrenPresetModel();
    expect(loadChildrenPresetModel()).toBe(model);
    expect(model.termFrequencies).toBeDefined();
    const keys = Object.keys(model.termFrequencies ?? {});
    expect(keys).toContain('first_name+surname');
    for (const frequencies of Object.values(model.termFrequencies ?? {})) {
      expect(frequencies.values.length).toBeGreaterThan(100);
      expect(frequencies.otherValues).toBeGreaterThan(0);
      // Commonest first.
      const shares = frequencies.values.map((row) => row[row.length - 1] as number);
      expect([...shares].sort((a, b) => b - a)).toEqual(shares);
    }
    expect(model.description).toMatch(/synthetic/);
  });

  test('labels every comparison and level for officers', () => {
    const model = loadChildrenPresetModel();
    for (const comparison of model.settings.comparisons) {
      expect(comparison.label).toBeDefined();
      for (const level of comparison.levels) expect(level.label).toBeDefined();
    }
  });
});

describe('createRecordMatcher with the children preset', () => {
  const matcher = createRecordMatcher(loadChildrenPresetModel());

  test('scores each candidate in order, with a waterfall whose steps add up', () => {
    const candidates: PersonRecord[] = [
      { ...incoming, record_id: 'C1' },
      { record_id: 'C2', first_name: 'Jack', surname: 'Brown', date_of_birth: '2011-10-01', sex: 'M', postcode: 'NB4 7QP' },
      { ...incoming, record_id: 'C3', date_of_birth: '2015-07-03' },
    ];
    const results = matcher.score(incoming, candidates);
    expect(results).toHaveLength(3);
    expect(results.map((result) => result.waterfall.right.id)).toEqual(['C1', 'C2', 'C3']);
    expect(results[0]!.waterfall.left.id).toBe('');
    expect(results[0]!.probability).toBeGreaterThan(0.999);
    expect(results[1]!.probability).toBeLessThan(0.001);
    for (const { weight, probability, waterfall } of results) {
      const sum = waterfall.priorWeight + waterfall.steps.reduce((total, step) => total + step.weight + (step.termFrequency?.weight ?? 0), 0);
      expect(sum).toBeCloseTo(weight, 9);
      expect(waterfall.matchWeight).toBe(weight);
      expect(waterfall.probability).toBe(probability);
      for (const step of waterfall.steps) {
        expect(step.description).toBe(`${step.comparisonLabel}: ${step.label}`);
      }
    }
    const dob = results[2]!.waterfall.steps.find((step) => step.comparison === 'date_of_birth');
    expect(dob?.description).toBe('Date of birth: day and month swapped');
    const name = results[0]!.waterfall.steps.find((step) => step.comparison === 'name');
    expect(name?.description).toBe('Name: full name exact');
  });

  test('no candidates, no results', () => {
    expect(matcher.score(incoming, [])).toEqual([]);
  });

  test('treats U and empty sex, and absent or null fields, as not known', () => {
    const [unknown, empty, absent] = matcher.score({ ...incoming, sex: 'U' }, [
      { ...incoming, sex: 'F' },
      { ...incoming, sex: '' },
      { first_name: 'Olivia', surname: 'Smith', date_of_birth: '2015-03-07', nhs_number: null, postcode: undefined },
    ]);
    for (const result of [unknown, empty]) {
      const sex = result!.waterfall.steps.find((step) => step.comparison === 'sex');
      expect(sex?.weight).toBe(0);
      expect(sex?.m).toBeNull();
      expect(sex?.leftValues).toEqual([null]);
    }
    const steps = absent!.waterfall.steps;
    expect(steps.find((step) => step.comparison === 'nhs_number')?.weight).toBe(0);
    expect(steps.find((step) => step.comparison === 'postcode')?.rightValues).toEqual([null]);
    expect(absent!.probability).toBeGreaterThan(0);
  });

  test('cleans values as the preset says: spaced NHS numbers and capitals agree', () => {
    const [result] = matcher.score(incoming, [{ ...incoming, nhs_number: '9990000018', surname: 'SMITH' }]);
    const nhs = result!.waterfall.steps.find((step) => step.comparison === 'nhs_number');
    expect(nhs?.level).toBe(1);
    expect(nhs?.leftValues).toEqual(['999 000 0018']);
  });

  test('uses the model’s term frequencies, so a rare name counts for more than a common one however small the batch', () => {
    // No postcode, so that the pairs are not weighed as one household (which ignores term frequencies).
    const common = { ...incoming, first_name: 'Olivia', surname: 'Smith', postcode: '' };
    const rare = { ...incoming, first_name: 'Zebedee', surname: 'Quillfeather', postcode: '' };
    const [commonResult] = matcher.score(common, [common]);
    const [rareResult] = matcher.score(rare, [rare]);
    const tf = (waterfall: Waterfall) => waterfall.steps.find((step) => step.comparison === 'name')?.termFrequency;
    expect(tf(commonResult!.waterfall)?.frequency).toBeGreaterThan(tf(rareResult!.waterfall)?.frequency ?? 1);
    expect(rareResult!.weight).toBeGreaterThan(commonResult!.weight);
    const model = loadChildrenPresetModel();
    expect(tf(rareResult!.waterfall)?.frequency).toBe(model.termFrequencies?.['first_name+surname']?.otherValues);
  });
});

describe('term-frequency tables in a saved model', () => {
  const settings = parseSettings({
    linkType: 'dedupe',
    uniqueIdColumn: 'id',
    comparisons: [
      {
        name: 'surname',
        columns: 'surname',
        levels: [{ kind: 'null' }, { kind: 'exact', termFrequencyAdjustment: true }, { kind: 'else' }],
      },
      { name: 'dob', columns: 'dob', levels: [{ kind: 'null' }, { kind: 'dateExact' }, { kind: 'else' }] },
    ],
    blockingRules: [['surname'], ['dob']],
  });
  const surnames = ['Smith', 'Smith', 'Smith', 'Smith', 'Jones', 'Jones', 'Patel', 'Okafor', 'Nowak', 'Khan'];
  const records = surnames.map((surname, i) => ({ id: `r${i}`, surname, dob: `2015-01-${String((i % 5) + 1).padStart(2, '0')}` }));
  const table = tableFromRecords(settings, records);

  test('keep the commonest values with their shares and an average for the rest', () => {
    const tables = termFrequencyTables(table, settings, 2);
    expect(tables['surname']).toEqual({
      columns: ['surname'],
      records: 10,
      distinct: 6,
      otherValues: 0.1,
      values: [
        ['smith', 0.4],
        ['jones', 0.2],
      ],
    });
  });

  test('round-trip through saveModel and loadModel; models without them still load', () => {
    const model = trainModel(table, settings, { seed: 2, termFrequencyValues: 3 });
    expect(model.termFrequencies?.['surname']?.values).toHaveLength(3);
    const again = loadModel(saveModel(model));
    expect(again).toEqual(model);
    const { termFrequencies: _dropped, ...without } = model;
    const plain = loadModel(saveModel(without as LinkageModel));
    expect(plain.termFrequencies).toBeUndefined();
  });

  test('a malformed table is rejected with its path', () => {
    const model = trainModel(table, settings, { seed: 2, termFrequencyValues: 3 });
    const broken = JSON.parse(saveModel(model)) as { termFrequencies: { surname: { values: unknown[] } } };
    broken.termFrequencies.surname.values[0] = ['smith', 'jones', 0.4];
    expect(() => loadModel(JSON.stringify(broken))).toThrow(/termFrequencies\.surname\.values\[0\]/);
    const wrongKey = JSON.parse(saveModel(model)) as { termFrequencies: Record<string, unknown> };
    wrongKey.termFrequencies['dob'] = wrongKey.termFrequencies['surname'];
    expect(() => loadModel(JSON.stringify(wrongKey))).toThrow(/termFrequencies\.dob/);
  });

  test('withModelTermFrequencies replaces the batch’s frequencies, and leaves them when the model has none', () => {
    const model = trainModel(table, settings, { seed: 2, termFrequencyValues: 1 });
    const small = tableFromRecords(settings, [records[0]!, records[6]!]);
    expect([...(small.termFrequencies.get('surname') ?? [])]).toEqual([0.5, 0.5]);
    const adjusted = withModelTermFrequencies(model, small);
    // Smith is listed; Patel is not, so it takes the average share of the unlisted values.
    expect([...(adjusted.termFrequencies.get('surname') ?? [])]).toEqual([0.4, 0.12]);
    const { termFrequencies: _dropped, ...without } = model;
    expect(withModelTermFrequencies(without as LinkageModel, small)).toBe(small);
  });
});
