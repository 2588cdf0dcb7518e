import { describe, expect, test } from 'vitest';
import {
  formatNhsNumber,
  isValidNhsNumber,
  makeTestNhsNumber,
  nhsCheckDigit,
  normaliseNhsNumber,
} from '../../src/domain/identifiers/index.ts';

describe('nhsCheckDigit', () => {
  test.each([
    // 9·10 + 4·9 + 3·8 + 4·7 + 7·6 + 6·5 + 5·4 + 9·3 + 1·2 = 299; 299 mod 11 = 2; 11 − 2 = 9
    { first9: '943476591', check: 9 },
    // 4·10 + 0·9 + 1·8 + 0·7 + 2·6 + 3·5 + 2·4 + 1·3 + 3·2 = 92; 92 mod 11 = 4; 11 − 4 = 7
    { first9: '401023213', check: 7 },
    // 9·10 + 9·9 + 9·8 = 243; + 1·2 = 245; 245 mod 11 = 3; 11 − 3 = 8
    { first9: '999000001', check: 8 },
    // 243 + 5·2 = 253 = 23·11; remainder 0; 11 − 0 = 11 → 0
    { first9: '999000005', check: 0 },
    // 243 mod 11 = 1; 11 − 1 = 10 → no valid number
    { first9: '999000000', check: null },
  ])('$first9 → $check', ({ first9, check }) => {
    expect(nhsCheckDigit(first9)).toBe(check);
  });

  test.each(['', '94347659', '9434765919', '94347659a'])('refuses %j', (input) => {
    expect(() => nhsCheckDigit(input)).toThrow(RangeError);
  });
});

describe('isValidNhsNumber', () => {
  test.each([
    { input: '9434765919', valid: true, why: 'well-known valid example' },
    { input: '943 476 5919', valid: true, why: 'spaced as displayed' },
    { input: '943-476-5919', valid: true, why: 'hyphenated' },
    { input: ' 9434765919 ', valid: true, why: 'surrounding spaces' },
    { input: '4010232137', valid: true, why: 'worked example' },
    { input: '9990000018', valid: true, why: 'test range' },
    { input: '9990000050', valid: true, why: 'check digit 0' },
    { input: '9434765918', valid: false, why: 'wrong check digit' },
    { input: '9434765910', valid: false, why: 'wrong check digit 0' },
    { input: '4934765919', valid: false, why: 'first two digits transposed' },
    { input: '9434765991', valid: false, why: 'last two digits transposed' },
    { input: '9434765819', valid: false, why: 'one digit changed' },
    { input: '9990000000', valid: false, why: 'check would be 10' },
    { input: '943476591', valid: false, why: '9 digits' },
    { input: '94347659190', valid: false, why: '11 digits' },
    { input: '943476591O', valid: false, why: 'letter O for zero' },
    { input: '943.476.5919', valid: false, why: 'dots are not accepted' },
    { input: '', valid: false, why: 'empty' },
  ])('$input is valid: $valid ($why)', ({ input, valid }) => {
    expect(isValidNhsNumber(input)).toBe(valid);
  });
});

describe('normaliseNhsNumber and formatNhsNumber', () => {
  test.each([
    { input: '943 476 5919', normalised: '9434765919', formatted: '943 476 5919' },
    { input: '943-476-5919', normalised: '9434765919', formatted: '943 476 5919' },
    { input: '9434765919', normalised: '9434765919', formatted: '943 476 5919' },
    { input: '943 476 591', normalised: null, formatted: null },
    { input: 'nine', normalised: null, formatted: null },
  ])('$input', ({ input, normalised, formatted }) => {
    expect(normaliseNhsNumber(input)).toBe(normalised);
    expect(formatNhsNumber(input)).toBe(formatted);
  });
});

describe('makeTestNhsNumber', () => {
  test.each([
    { serial: 0, number: null },
    { serial: 1, number: '9990000018' },
    { serial: 5, number: '9990000050' },
  ])('serial $serial → $number', ({ serial, number }) => {
    expect(makeTestNhsNumber(serial)).toBe(number);
  });

  test('every number made is valid and in the 999 test range; about 1 serial in 11 has none', () => {
    let missing = 0;
    for (let serial = 0; serial < 11_000; serial += 1) {
      const number = makeTestNhsNumber(serial * 89);
      if (number === null) {
        missing += 1;
        continue;
      }
      expect(number.startsWith('999')).toBe(true);
      expect(isValidNhsNumber(number)).toBe(true);
    }
    expect(missing).toBeGreaterThan(900);
    expect(missing).toBeLessThan(1100);
  });

  test.each([-1, 1_000_000, 2.5])('refuses serial %d', (serial) => {
    expect(() => makeTestNhsNumber(serial)).toThrow(RangeError);
  });
});
