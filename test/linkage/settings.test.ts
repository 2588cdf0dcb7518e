import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { levelLabel, parseSettings, parseSettingsJson, requiredColumns, SettingsError } from '../../src/linkage/settings.ts';

const valid = {
  linkType: 'dedupe',
  uniqueIdColumn: 'id',
  comparisons: [
    {
      name: 'first_name',
      columns: 'first_name',
      levels: [{ kind: 'null' }, { kind: 'exact', termFrequencyAdjustment: true }, { kind: 'jaroWinkler', threshold: 0.9 }, { kind: 'else' }],
    },
  ],
  blockingRules: [['surname'], [{ column: 'dob', transform: 'year' }]],
};

function issues(input: unknown): { path: string; message: string }[] {
  try {
    parseSettings(input);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as SettingsError).issues;
  }
  throw new Error('expected the settings to be rejected');
}

function withComparison(comparison: unknown): unknown {
  return { ...valid, comparisons: [comparison] };
}

describe('settings', () => {
  test('valid settings are normalised', () => {
    const settings = parseSettings(valid);
    expect(settings.comparisons[0]?.columns).toEqual(['first_name']);
    expect(settings.blockingRules).toEqual([[{ column: 'surname', transform: null }], [{ column: 'dob', transform: 'year' }]]);
    expect(settings.deterministicRules).toEqual([]);
    expect(settings.maxPairs).toBe(50_000_000);
    expect(requiredColumns(settings).sort()).toEqual(['dob', 'first_name', 'id', 'surname']);
    // Parsing normalised settings again gives the same settings (saved models rely on this).
    expect(parseSettings(JSON.parse(JSON.stringify(settings)))).toEqual(settings);
  });

  test('the README example is valid', () => {
    const readme = readFileSync(new URL('../../src/linkage/README.md', import.meta.url), 'utf8');
    const json = /## Example: children's records[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(json).toBeDefined();
    const settings = parseSettingsJson(json as string);
    expect(settings.comparisons.map((comparison) => comparison.name)).toEqual(['name', 'dob', 'sex', 'postcode', 'upn', 'nhs_number']);
    expect(levelLabel(settings.comparisons[0]!, settings.comparisons[0]!.levels[2]!)).toBe('first_name and surname swapped (Jaro-Winkler ≥ 0.92)');
  });

  test('errors name the path of each problem', () => {
    const found = issues({
      ...valid,
      linkType: 'merge',
      comparisons: [{ name: 'first_name', columns: 'first_name', levels: [{ kind: 'exact' }, { kind: 'jaroWinkler', threshold: 1.5 }, { kind: 'fuzzy' }, { kind: 'else' }] }],
      blockingRules: [[{ column: 'surname', transform: 'soundex' }]],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        { path: 'linkType', message: 'linkType must be "dedupe" or "link"' },
        { path: 'comparisons[0].levels[1].threshold', message: 'threshold must be between 0 and 1' },
        { path: 'comparisons[0].levels[2].kind', message: expect.stringContaining('kind must be one of: null, exact, jaroWinkler') },
        { path: 'blockingRules[0][0].transform', message: expect.stringContaining('transform must be one of') },
      ]),
    );
  });

  test('the message lists every problem', () => {
    expect(() => parseSettings({ ...valid, linkType: 'merge', uniqueIdColumn: ' ' })).toThrow(
      /Invalid linkage settings:\n- linkType: .*\n- uniqueIdColumn: a column name must not be blank/,
    );
  });

  test('level order rules', () => {
    expect(issues(withComparison({ name: 'a', columns: 'a', levels: [{ kind: 'else' }, { kind: 'exact' }] }))).toEqual(
      expect.arrayContaining([
        { path: 'comparisons[0].levels[0].kind', message: '"else" must be the last level' },
        { path: 'comparisons[0].levels[1].kind', message: 'the last level must be "else", to catch every other pair' },
      ]),
    );
    expect(issues(withComparison({ name: 'a', columns: 'a', levels: [{ kind: 'exact' }, { kind: 'null' }, { kind: 'else' }] }))).toContainEqual({
      path: 'comparisons[0].levels[1].kind',
      message: '"null" must be the first level',
    });
    expect(issues(withComparison({ name: 'a', columns: 'a', levels: [{ kind: 'null' }, { kind: 'else' }] }))).toContainEqual({
      path: 'comparisons[0].levels',
      message: 'a comparison needs at least one level besides "null" and "else"',
    });
  });

  test('column and kind constraints', () => {
    expect(issues(withComparison({ name: 'n', columns: 'first_name', levels: [{ kind: 'namesSwapped' }, { kind: 'else' }] }))).toContainEqual({
      path: 'comparisons[0].levels[0].kind',
      message: 'namesSwapped needs a comparison on two columns, e.g. ["first_name", "surname"]',
    });
    expect(issues(withComparison({ name: 'd', columns: ['dob', 'dob2'], levels: [{ kind: 'dateExact' }, { kind: 'else' }] }))).toContainEqual({
      path: 'comparisons[0].levels[0].kind',
      message: 'dateExact compares one date column: restrict it with "column"',
    });
    expect(issues(withComparison({ name: 'd', columns: 'dob', levels: [{ kind: 'dateExact', column: 'dbo' }, { kind: 'else' }] }))).toContainEqual({
      path: 'comparisons[0].levels[0].column',
      message: `"dbo" is not one of this comparison's columns (dob)`,
    });
    expect(issues(withComparison({ name: 'd', columns: ['a', 'b', 'c'], levels: [{ kind: 'exact' }, { kind: 'else' }] }))).toContainEqual({
      path: 'comparisons[0].columns',
      message: 'give one column or two',
    });
    expect(issues(withComparison({ name: 'a', columns: 'a', levels: [{ kind: 'exact' }, { kind: 'else', termFrequencyAdjustment: true }] }))).toContainEqual({
      path: 'comparisons[0].levels[1].termFrequencyAdjustment',
      message: 'a "else" level cannot have a term frequency adjustment',
    });
    expect(issues(withComparison({ name: 'a', columns: 'a', levels: [{ kind: 'levenshtein', maxDistance: 1.5 }, { kind: 'else' }] }))).toContainEqual({
      path: 'comparisons[0].levels[0].maxDistance',
      message: 'maxDistance must be a whole number',
    });
    expect(issues(withComparison({ name: 'a', columns: 'a', levels: [{ kind: 'exact', treshold: 1 }, { kind: 'else' }] }))).toContainEqual({
      path: 'comparisons[0].levels[0]',
      message: expect.stringContaining('treshold'),
    });
  });

  test('top-level constraints', () => {
    expect(issues({ ...valid, comparisons: [valid.comparisons[0], valid.comparisons[0]] })).toContainEqual({
      path: 'comparisons[1].name',
      message: '"first_name" is already the name of comparisons[0]',
    });
    expect(issues({ ...valid, deterministicRules: [['nhs_number']] })).toContainEqual({
      path: 'recall',
      message: 'recall is required with deterministicRules: the share of true matches those rules find, e.g. 0.8',
    });
    expect(issues({ ...valid, recall: 0 })).toContainEqual({ path: 'recall', message: 'recall must be more than 0' });
    expect(issues({ ...valid, blockingRules: [] })).toContainEqual({ path: 'blockingRules', message: 'give at least one blocking rule' });
    expect(issues({ ...valid, blockingRules: [[]] })).toContainEqual({ path: 'blockingRules[0]', message: 'a rule needs at least one column' });
    expect(issues({ ...valid, maxPairs: -5 })).toContainEqual({ path: 'maxPairs', message: 'maxPairs must be more than 0' });
  });

  test('malformed JSON is a settings error', () => {
    expect(() => parseSettingsJson('{ "linkType": ')).toThrow(SettingsError);
    expect(() => parseSettingsJson('{ "linkType": ')).toThrow(/not valid JSON/);
  });
});
