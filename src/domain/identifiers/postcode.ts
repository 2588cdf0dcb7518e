/**
 * UK postcodes. Validation is by shape only (outward code A9, A99, AA9, AA99, A9A or AA9A; inward
 * code 9AA), which catches typing slips without claiming the postcode exists. The one historic
 * exception to the shape, GIR 0AA, is accepted too.
 */

const POSTCODE_PATTERN = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/;

/** Upper case with every space removed: one key for every way of typing the same postcode. */
export function postcodeKey(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/**
 * The canonical display form (upper case, one space before the inward code), or null when the
 * input is not shaped like a UK postcode, so forms can reject it with a clear message.
 */
export function normalisePostcode(input: string): string | null {
  const key = postcodeKey(input);
  if (key === 'GIR0AA') return 'GIR 0AA';
  const match = POSTCODE_PATTERN.exec(key);
  if (!match) return null;
  const [, outward, inward] = match;
  if (outward === undefined || inward === undefined) return null;
  return `${outward} ${inward}`;
}
