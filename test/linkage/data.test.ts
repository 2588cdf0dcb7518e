import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { CsvError, CsvParser, loadTable, MISSING, NO_DATE, parseCsv, parseDate, parseYmd, readCsvRecords, valueOf } from '../../src/linkage/data.ts';
import { parseSettings } from '../../src/linkage/settings.ts';

function parseInPieces(text: string, size: number): string[][] {
  const parser = new CsvParser();
  const records: string[][] = [];
  for (let i = 0; i < text.length; i += size) records.push(...parser.write(text.slice(i, i + size)));
  records.push(...parser.end());
  return records;
}

describe('CSV parsing', () => {
  const tricky = 'id,name,notes\r\n1,"Smith, John","said ""hello""\r\nthen left"\r\n2,,plain\r\n\r\n3,"",\r\n4,O\'Brien,"a\nb"';
  const expected = [
    ['id', 'name', 'notes'],
    ['1', 'Smith, John', 'said "hello"\r\nthen left'],
    ['2', '', 'plain'],
    ['3', '', ''],
    ['4', "O'Brien", 'a\nb'],
  ];

  test('quotes, embedded commas, doubled quotes, embedded line breaks, CRLF, blank lines and a missing final newline', () => {
    expect(parseCsv(tricky)).toEqual(expected);
  });

  test('the same records whatever the chunk boundaries', () => {
    for (const size of [1, 2, 3, 5, 7, 13]) expect(parseInPieces(tricky, size)).toEqual(expected);
  });

  test('LF endings, a trailing newline, a byte order mark and a trailing empty field', () => {
    expect(parseCsv('\uFEFFa,b\n1,\n')).toEqual([
      ['a', 'b'],
      ['1', ''],
    ]);
    expect(parseCsv('a\n"x"\n""\n')).toEqual([['a'], ['x'], ['']]);
  });

  test('a CR split from its LF across chunks ends just one record', () => {
    const parser = new CsvParser();
    const records = [...parser.write('a,b\r'), ...parser.write('\n1,2\r'), ...parser.write('\n'), ...parser.end()];
    expect(records).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  test('malformed quoting is reported with its line', () => {
    expect(() => parseCsv('a,b\n1,"open\nstill open')).toThrow(CsvError);
    expect(() => parseCsv('a,b\n1,"open\nstill open')).toThrow(/Line 2: a quoted field is never closed/);
    expect(() => parseCsv('a,b\n"x"y,2\n')).toThrow(/Line 2: unexpected character after a closing quote/);
  });

  test('streams a file, keeping multi-byte characters split across read chunks whole', async () => {
    const bytes = Buffer.from('id,name\n1,Zoë\n2,"Siân, Ó"\n', 'utf8');
    // Split inside the two-byte 'ë'.
    const split = bytes.indexOf(Buffer.from('ë', 'utf8')) + 1;
    const stream = Readable.from([bytes.subarray(0, split), bytes.subarray(split)]);
    const records: string[][] = [];
    for await (const record of readCsvRecords(stream)) records.push(record);
    expect(records).toEqual([
      ['id', 'name'],
      ['1', 'Zoë'],
      ['2', 'Siân, Ó'],
    ]);
  });
});

describe('dates', () => {
  test('ISO and compact forms, with calendar checks', () => {
    expect(parseYmd('2014-03-07')).toBe(20140307);
    expect(parseYmd('20140307')).toBe(20140307);
    expect(parseYmd(' 2014-03-07T10:00:00Z ')).toBe(20140307);
    expect(parseYmd('2016-02-29')).toBe(20160229);
    expect(parseYmd('2015-02-29')).toBe(0);
    expect(parseYmd('2015-13-01')).toBe(0);
    expect(parseYmd('07/03/2014')).toBe(0);
    expect(parseDate('1970-01-02')).toBe(1);
    expect(parseDate('19691231')).toBe(-1);
    expect(parseDate('nonsense')).toBe(NO_DATE);
  });
});

describe('tables', () => {
  const settings = parseSettings({
    linkType: 'link',
    uniqueIdColumn: 'id',
    comparisons: [
      { name: 'surname', columns: 'surname', levels: [{ kind: 'null' }, { kind: 'exact', termFrequencyAdjustment: true }, { kind: 'doubleMetaphone' }, { kind: 'else' }] },
      { name: 'dob', columns: 'dob', levels: [{ kind: 'null' }, { kind: 'dateExact' }, { kind: 'else' }] },
    ],
    blockingRules: [['postcode']],
  });

  test('loads two files into one columnar table of precomputed features', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-linkage-'));
    writeFileSync(join(dir, 'left.csv'), 'id,surname,dob,postcode,extra\nL1,  Smith ,2014-03-07,AB1 2CD,x\nL2,SMITH,,AB1 2CD,y\nL3,,20140703,,z\n');
    writeFileSync(join(dir, 'right.csv'), 'postcode,dob,surname,id\r\nAB1 2CD,2014-02-30,Schmidt,R1\r\n');
    const table = await loadTable(settings, { left: join(dir, 'left.csv'), right: join(dir, 'right.csv') });
    expect(table.size).toBe(4);
    expect(table.leftCount).toBe(3);
    expect(table.ids).toEqual(['L1', 'L2', 'L3', 'R1']);
    const surname = table.columns.get('surname')!;
    expect(valueOf(table, 'surname', 0)).toBe('Smith');
    expect(surname.norm[0]).toBe(surname.norm[1]);
    expect(surname.raw[0]).not.toBe(surname.raw[1]);
    expect(surname.norm[2]).toBe(MISSING);
    expect(table.strings[surname.metaphonePrimary![0]!]).toBe('SM0');
    expect(table.strings[surname.metaphoneAlternate![3]!]).toBe('SMT');
    const dob = table.columns.get('dob')!;
    expect([...dob.day!]).toEqual([parseDate('2014-03-07'), NO_DATE, parseDate('2014-07-03'), NO_DATE]);
    expect([...dob.ymd!]).toEqual([20140307, 0, 20140703, 0]);
    // Columns the settings never use are not kept.
    expect(table.columns.has('extra')).toBe(false);
    // Surname frequencies: "smith" is 2 of the 3 records with a surname.
    expect([...table.termFrequencies.get('surname')!]).toEqual([2 / 3, 2 / 3, 0, 1 / 3]);
    expect(dob.day!.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  test('rejects a file missing a column, a ragged row and a repeated id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-linkage-'));
    writeFileSync(join(dir, 'a.csv'), 'id,surname,dob\n1,Smith,2014-01-01\n');
    writeFileSync(join(dir, 'b.csv'), 'id,surname,dob,postcode\n1,Smith,2014-01-01\n');
    writeFileSync(join(dir, 'c.csv'), 'id,surname,dob,postcode\n1,Smith,2014-01-01,X\n1,Jones,2014-01-01,Y\n');
    writeFileSync(join(dir, 'ok.csv'), 'id,surname,dob,postcode\n1,Smith,2014-01-01,X\n');
    await expect(loadTable(settings, { left: join(dir, 'a.csv'), right: join(dir, 'ok.csv') })).rejects.toThrow(/missing column "postcode" used by the settings/);
    await expect(loadTable(settings, { left: join(dir, 'b.csv'), right: join(dir, 'ok.csv') })).rejects.toThrow(/record 1: 3 fields where the header has 4/);
    await expect(loadTable(settings, { left: join(dir, 'c.csv'), right: join(dir, 'ok.csv') })).rejects.toThrow(/the id "1" appears more than once/);
    await expect(loadTable(settings, { left: join(dir, 'ok.csv') })).rejects.toThrow(/needs a right input/);
  });
});
