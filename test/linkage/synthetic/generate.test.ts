import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  isValidNhsNumber,
  isValidUpn,
  normaliseNhsNumber,
  normalisePostcode,
  TEST_NHS_NUMBER_PREFIX,
} from '../../../src/domain/identifiers/index.ts';
import { CSV_COLUMNS, readCsvRows } from '../../../src/linkage/synthetic/csv.ts';
import {
  ERROR_PROFILES,
  generateFamilies,
  generatePopulation,
  recordToCsvLine,
  SPLIT_SIDE,
  writePopulationCsv,
} from '../../../src/linkage/synthetic/generate.ts';
import type {
  ErrorCode,
  ErrorRates,
  PopulationOptions,
  SyntheticFamily,
  SyntheticRecord,
} from '../../../src/linkage/synthetic/generate.ts';
import { FIRST_NAME_VARIANTS, areFirstNameVariants } from '../../../src/linkage/synthetic/variants.ts';
import { STREET_TYPE_ABBREVIATIONS } from '../../../src/linkage/synthetic/places.ts';
import { buildLinkTruth, buildTruth } from '../../../src/linkage/synthetic/truth.ts';
import { collector } from './helpers.ts';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function csvOf(options: PopulationOptions & { includeErrors?: boolean }): Promise<string> {
  const { stream, text } = collector();
  await writePopulationCsv(options, stream);
  return text();
}

describe('determinism', () => {
  test('the same seed gives the same bytes; another seed does not', async () => {
    const first = await csvOf({ seed: 7, records: 5_000, errorProfile: 'hard' });
    const second = await csvOf({ seed: 7, records: 5_000, errorProfile: 'hard' });
    const other = await csvOf({ seed: 8, records: 5_000, errorProfile: 'hard' });
    expect(sha256(second)).toBe(sha256(first));
    expect(sha256(other)).not.toBe(sha256(first));
  });

  test('the error profile changes the noise, not the population or its records', () => {
    const shape = (profile: 'clean' | 'hard') =>
      [...generatePopulation({ seed: 3, records: 3_000, errorProfile: profile })].map(
        (record) => `${record.recordId} ${record.personId} ${record.source} ${record.person.firstName} ${record.person.dateOfBirth}`,
      );
    expect(shape('hard')).toEqual(shape('clean'));
  });

  test('a records run stops at exactly that many records, a people run at that many people', () => {
    expect([...generatePopulation({ seed: 1, records: 1_234 })]).toHaveLength(1_234);
    const records = [...generatePopulation({ seed: 1, people: 1_000 })];
    expect(new Set(records.map((record) => record.personId)).size).toBe(1_000);
  });

  test('a slow stream with a small buffer gets the same bytes (backpressure is respected)', async () => {
    const fast = await csvOf({ seed: 5, records: 3_000 });
    const slow = collector({ slow: true, highWaterMark: 64 });
    await writePopulationCsv({ seed: 5, records: 3_000 }, slow.stream);
    expect(slow.text()).toBe(fast);
  });

  test('bad options are refused', () => {
    const run = (options: PopulationOptions) => () => [...generatePopulation(options)];
    expect(run({ seed: 1 })).toThrow(RangeError);
    expect(run({ seed: 1, people: 5, records: 5 })).toThrow(RangeError);
    expect(run({ seed: 1.5, records: 5 })).toThrow(RangeError);
    expect(run({ seed: 1, records: -1 })).toThrow(RangeError);
    expect(run({ seed: 1, records: 5, duplicateRate: 2 })).toThrow(RangeError);
    expect(run({ seed: 1, records: 5, referenceDate: '2025-02-30' })).toThrow(RangeError);
    expect(run({ seed: 1, records: 5, errorProfile: 'awful' as 'hard' })).toThrow(RangeError);
  });
});

