import { describe, expect, test } from 'vitest';
import { normalisePostcode, postcodeKey } from '../../src/domain/identifiers/index.ts';

describe('normalisePostcode', () => {
  test.each([
    // every outward shape: A9, A99, AA9, AA99, A9A, AA9A
    { input: 'M1 1AE', output: 'M1 1AE' },
    { input: 'B33 8TH', output: 'B33 8TH' },
    { input: 'CR2 6XH', output: 'CR2 6XH' },
    { input: 'DN55 1PT', output: 'DN55 1PT' },
    { input: 'W1A 0AX', output: 'W1A 0AX' },
    { input: 'EC1A 1BB', output: 'EC1A 1BB' },
    // case and spacing
    { input: 'ec1a1bb', output: 'EC1A 1BB' },
    { input: '  sw1a   2aa ', output: 'SW1A 2AA' },
    { input: 'Nz4 3jq', output: 'NZ4 3JQ' },
    { input: 'NZ11AB', output: 'NZ1 1AB' },
    { input: 'gir 0aa', output: 'GIR 0AA' },
    // not postcode-shaped
    { input: '', output: null },
    { input: 'NZ1', output: null },
    { input: '1AB', output: null },
    { input: 'NZ1 AB1', output: null },
    { input: 'NZ1-1AB', output: null },
    { input: 'ABC1 1AB', output: null },
    { input: 'EC1AB 1BB', output: null },
    { input: 'N 1AB', output: null },
    { input: '12345', output: null },
    { input: 'NZ1 1ABC', output: null },
  ])('$input → $output', ({ input, output }) => {
    expect(normalisePostcode(input)).toBe(output);
  });
});

describe('postcodeKey', () => {
  test.each([
    { input: 'NZ4 3JQ', key: 'NZ43JQ' },
    { input: ' nz4  3jq ', key: 'NZ43JQ' },
    { input: 'nz4', key: 'NZ4' },
    { input: '', key: '' },
  ])('$input → $key', ({ input, key }) => {
    expect(postcodeKey(input)).toBe(key);
  });

  test('a normalised postcode and its key describe the same postcode', () => {
    const normalised = normalisePostcode('ec1a1bb');
    expect(normalised).not.toBeNull();
    expect(postcodeKey(normalised ?? '')).toBe(postcodeKey('ec1a 1bb'));
  });
});
