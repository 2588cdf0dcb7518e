import { describe, expect, test } from 'vitest';
import {
  UPN_ALPHABET,
  isTemporaryUpn,
  isValidUpn,
  makeTemporaryUpn,
  makeUpn,
  normaliseUpn,
  upnCheckLetter,
} from '../../src/domain/identifiers/index.ts';

describe('upnCheckLetter', () => {
  // Worked examples, weights 2..13 on characters 2..13, sum mod 23, mapped through
  // A B C D E F G H J K L M N P Q R T U V W X Y Z (A = 0 … Z = 22).
  test.each([
    // 8·2 + 0·3 + 1·4 + 2·5 + 0·6 + 0·7 + 0·8 + 0·9 + 5·10 + 0·11 + 0·12 + 1·13 = 93; 93 mod 23 = 1 → B
    { body: '801200005001', letter: 'B' },
    // 9·2 + 9·3 + 9·4 + 2·5 + 1·6 + 0·7 + 0·8 + 2·9 + 5·10 + 0·11 + 0·12 + 1·13 = 178; 178 mod 23 = 17 → U
    { body: '999210025001', letter: 'U' },
    // as above without the final 1·13: 165; 165 mod 23 = 4 → E (the letter A counts as 0)
    { body: '99921002500A', letter: 'E' },
    // 165 + Z (22)·13 = 451; 451 mod 23 = 14 → Q
    { body: '99921002500Z', letter: 'Q' },
    // all zeros: sum 0 → A
    { body: '000000000000', letter: 'A' },
    // 1·(2+3+…+13) = 90; 90 mod 23 = 21 → Y
    { body: '111111111111', letter: 'Y' },
  ])('$body → $letter', ({ body, letter }) => {
    expect(upnCheckLetter(body)).toBe(letter);
  });

  test('accepts a lower-case final letter', () => {
    expect(upnCheckLetter('99921002500z')).toBe('Q');
  });

  test.each(['', '80120000500', '8012000050011', '80120000500I', '80120000500O', '80120000500S', '8012000A5001', '8012 0000501'])(
    'refuses the impossible body %j',
    (body) => {
      expect(() => upnCheckLetter(body)).toThrow(RangeError);
    },
  );

  test('maps every remainder to a distinct letter of the 23-letter alphabet', () => {
    expect(UPN_ALPHABET).toHaveLength(23);
    expect(UPN_ALPHABET).not.toMatch(/[IOS]/);
    expect(new Set(UPN_ALPHABET).size).toBe(23);
  });
});

describe('isValidUpn', () => {
  test.each([
    { upn: 'B801200005001', valid: true, why: 'worked example' },
    { upn: 'U999210025001', valid: true, why: 'worked example for LA 999' },
    { upn: 'u999210025001', valid: true, why: 'lower case is normalised' },
    { upn: ' U999 2100 25 001 ', valid: true, why: 'spaces are ignored' },
    { upn: 'E99921002500A', valid: true, why: 'temporary UPN ending in A' },
    { upn: 'Q99921002500z', valid: true, why: 'temporary UPN, lower-case letter' },
    { upn: 'A801200005001', valid: false, why: 'wrong check letter' },
    { upn: 'B801200005002', valid: false, why: 'digit changed' },
    { upn: 'B810200005001', valid: false, why: 'adjacent digits transposed' },
    { upn: 'I801200005001', valid: false, why: 'I is never a check letter' },
    { upn: 'S99921002500A', valid: false, why: 'S is never a check letter' },
    { upn: 'E99921002500O', valid: false, why: 'O is not in the alphabet' },
    { upn: 'X80120000A001', valid: false, why: 'letter in the middle' },
    { upn: 'B80120000500', valid: false, why: 'too short' },
    { upn: 'B8012000050011', valid: false, why: 'too long' },
    { upn: '1801200005001', valid: false, why: 'first character a digit' },
    { upn: '', valid: false, why: 'empty' },
  ])('$upn is valid: $valid ($why)', ({ upn, valid }) => {
    expect(isValidUpn(upn)).toBe(valid);
  });

  test('every single-character change to a valid UPN is caught', () => {
    const upn = 'U999210025001';
    for (let position = 1; position < 12; position += 1) {
      for (let digit = 0; digit <= 9; digit += 1) {
        const changed = upn.slice(0, position) + String(digit) + upn.slice(position + 1);
        if (changed !== upn) expect(isValidUpn(changed)).toBe(false);
      }
    }
  });
});

describe('normaliseUpn and isTemporaryUpn', () => {
  test('normalises case and spacing', () => {
    expect(normaliseUpn(' u999 210025001 ')).toBe('U999210025001');
  });

  test.each([
    { upn: 'E99921002500A', temporary: true },
    { upn: 'U999210025001', temporary: false },
    { upn: 'A99921002500A', temporary: false },
  ])('$upn temporary: $temporary', ({ upn, temporary }) => {
    expect(isTemporaryUpn(upn)).toBe(temporary);
  });
});

describe('makeUpn and makeTemporaryUpn', () => {
  test('lays out LA number, establishment, year and serial behind the check letter', () => {
    expect(makeUpn({ laNumber: '999', establishmentNumber: '2100', year: 2025, serial: 1 })).toBe('U999210025001');
    expect(makeUpn({ laNumber: '801', establishmentNumber: '2000', year: 5, serial: 1 })).toBe('B801200005001');
  });

  test('makes temporary UPNs with a two-digit serial and a final letter', () => {
    expect(makeTemporaryUpn({ laNumber: '999', establishmentNumber: '2100', year: 2025, serial: 0, letter: 'a' })).toBe(
      'E99921002500A',
    );
    expect(makeTemporaryUpn({ laNumber: '999', establishmentNumber: '2100', year: 2025, serial: 0, letter: 'Z' })).toBe(
      'Q99921002500Z',
    );
  });

  test('every generated UPN is valid', () => {
    for (let serial = 0; serial <= 999; serial += 1) {
      const upn = makeUpn({ laNumber: '999', establishmentNumber: '4001', year: 2019, serial });
      expect(isValidUpn(upn)).toBe(true);
      expect(upn.slice(1, 4)).toBe('999');
    }
    for (const letter of UPN_ALPHABET) {
      const upn = makeTemporaryUpn({ laNumber: '999', establishmentNumber: '4001', year: 2019, serial: 42, letter });
      expect(isValidUpn(upn)).toBe(true);
      expect(isTemporaryUpn(upn)).toBe(true);
    }
  });

  test.each([
    { laNumber: '99', establishmentNumber: '2100', year: 2025, serial: 1 },
    { laNumber: '999', establishmentNumber: '210', year: 2025, serial: 1 },
    { laNumber: '999', establishmentNumber: '2100', year: -1, serial: 1 },
    { laNumber: '999', establishmentNumber: '2100', year: 2025, serial: 1000 },
    { laNumber: '999', establishmentNumber: '2100', year: 2025, serial: 1.5 },
  ])('refuses impossible parts %o', (parts) => {
    expect(() => makeUpn(parts)).toThrow(RangeError);
  });

  test('refuses a temporary serial over 99 or a letter outside the alphabet', () => {
    const parts = { laNumber: '999', establishmentNumber: '2100', year: 2025 };
    expect(() => makeTemporaryUpn({ ...parts, serial: 100, letter: 'A' })).toThrow(RangeError);
    expect(() => makeTemporaryUpn({ ...parts, serial: 1, letter: 'I' })).toThrow(RangeError);
    expect(() => makeTemporaryUpn({ ...parts, serial: 1, letter: 'AB' })).toThrow(RangeError);
  });
});