describe('a realistic population of 20,000 records', () => {
  let families: SyntheticFamily[];
  let records: SyntheticRecord[];

  beforeAll(() => {
    families = [...generateFamilies({ seed: 2024, records: 20_000, errorProfile: 'realistic' })];
    records = families.flatMap((family) => family.records);
  });

  const people = () => families.flatMap((family) => family.children);

  test('true identifiers are valid, unique and in the never-issued ranges', () => {
    const upns = new Set<string>();
    const nhsNumbers = new Set<string>();
    const bad: string[] = [];
    for (const person of people()) {
      if (person.upn !== null) {
        if (!isValidUpn(person.upn) || person.upn.slice(1, 4) !== '999' || upns.has(person.upn)) bad.push(person.upn);
        upns.add(person.upn);
      }
      if (person.nhsNumber !== null) {
        const ok = isValidNhsNumber(person.nhsNumber) && person.nhsNumber.startsWith(TEST_NHS_NUMBER_PREFIX);
        if (!ok || nhsNumbers.has(person.nhsNumber)) bad.push(person.nhsNumber);
        nhsNumbers.add(person.nhsNumber);
      }
    }
    expect(bad).toEqual([]);
    expect(upns.size).toBeGreaterThan(5_000);
    expect(nhsNumbers.size).toBeGreaterThan(10_000);
  });

  test('recorded identifiers pass the validators unless marked as mistyped, and mistyped ones fail', () => {
    let upnTypos = 0;
    let nhsTypos = 0;
    const bad: string[] = [];
    for (const record of records) {
      if (record.upn !== '') {
        const mistyped = record.errors.includes('upn_typo');
        if (mistyped) upnTypos += 1;
        if (isValidUpn(record.upn) === mistyped) bad.push(`${record.recordId} ${record.upn}`);
      }
      if (record.nhsNumber !== '') {
        const mistyped = record.errors.includes('nhs_typo');
        if (mistyped) nhsTypos += 1;
        if (isValidNhsNumber(record.nhsNumber) === mistyped) bad.push(`${record.recordId} ${record.nhsNumber}`);
      }
    }
    expect(bad).toEqual([]);
    expect(upnTypos).toBeGreaterThan(10);
    expect(nhsTypos).toBeGreaterThan(10);
  });

  test('postcodes are well formed and in the fictional NZ area, even when mistyped', () => {
    const bad = records.filter(
      (record) =>
        !/^NZ[1-9] [0-9][ABD-HJLNP-UW-Z]{2}$/.test(record.person.postcode) ||
        !/^(NZ[1-9] [0-9][ABD-HJLNP-UW-Z]{2})?$/.test(record.postcode) ||
        normalisePostcode(record.person.postcode) !== record.person.postcode ||
        (record.postcode !== '' && normalisePostcode(record.postcode) !== record.postcode),
    );
    expect(bad).toEqual([]);
  });

  test('dates of birth are ISO or YYYYMMDD by source, children are 0–17', () => {
    const badFormat = records.filter((record) => {
      const iso = record.source === 'school' || record.source === 'social_care';
      return record.dateOfBirth !== '' && !(iso ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{8}$/).test(record.dateOfBirth);
    });
    expect(badFormat).toEqual([]);
    const badAge = people().filter((person) => !(person.dateOfBirth > '2007-09-01' && person.dateOfBirth < '2025-09-01'));
    expect(badAge).toEqual([]);
  });

  test('siblings share surname and address; twins also share a date of birth but not a first name', () => {
    let twinPairs = 0;
    const bad: string[] = [];
    for (const family of families) {
      const [eldest] = family.children;
      if (eldest === undefined) continue;
      for (const child of family.children) {
        const same =
          child.surname === eldest.surname &&
          child.addressLine1 === eldest.addressLine1 &&
          child.postcode === eldest.postcode &&
          child.familyId === family.familyId;
        if (!same) bad.push(`${child.personId} differs from its eldest sibling`);
      }
      const names = family.children.map((child) => child.firstName);
      for (let i = 0; i < names.length; i += 1) {
        for (let j = i + 1; j < names.length; j += 1) {
          if (areFirstNameVariants(names[i] as string, names[j] as string)) bad.push(`siblings named ${names.join(', ')}`);
        }
      }
      for (const child of family.children) {
        if (child.twinOf === null) continue;
        const twin = family.children.find((other) => other.personId === child.twinOf);
        const ok =
          twin !== undefined &&
          twin.twinOf === child.personId &&
          twin.personId !== child.personId &&
          twin.dateOfBirth === child.dateOfBirth &&
          twin.surname === child.surname &&
          twin.addressLine1 === child.addressLine1 &&
          twin.postcode === child.postcode &&
          twin.firstName !== child.firstName;
        if (!ok) bad.push(`twin ${child.personId}`);
        twinPairs += 0.5;
      }
    }
    expect(bad).toEqual([]);
    expect(twinPairs).toBeGreaterThanOrEqual(30);
  });

  test('children appear in several sources, and most duplicates cross sources', () => {
    const byPerson = new Map<string, string[]>();
    for (const record of records) byPerson.set(record.personId, [...(byPerson.get(record.personId) ?? []), record.source]);
    const multi = [...byPerson.values()].filter((sources) => sources.length > 1);
    // duplicateRate 0.5 by default
    expect(multi.length / byPerson.size).toBeGreaterThan(0.45);
    expect(multi.length / byPerson.size).toBeLessThan(0.55);
    const crossSource = multi.filter((sources) => new Set(sources).size === sources.length).length;
    expect(crossSource / multi.length).toBeGreaterThan(0.75);
    for (const source of ['school', 'gp', 'social_care', 'register']) {
      expect(records.some((record) => record.source === source)).toBe(true);
    }
  });

  test('schools only hold records of children old enough to have a UPN; GPs never hold UPNs', () => {
    const bad = records.filter(
      (record) => (record.source === 'school' && record.person.upn === null) || (record.source === 'gp' && record.upn !== ''),
    );
    expect(bad).toEqual([]);
  });

  test('each error happens at its profile rate, within sampling tolerance', () => {
    const rates = ERROR_PROFILES.realistic;
    const has = (record: SyntheticRecord, code: ErrorCode) => record.errors.includes(code);
    const abbreviations = Object.keys(STREET_TYPE_ABBREVIATIONS);
    const upnHeld = (r: SyntheticRecord) => r.upn !== '' || has(r, 'upn_missing');
    const nhsHeld = (r: SyntheticRecord) => r.nhsNumber !== '' || has(r, 'nhs_missing');
    const checks: [keyof ErrorRates, ErrorCode, (record: SyntheticRecord) => boolean][] = [
      ['firstNameMissing', 'first_name_missing', () => true],
      ['firstNameVariant', 'first_name_variant', (r) => !has(r, 'first_name_missing') && FIRST_NAME_VARIANTS.has(r.person.firstName)],
      ['firstNameTypo', 'first_name_typo', (r) => !has(r, 'first_name_missing')],
      ['surnameMissing', 'surname_missing', () => true],
      ['surnameChanged', 'surname_changed', (r) => !has(r, 'surname_missing')],
      ['surnameHyphenated', 'surname_hyphenated', (r) => !has(r, 'surname_missing') && !has(r, 'surname_changed')],
      ['surnameTypo', 'surname_typo', (r) => !has(r, 'surname_missing')],
      ['namesSwapped', 'names_swapped', (r) => !has(r, 'first_name_missing') && !has(r, 'surname_missing')],
      ['dateOfBirthMissing', 'date_of_birth_missing', () => true],
      [
        'dateOfBirthDayMonthSwapped',
        'date_of_birth_day_month_swapped',
        (r) => {
          const [, month, day] = r.person.dateOfBirth.split('-').map(Number);
          return !has(r, 'date_of_birth_missing') && (day ?? 99) <= 12 && day !== month;
        },
      ],
      ['dateOfBirthDigit', 'date_of_birth_digit', (r) => !has(r, 'date_of_birth_missing')],
      ['sexMissing', 'sex_missing', () => true],
      ['sexWrong', 'sex_wrong', (r) => !has(r, 'sex_missing')],
      ['moved', 'moved', () => true],
      ['addressMissing', 'address_missing', () => true],
      [
        'addressAbbreviated',
        'address_abbreviated',
        (r) => !has(r, 'address_missing') && (has(r, 'address_abbreviated') || abbreviations.some((type) => r.addressLine1.endsWith(` ${type}`))),
      ],
      ['postcodeMissing', 'postcode_missing', () => true],
      ['postcodeTypo', 'postcode_typo', (r) => !has(r, 'postcode_missing')],
      ['upnMissing', 'upn_missing', upnHeld],
      ['upnTemporary', 'upn_temporary', (r) => upnHeld(r) && !has(r, 'upn_missing') && !has(r, 'upn_other_child')],
      ['upnTypo', 'upn_typo', (r) => upnHeld(r) && !['upn_missing', 'upn_other_child', 'upn_temporary'].some((c) => has(r, c as ErrorCode))],
      ['nhsMissing', 'nhs_missing', nhsHeld],
      ['nhsTypo', 'nhs_typo', (r) => nhsHeld(r) && !has(r, 'nhs_missing') && !has(r, 'nhs_other_child')],
    ];
    for (const [rate, code, eligible] of checks) {
      const pool = records.filter(eligible);
      const hits = pool.filter((record) => has(record, code)).length;
      const p = rates[rate];
      const expected = p * pool.length;
      const tolerance = 4 * Math.sqrt(pool.length * p * (1 - p)) + 3;
      expect(pool.length, rate).toBeGreaterThan(1_000);
      expect(Math.abs(hits - expected), `${rate}: ${hits} of ${pool.length}, expected about ${expected.toFixed(0)}`).toBeLessThanOrEqual(tolerance);
    }
  });
});

