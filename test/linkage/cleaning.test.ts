import { describe, expect, test } from 'vitest';
import { cleanValue, tableFromRecords } from '../../src/linkage/data.ts';
import { CandidatePairs } from '../../src/linkage/blocking.ts';
import { parseSettings } from '../../src/linkage/settings.ts';

describe('cleaning values before comparison', () => {
  test.each([
    ['  Katherine  (Kate) ', { dropBracketed: true }, 'katherine'],
    ['William "Bill"', { dropBracketed: true }, 'william'],
    ['(Kate)', { dropBracketed: true }, '(kate)'],
    ['Zoë', { foldAccents: true }, 'zoe'],
    ['Kozłowski', { foldAccents: true }, 'kozlowski'],
    ["O'Neill", { keep: 'letters' as const }, 'oneill'],
    ['999 123 4567', { keep: 'digits' as const }, '9991234567'],
    ['NZ2 1XE', { keep: 'alphanumeric' as const }, 'nz21xe'],
    ['U', { missingValues: ['U', 'unknown'] }, ''],
    [' Not  Known ', { missingValues: ['not known'] }, ''],
    ['F', { missingValues: ['U'] }, 'f'],
    ['--', { keep: 'alphanumeric' as const }, ''],
  ])('%j with %j gives %j', (value, cleaning, expected) => {
    expect(cleanValue(value, cleaning)).toBe(expected);
  });

  test('a cleaned column compares and blocks on its cleaned values, and shows them as written', () => {
    const settings = parseSettings({
      linkType: 'dedupe',
      uniqueIdColumn: 'id',
      comparisons: [{ name: 'nhs', columns: 'nhs', levels: [{ kind: 'null' }, { kind: 'exact' }, { kind: 'else' }] }],
      blockingRules: [['nhs']],
      cleaning: { nhs: { keep: 'digits', missingValues: ['0000000000'] }, sex: { missingValues: ['U'] } },
    });
    const table = tableFromRecords(settings, [
      { id: 'a', nhs: '999 123 4567' },
      { id: 'b', nhs: '9991234567' },
      { id: 'c', nhs: '000 000 0000' },
      { id: 'd', nhs: '0000000000' },
    ]);
    const nhs = table.columns.get('nhs')!;
    expect(nhs.norm[0]).toBe(nhs.norm[1]);
    expect(table.strings[nhs.raw[0]!]).toBe('999 123 4567');
    expect(nhs.norm[2]).toBe(-1);
    expect(nhs.raw[3]).toBe(-1);
    const pairs = [...new CandidatePairs(table, settings.blockingRules, 'dedupe').chunks()].flatMap((chunk) => [...chunk]);
    expect(pairs).toEqual([0, 1]);
  });

  test('unknown cleaning options are rejected', () => {
    expect(() => parseSettings({ linkType: 'dedupe', uniqueIdColumn: 'id', comparisons: [{ name: 'x', columns: 'x', levels: [{ kind: 'exact' }, { kind: 'else' }] }], blockingRules: [['x']], cleaning: { x: { keep: 'vowels' } } })).toThrow(/keep must be one of/);
  });
});
