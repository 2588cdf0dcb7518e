import { describe, expect, test } from 'vitest';
import { isValidLaNumber, isValidLaestab, isValidUrn, makeLaestab } from '../../src/domain/identifiers/index.ts';

describe('school identifiers', () => {
  test.each([
    { value: '999101', urn: true },
    { value: '100000', urn: true },
    { value: '99910', urn: false },
    { value: '9991011', urn: false },
    { value: '99910a', urn: false },
    { value: ' 999101', urn: false },
    { value: '', urn: false },
  ])('URN $value: $urn', ({ value, urn }) => {
    expect(isValidUrn(value)).toBe(urn);
  });

  test.each([
    { value: '9994001', laestab: true },
    { value: '2012001', laestab: true },
    { value: '999400', laestab: false },
    { value: '99940011', laestab: false },
    { value: '999-4001', laestab: false },
    { value: '', laestab: false },
  ])('LAESTAB $value: $laestab', ({ value, laestab }) => {
    expect(isValidLaestab(value)).toBe(laestab);
  });

  test.each([
    { value: '999', la: true },
    { value: '201', la: true },
    { value: '99', la: false },
    { value: '9999', la: false },
    { value: 'E06', la: false },
    { value: '', la: false },
  ])('LA number $value: $la', ({ value, la }) => {
    expect(isValidLaNumber(value)).toBe(la);
  });

  test('makeLaestab joins the LA number and establishment number', () => {
    expect(makeLaestab('999', '4001')).toBe('9994001');
    expect(isValidLaestab(makeLaestab('201', '0001'))).toBe(true);
    expect(() => makeLaestab('99', '4001')).toThrow(RangeError);
    expect(() => makeLaestab('999', '401')).toThrow(RangeError);
  });
});
