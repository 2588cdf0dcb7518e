import { describe, expect, test } from 'vitest';
import { tableFromRecords } from '../../src/linkage/data.ts';
import { compileComparisons } from '../../src/linkage/model.ts';
import { parseSettings } from '../../src/linkage/settings.ts';

const settings = parseSettings({
  linkType: 'dedupe',
  uniqueIdColumn: 'id',
  comparisons: [
    {
      name: 'name',
      columns: ['first_name', 'surname'],
      levels: [
        { kind: 'null', column: 'first_name' },
        { kind: 'exact' },
        { kind: 'namesSwapped' },
        { kind: 'namesSwapped', threshold: 0.9 },
        { kind: 'exact', column: 'surname' },
        { kind: 'else' },
      ],
    },
    {
      name: 'surname',
      columns: 'surname',
      levels: [{ kind: 'null' }, { kind: 'exact' }, { kind: 'damerauLevenshtein', maxDistance: 1 }, { kind: 'levenshtein', maxDistance: 2 }, { kind: 'doubleMetaphone' }, { kind: 'else' }],
    },
    {
      name: 'dob',
      columns: 'dob',
      levels: [
        { kind: 'null' },
        { kind: 'dateExact' },
        { kind: 'dateTransposedDayMonth' },
        { kind: 'dateWithinDays', days: 10 },
        { kind: 'dateWithinYears', years: 1 },
        { kind: 'else' },
      ],
    },
  ],
  blockingRules: [['surname']],
});

const rows = [
  { id: '0', first_name: 'Amelia', surname: 'Smith', dob: '2014-03-07' },
  { id: '1', first_name: ' AMELIA ', surname: 'smith', dob: '20140307' },
  { id: '2', first_name: 'Smith', surname: 'Amelia', dob: '2014-07-03' },
  { id: '3', first_name: 'Smithe', surname: 'Amelie', dob: '2014-03-15' },
  { id: '4', first_name: '', surname: 'Smtih', dob: '2015-02-01' },
  { id: '5', first_name: 'Jo', surname: 'Smithes', dob: '2016-06-01' },
  { id: '6', first_name: 'Jo', surname: 'Schmidt', dob: 'not a date' },
  { id: '7', first_name: 'Jo', surname: 'Smith', dob: 'not a date' },
  { id: '8', first_name: 'Jo', surname: '', dob: '' },
];

describe('comparison levels', () => {
  const table = tableFromRecords(settings, rows);
  const [name, surname, dob] = compileComparisons(settings, table);
  const levels = (a: number, b: number): [number, number, number] => [name!.levelOf(a, b), surname!.levelOf(a, b), dob!.levelOf(a, b)];

  test('case and spacing never decide a match; both date forms are the same day', () => {
    expect(levels(0, 1)).toEqual([1, 1, 1]);
  });

  test('swapped names, exactly and fuzzily; swapped day and month', () => {
    expect(levels(0, 2)).toEqual([2, 5, 2]);
    // Smithe/Smith and Amelie/Amelia each score at least 0.9 when crossed over.
    expect(name!.levelOf(0, 3)).toBe(3);
    expect(dob!.levelOf(0, 3)).toBe(3);
  });

  test('restricted columns, edit distances, phonetics and date windows', () => {
    // A missing first name makes the name comparison null even though surnames are present.
    expect(name!.levelOf(0, 4)).toBe(0);
    // Smith/Smtih: one transposition.
    expect(surname!.levelOf(0, 4)).toBe(2);
    // Smith/Smithes: two insertions.
    expect(surname!.levelOf(0, 5)).toBe(3);
    // Smith/Schmidt: SM0/XMT against XMT/SMT.
    expect(surname!.levelOf(0, 6)).toBe(4);
    expect(surname!.levelOf(5, 6)).toBe(5);
    // The same surname only has a level of its own; the same first name only does not.
    expect(name!.levelOf(0, 7)).toBe(4);
    expect(name!.levelOf(5, 7)).toBe(5);
    // 2014-03-07 and 2015-02-01 are 331 days apart.
    expect(dob!.levelOf(0, 4)).toBe(4);
    expect(dob!.levelOf(0, 5)).toBe(5);
  });

  test('values that are not dates agree only when identical; missing values are null', () => {
    expect(dob!.levelOf(6, 7)).toBe(1);
    expect(dob!.levelOf(0, 6)).toBe(5);
    expect(dob!.levelOf(0, 8)).toBe(0);
    expect(surname!.levelOf(0, 8)).toBe(0);
  });
});