describe('profiles', () => {
  test('clean records differ from the truth only in each source formatting', () => {
    const records = [...generatePopulation({ seed: 9, records: 5_000, errorProfile: 'clean' })];
    const differing = records.filter((record) => {
      const { person } = record;
      return !(
        record.errors.length === 0 &&
        record.firstName === person.firstName &&
        record.surname.toUpperCase() === person.surname.toUpperCase() &&
        record.dateOfBirth.replaceAll('-', '') === person.dateOfBirth.replaceAll('-', '') &&
        record.sex === person.sex &&
        record.addressLine1 === person.addressLine1 &&
        record.postcode === person.postcode &&
        (record.upn === '' || record.upn === person.upn) &&
        (record.nhsNumber === '' || normaliseNhsNumber(record.nhsNumber) === person.nhsNumber)
      );
    });
    expect(differing).toEqual([]);
    expect(records.some((record) => record.surname !== record.person.surname)).toBe(true); // GP capitals
    expect(records.some((record) => record.nhsNumber.includes(' '))).toBe(true); // social care spacing
  });

  test('hard is noisier than realistic', () => {
    const errorShare = (profile: 'realistic' | 'hard') => {
      const records = [...generatePopulation({ seed: 4, records: 5_000, errorProfile: profile })];
      return records.filter((record) => record.errors.length > 0).length / records.length;
    };
    expect(errorShare('hard')).toBeGreaterThan(errorShare('realistic') + 0.2);
  });

  test('custom rates are accepted and validated', () => {
    const rates: ErrorRates = { ...ERROR_PROFILES.clean, namesSwapped: 1 };
    const records = [...generatePopulation({ seed: 1, records: 200, errorProfile: rates })];
    const both = records.filter((record) => record.person.firstName !== '' && record.errors.includes('names_swapped'));
    expect(both.length).toBe(records.length);
    expect(() => [...generatePopulation({ seed: 1, records: 5, errorProfile: { ...rates, moved: 1.5 } })]).toThrow(RangeError);
  });
});

