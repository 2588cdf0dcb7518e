/**
 * UPNs and NHS numbers for synthetic children. The check characters are computed here, not by
 * calling the validators in src/domain/identifiers, so the tests can use those validators as an
 * independent check, and because this runs millions of times with no need for input checking.
 *
 * Every number is unique to one synthetic child and can never belong to a real one: UPNs use LA
 * number 999 (Northshire, the fictional council), and NHS numbers the 999 range that the NHS
 * reserves for testing and never issues.
 */

import type { Random } from './prng.ts';

/** The fictional council's DfE LA number, as in the rest of Cairn's demo data. */
export const SYNTHETIC_LA_NUMBER = '999';

/** The 23 letters a UPN may use: the alphabet without I, O and S. */
export const UPN_ALPHABET = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** Never issued to a patient. */
export const TEST_NHS_PREFIX = '999';

/** Weights 2..13 on characters 2..13; digits count as their value, letters as their index in UPN_ALPHABET. */
export function upnCheckLetter(body12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i += 1) {
    const code = body12.charCodeAt(i);
    const value = code >= 48 && code <= 57 ? code - 48 : UPN_ALPHABET.indexOf(body12.charAt(i));
    sum += value * (i + 2);
  }
  return UPN_ALPHABET.charAt(sum % 23);
}

/** Weights 10..2 on digits 1..9; 11 − (sum mod 11), where 11 becomes 0 and 10 means no valid number. */
export function nhsCheckDigit(first9: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += (first9.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  return check === 10 ? null : check;
}

/**
 * Establishment numbers of the fictional primary schools that allocate UPNs at reception: 2xxx
 * community and 3xxx voluntary schools, 300 of them, enough for 300,000 children a year.
 */
const PRIMARY_ESTABLISHMENTS: readonly string[] = [
  ...Array.from({ length: 250 }, (_, i) => String(2001 + i)),
  ...Array.from({ length: 50 }, (_, i) => String(3001 + i)),
];

/** How many schools a family can be near; the rest are spill-over when a school's year is full. */
export const PRIMARY_SCHOOL_COUNT = PRIMARY_ESTABLISHMENTS.length;

function mix32(value: number): number {
  let z = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Hands out unique identifiers in generation order. NHS serials walk a seed-dependent permutation
 * of 0–999999, so brothers and sisters do not get consecutive numbers, and the roughly one serial in
 * eleven with no valid check digit is skipped, as the NHS does.
 */
export class IdentifierAllocator {
  readonly #multiplier: number;
  readonly #offset: number;
  #nhsIndex = 0;
  readonly #upnSerials = new Map<number, number>();

  constructor(seed: number) {
    let multiplier = (mix32(seed ^ 0x5bd1e995) % 450_000) * 2 + 100_001;
    // Coprime with 1,000,000 (odd and not a multiple of 5) makes i ↦ a·i + b a permutation.
    while (multiplier % 5 === 0) multiplier += 2;
    this.#multiplier = multiplier;
    this.#offset = mix32(seed ^ 0x27d4eb2f) % 1_000_000;
  }

  /** The next unused valid NHS number in the 999 range; there are 909,091 of them. */
  nextNhsNumber(): string {
    while (this.#nhsIndex < 1_000_000) {
      const serial = (this.#multiplier * this.#nhsIndex + this.#offset) % 1_000_000;
      this.#nhsIndex += 1;
      const first9 = TEST_NHS_PREFIX + String(serial).padStart(6, '0');
      const check = nhsCheckDigit(first9);
      if (check !== null) return first9 + String(check);
    }
    throw new RangeError(
      'the NHS test range (999) holds 909,091 valid numbers and all have been used: generate fewer people',
    );
  }

  /**
   * A permanent UPN allocated by a school near the family in the given year. When that school has
   * used all 1,000 serials for the year, the next school along allocates it.
   */
  allocateUpn(schoolIndex: number, year: number): string {
    const yy = year % 100;
    for (let step = 0; step < PRIMARY_ESTABLISHMENTS.length; step += 1) {
      const index = (schoolIndex + step) % PRIMARY_ESTABLISHMENTS.length;
      const key = index * 100 + yy;
      const serial = this.#upnSerials.get(key) ?? 0;
      if (serial > 999) continue;
      this.#upnSerials.set(key, serial + 1);
      const body =
        SYNTHETIC_LA_NUMBER +
        (PRIMARY_ESTABLISHMENTS[index] as string) +
        String(yy).padStart(2, '0') +
        String(serial).padStart(3, '0');
      return upnCheckLetter(body) + body;
    }
    throw new RangeError(`every synthetic school has used all its UPN serials for ${year}: generate fewer people`);
  }
}

/**
 * A temporary UPN (two-digit serial and a final letter), as a school issues while a pupil's
 * permanent UPN is unknown. It is valid but is not the child's UPN, which linkage must survive.
 */
export function randomTemporaryUpn(random: Random, year: number): string {
  const body =
    SYNTHETIC_LA_NUMBER +
    random.pick(PRIMARY_ESTABLISHMENTS) +
    String(year % 100).padStart(2, '0') +
    String(random.below(100)).padStart(2, '0') +
    UPN_ALPHABET.charAt(random.below(UPN_ALPHABET.length));
  return upnCheckLetter(body) + body;
}
