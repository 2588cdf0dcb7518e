/**
 * NHS numbers: 10 digits, the last a modulus 11 check digit. Weights 10..2 on digits 1..9; the
 * check digit is 11 minus the remainder of the sum divided by 11, where 11 becomes 0 and 10 means
 * no valid number has those first nine digits.
 */

/** Numbers starting 999 are reserved for testing and are never issued to a patient. */
export const TEST_NHS_NUMBER_PREFIX = '999';

/**
 * NHS numbers are written with spaces (`943 476 5919`) or hyphens; this gives the 10 bare digits
 * to store and compare, or null when the input cannot be an NHS number.
 */
export function normaliseNhsNumber(input: string): string | null {
  const digits = input.replace(/[\s-]+/g, '');
  return /^[0-9]{10}$/.test(digits) ? digits : null;
}

/**
 * The check digit for the first nine digits, or null when the sum leaves remainder 1 (check 10):
 * such numbers are never issued. Needed to validate input and to make test numbers.
 */
export function nhsCheckDigit(first9: string): number | null {
  if (!/^[0-9]{9}$/.test(first9)) throw new RangeError('nhsCheckDigit needs exactly 9 digits');
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(first9.charAt(i)) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/** Catches mistyped NHS numbers before a record is matched on one (it is the intended child identifier). */
export function isValidNhsNumber(input: string): boolean {
  const digits = normaliseNhsNumber(input);
  if (digits === null) return false;
  const check = nhsCheckDigit(digits.slice(0, 9));
  return check !== null && check === Number(digits.charAt(9));
}

/** NHS guidance displays the number in 3-3-4 groups, which people read back more reliably. */
export function formatNhsNumber(input: string): string | null {
  const digits = normaliseNhsNumber(input);
  return digits === null ? null : `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}

/**
 * A checksum-valid NHS number in the never-issued 999 range, from a serial 0–999999, so synthetic
 * records look real without any chance of naming a patient. Null when that serial has no valid
 * check digit (about 1 in 11); callers move on to the next serial.
 */
export function makeTestNhsNumber(serial: number): string | null {
  if (!Number.isInteger(serial) || serial < 0 || serial > 999_999) {
    throw new RangeError('serial must be an integer from 0 to 999999');
  }
  const first9 = TEST_NHS_NUMBER_PREFIX + String(serial).padStart(6, '0');
  const check = nhsCheckDigit(first9);
  return check === null ? null : first9 + String(check);
}