describe('CSV output', () => {
  test('has the documented header and round-trips through a CSV reader, quotes and all', async () => {
    const options = { seed: 11, records: 20_000, errorProfile: 'hard' as const, includeErrors: true };
    const text = await csvOf(options);
    const expected = [...generatePopulation(options)];
    const lines = text.split('\n');
    expect(lines[0]).toBe([...CSV_COLUMNS, 'errors'].join(','));
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(expected.length + 2);

    const rows = [];
    for await (const row of readCsvRows(Readable.from([text]))) rows.push(row);
    expect(rows).toHaveLength(expected.length);
    let quotedCommas = 0;
    let quotedQuotes = 0;
    const mismatched: number[] = [];
    rows.forEach((row, i) => {
      const record = expected[i] as SyntheticRecord;
      const want = {
        record_id: record.recordId,
        person_id: record.personId,
        source: record.source,
        first_name: record.firstName,
        surname: record.surname,
        date_of_birth: record.dateOfBirth,
        sex: record.sex,
        address_line_1: record.addressLine1,
        postcode: record.postcode,
        upn: record.upn,
        nhs_number: record.nhsNumber,
        errors: record.errors.join(';'),
      };
      if (JSON.stringify(row) !== JSON.stringify(want)) mismatched.push(i);
      if (record.addressLine1.includes(',')) quotedCommas += 1;
      if (record.firstName.includes('"')) quotedQuotes += 1;
    });
    expect(mismatched).toEqual([]);
    // The data must actually exercise quoting for this test to mean anything.
    expect(quotedCommas).toBeGreaterThan(50);
    expect(quotedQuotes).toBeGreaterThan(5);
    const quotedLine = recordToCsvLine(expected.find((record) => record.firstName.includes('"')) as SyntheticRecord);
    expect(quotedLine).toMatch(/,"[^,]*""[^,]*""",/);
  });

  test('the summary agrees with the truth computed from the written files', async () => {
    const all = collector();
    const left = collector();
    const right = collector();
    const summary = await writePopulationCsv({ seed: 21, records: 10_000 }, { all: all.stream, left: left.stream, right: right.stream });
    const rowsOf = async (text: string) => {
      const rows = [];
      for await (const row of readCsvRows(Readable.from([text]))) rows.push({ recordId: row['record_id'] ?? '', personId: row['person_id'] ?? '', source: row['source'] ?? '' });
      return rows;
    };
    const allRows = await rowsOf(all.text());
    const leftRows = await rowsOf(left.text());
    const rightRows = await rowsOf(right.text());
    expect(summary.records).toBe(10_000);
    expect(leftRows.length + rightRows.length).toBe(10_000);
    expect(leftRows.every((row) => SPLIT_SIDE[row.source as 'school'] === 'left')).toBe(true);
    expect(rightRows.every((row) => SPLIT_SIDE[row.source as 'school'] === 'right')).toBe(true);

    const truth = buildTruth(allRows);
    expect(summary.people).toBe(truth.people);
    expect(summary.truePairs).toBe(truth.truePairs);
    const linkTruth = buildLinkTruth(leftRows, rightRows);
    expect(summary.link.truePairs).toBe(linkTruth.truePairs);
    expect(summary.link.sharedPeople).toBeGreaterThan(1_000);
    expect(summary.twinPairs).toBeGreaterThan(0);
  });
});

describe('scale', () => {
  test('200,000 records stream out in a few seconds', async () => {
    let bytes = 0;
    const { Writable } = await import('node:stream');
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        callback();
      },
    });
    const started = performance.now();
    const summary = await writePopulationCsv({ seed: 1, records: 200_000 }, sink);
    const seconds = (performance.now() - started) / 1000;
    expect(summary.records).toBe(200_000);
    expect(bytes).toBeGreaterThan(10_000_000);
    // About 1.5 s on a laptop; generous for a loaded CI machine.
    expect(seconds).toBeLessThan(30);
  });
});
