import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { CsvParser, csvField, parseCsv, readCsvRows } from '../../../src/linkage/synthetic/csv.ts';

describe('csvField', () => {
  test.each([
    { value: 'Smith', quoted: 'Smith' },
    { value: '', quoted: '' },
    { value: "O'Neill", quoted: "O'Neill" },
    { value: 'Flat 2, 14 Mill Lane', quoted: '"Flat 2, 14 Mill Lane"' },
    { value: 'Katherine "Kate"', quoted: '"Katherine ""Kate"""' },
    { value: 'two\nlines', quoted: '"two\nlines"' },
  ])('$value', ({ value, quoted }) => {
    expect(csvField(value)).toBe(quoted);
  });
});

describe('parseCsv', () => {
  test('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const text = 'a,b,c\n"Flat 2, 14 Mill Lane","Katherine ""Kate""",""\r\nx,"two\nlines",\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['Flat 2, 14 Mill Lane', 'Katherine "Kate"', ''],
      ['x', 'two\nlines', ''],
    ]);
  });

  test('reads a last row without a line break', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  test('gives the same rows however the input is split into chunks', () => {
    const text = 'a,b\n"x, ""y""",z\n"",w\n';
    const whole = parseCsv(text);
    for (let size = 1; size <= 4; size += 1) {
      const parser = new CsvParser();
      const rows: string[][] = [];
      for (let i = 0; i < text.length; i += size) rows.push(...parser.push(text.slice(i, i + size)));
      rows.push(...parser.end());
      expect(rows).toEqual(whole);
    }
  });

  test('refuses input that ends inside a quoted field', () => {
    expect(() => parseCsv('a\n"open')).toThrow(SyntaxError);
  });
});

describe('readCsvRows', () => {
  test('yields objects keyed by the header, decoding UTF-8 split across chunks', async () => {
    const bytes = Buffer.from('first,last\nZoë,Wiśniewski\n', 'utf8');
    const chunks = [bytes.subarray(0, 13), bytes.subarray(13, 20), bytes.subarray(20)];
    const rows = [];
    for await (const row of readCsvRows(Readable.from(chunks))) rows.push(row);
    expect(rows).toEqual([{ first: 'Zoë', last: 'Wiśniewski' }]);
  });

  test('refuses a row with the wrong number of fields', async () => {
    const read = async () => {
      for await (const row of readCsvRows(Readable.from(['a,b\n1,2,3\n']))) void row;
    };
    await expect(read()).rejects.toThrow(SyntaxError);
  });
});
