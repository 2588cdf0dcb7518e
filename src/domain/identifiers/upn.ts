/**
 * Unique Pupil Numbers (DfE). A UPN is 13 characters:
 *
 *   1      check letter
 *   2–4    DfE LA number of the school that allocated it
 *   5–8    that school's DfE establishment number
 *   9–10   last two digits of the year of allocation
 *   11–13  serial number; a temporary UPN has a two-digit serial and ends in a letter
 *
 * The check letter: weights 2..13 on characters 2..13 (a digit counts as its value, a letter as
 * its 0-based index in UPN_ALPHABET), sum mod 23, mapped back through UPN_ALPHABET.
 */

/** The 23 letters a UPN may use: the alphabet without I, O and S. */
export const UPN_ALPHABET = 'ABCDEFGHJKLMNPQRTUVWXYZ';

const BODY_PATTERN = /^[0-9]{11}[0-9ABCDEFGHJKLMNPQRTUVWXYZ]$/;
const UPN_PATTERN = /^[ABCDEFGHJKLMNPQRTUVWXYZ][0-9]{11}[0-9ABCDEFGHJKLMNPQRTUVWXYZ]$/;

/** People type UPNs in lower case and with spaces; compare and store them in one canonical form. */
export function normaliseUpn(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/**
 * The check letter for characters 2–13 of a UPN. Needed both to validate what people type and to
 * allocate new numbers; throws a RangeError for a body that no UPN could have.
 */
export function upnCheckLetter(body12: string): string {
  const body = body12.toUpperCase();
  if (!BODY_PATTERN.test(body)) {
    throw new RangeError('A UPN body is 11 digits followed by a digit or one of ' + UPN_ALPHABET);
  }
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    const character = body.charAt(i);
    const value = character >= '0' && character <= '9' ? Number(character) : UPN_ALPHABET.indexOf(character);
    sum += value * (i + 2);
  }
  return UPN_ALPHABET.charAt(sum % 23);
}

/** Catches mistyped UPNs before they are stored or matched against another record. */
export function isValidUpn(upn: string): boolean {
  const candidate = normaliseUpn(upn);
  if (!UPN_PATTERN.test(candidate)) return false;
  return upnCheckLetter(candidate.slice(1)) === candidate.charAt(0);
}

/** A temporary UPN is replaced by a permanent one when it is found; reports need to tell them apart. */
export function isTemporaryUpn(upn: string): boolean {
  const candidate = normaliseUpn(upn);
  return isValidUpn(candidate) && !/[0-9]/.test(candidate.charAt(12));
}

export interface UpnParts {
  /** DfE LA number, 3 digits. */
  laNumber: string;
  /** DfE establishment number of the allocating school, 4 digits. */
  establishmentNumber: string;
  /** Year of allocation; only the last two digits are used. */
  year: number;
  /** 0–999 for a permanent UPN, 0–99 for a temporary one. */
  serial: number;
}

function checkParts(parts: UpnParts, maxSerial: number): void {
  if (!/^[0-9]{3}$/.test(parts.laNumber)) throw new RangeError('laNumber must be 3 digits');
  if (!/^[0-9]{4}$/.test(parts.establishmentNumber)) throw new RangeError('establishmentNumber must be 4 digits');
  if (!Number.isInteger(parts.year) || parts.year < 0) throw new RangeError('year must be a non-negative integer');
  if (!Number.isInteger(parts.serial) || parts.serial < 0 || parts.serial > maxSerial) {
    throw new RangeError(`serial must be an integer from 0 to ${maxSerial}`);
  }
}

/** Allocates a permanent UPN the way a school would, so generated pupils carry realistic numbers. */
export function makeUpn(parts: UpnParts): string {
  checkParts(parts, 999);
  const body =
    parts.laNumber +
    parts.establishmentNumber +
    String(parts.year % 100).padStart(2, '0') +
    String(parts.serial).padStart(3, '0');
  return upnCheckLetter(body) + body;
}

/**
 * Allocates a temporary UPN (two-digit serial and a final letter), as a school does when a pupil's
 * permanent UPN is not yet known.
 */
export function makeTemporaryUpn(parts: UpnParts & { letter: string }): string {
  checkParts(parts, 99);
  const letter = parts.letter.toUpperCase();
  if (letter.length !== 1 || !UPN_ALPHABET.includes(letter)) {
    throw new RangeError('letter must be one of ' + UPN_ALPHABET);
  }
  const body =
    parts.laNumber +
    parts.establishmentNumber +
    String(parts.year % 100).padStart(2, '0') +
    String(parts.serial).padStart(2, '0') +
    letter;
  return upnCheckLetter(body) + body;
}
