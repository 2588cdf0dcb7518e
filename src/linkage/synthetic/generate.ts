/**
 * A seeded generator of synthetic English children, their families and the records that several
 * council and health sources hold about them, with the true person behind every record. It exists
 * to test and benchmark record linkage: how often two records of one child are found, and how
 * often two different children (twins, siblings, two Muhammad Khans) are wrongly joined.
 *
 * Generation is family by family and each family draws from its own random streams, so output is
 * byte-for-byte reproducible for a seed, a million records stream out in seconds with memory that
 * does not grow, and the people and their records (everything but the noise) are the same for
 * every error profile: the same seed gives the same population clean, realistic or hard.
 */

import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { AliasTable, Random } from './prng.ts';
import { BOYS_FIRST_NAMES, GIRLS_FIRST_NAMES, WELL_KNOWN_FULL_NAMES } from './names.ts';
import type { NameOrigin, WeightedName } from './names.ts';
import { composeRareSurname, RARE_SURNAME_WEIGHT, SURNAME_HEAD, SURNAME_TAIL } from './surnames.ts';
import type { WeightedSurname } from './surnames.ts';
import {
  areFirstNameVariants,
  FIRST_NAME_MISSPELLINGS,
  FIRST_NAME_VARIANTS,
  KEYBOARD_NEIGHBOURS,
  SURNAME_VARIANTS,
} from './variants.ts';
import { INWARD_LETTERS, POSTCODE_DISTRICTS, STREET_NAMES, STREET_TYPE_ABBREVIATIONS, STREET_TYPES } from './places.ts';
import { IdentifierAllocator, PRIMARY_SCHOOL_COUNT, randomTemporaryUpn, UPN_ALPHABET } from './identifiers.ts';
import { CSV_COLUMNS, csvField, ERRORS_COLUMN } from './csv.ts';

// ---------------------------------------------------------------------------------------------
// Sources

/** Where a record comes from. Each source holds different identifiers and formats dates its own way. */
export const SOURCES = ['school', 'gp', 'social_care', 'register'] as const;
export type SourceName = (typeof SOURCES)[number];

interface SourceProfile {
  /** Share of first records, before excluding schools for children not yet at school. */
  readonly weight: number;
  /** ISO 8601 (2014-03-09) or the compact form some health systems export (20140309). */
  readonly dateFormat: 'iso' | 'compact';
  /** Probability that a record from this source has the child's UPN at all (not an error). */
  readonly holdsUpn: number;
  readonly holdsNhs: number;
  /** GP systems export surnames in capitals. */
  readonly upperCaseSurname: boolean;
  /** Social care systems show NHS numbers in 3-3-4 groups. */
  readonly spacedNhs: boolean;
}

const SOURCE_PROFILES: Readonly<Record<SourceName, SourceProfile>> = {
  school: { weight: 0.42, dateFormat: 'iso', holdsUpn: 0.97, holdsNhs: 0.05, upperCaseSurname: false, spacedNhs: false },
  gp: { weight: 0.33, dateFormat: 'compact', holdsUpn: 0, holdsNhs: 0.99, upperCaseSurname: true, spacedNhs: false },
  social_care: { weight: 0.1, dateFormat: 'iso', holdsUpn: 0.35, holdsNhs: 0.8, upperCaseSurname: false, spacedNhs: true },
  register: { weight: 0.15, dateFormat: 'compact', holdsUpn: 0.6, holdsNhs: 0.3, upperCaseSurname: false, spacedNhs: false },
};

/**
 * Which file a source's records go to when a population is split for link mode: education records
 * on the left, health and care records on the right, so the two files share the children who
 * appear in both.
 */
export const SPLIT_SIDE: Readonly<Record<SourceName, 'left' | 'right'>> = {
  school: 'left',
  register: 'left',
  gp: 'right',
  social_care: 'right',
};

// ---------------------------------------------------------------------------------------------
// Error profiles

/**
 * Probabilities, per record, of each way a record can differ from the truth. Where a rate only
 * makes sense for some records, it applies to those: first-name variants to names that have
 * variants, day–month swaps to dates whose day is 12 or less and differs from the month, UPN and NHS
 * errors to records from a source that holds the number, and errors in a value to records where
 * the value is not missing.
 */
export interface ErrorRates {
  readonly firstNameMissing: number;
  /** A nickname or alternative spelling: Kate for Katherine, Mohammed for Muhammad. */
  readonly firstNameVariant: number;
  /** A common misspelling: Issac for Isaac. */
  readonly firstNameMisspelling: number;
  /** A keyboard slip: a letter inserted, deleted, substituted or two adjacent letters transposed. */
  readonly firstNameTypo: number;
  /** The preferred name written alongside: Katherine (Kate), William "Bill". */
  readonly firstNameWithNickname: number;
  readonly surnameMissing: number;
  /** An alternative spelling or form: Thomson for Thompson, Kowalska for Kowalski. */
  readonly surnameVariant: number;
  readonly surnameTypo: number;
  /** Both parents' surnames: Smith-Khan or Khan-Smith. */
  readonly surnameHyphenated: number;
  /** Recorded under another surname, as after a parent's marriage or separation. */
  readonly surnameChanged: number;
  /** First name in the surname field and the surname in the first-name field. */
  readonly namesSwapped: number;
  readonly dateOfBirthMissing: number;
  /** 2014-03-09 recorded as 2014-09-03. */
  readonly dateOfBirthDayMonthSwapped: number;
  /** One digit wrong, still a real date. */
  readonly dateOfBirthDigit: number;
  readonly sexMissing: number;
  readonly sexWrong: number;
  /** The family's other address (before or after a move) in place of the current one. */
  readonly moved: number;
  readonly addressMissing: number;
  /** Rd for Road, St for Street. */
  readonly addressAbbreviated: number;
  readonly addressTypo: number;
  readonly postcodeMissing: number;
  /** A character changed within the postcode's shape, or the last two letters transposed. */
  readonly postcodeTypo: number;
  readonly upnMissing: number;
  /** A mistyped UPN; always fails its check letter, as every single slip does. */
  readonly upnTypo: number;
  /** A temporary UPN in place of the permanent one. */
  readonly upnTemporary: number;
  /** A brother's or sister's UPN, valid but wrong. */
  readonly upnOtherChild: number;
  readonly nhsMissing: number;
  /** A mistyped NHS number; always fails its check digit, as every single slip does. */
  readonly nhsTypo: number;
  /** A brother's or sister's NHS number, valid but wrong. */
  readonly nhsOtherChild: number;
}

export type ErrorProfileName = 'clean' | 'realistic' | 'hard';

const NO_ERRORS: ErrorRates = {
  firstNameMissing: 0,
  firstNameVariant: 0,
  firstNameMisspelling: 0,
  firstNameTypo: 0,
  firstNameWithNickname: 0,
  surnameMissing: 0,
  surnameVariant: 0,
  surnameTypo: 0,
  surnameHyphenated: 0,
  surnameChanged: 0,
  namesSwapped: 0,
  dateOfBirthMissing: 0,
  dateOfBirthDayMonthSwapped: 0,
  dateOfBirthDigit: 0,
  sexMissing: 0,
  sexWrong: 0,
  moved: 0,
  addressMissing: 0,
  addressAbbreviated: 0,
  addressTypo: 0,
  postcodeMissing: 0,
  postcodeTypo: 0,
  upnMissing: 0,
  upnTypo: 0,
  upnTemporary: 0,
  upnOtherChild: 0,
  nhsMissing: 0,
  nhsTypo: 0,
  nhsOtherChild: 0,
};

/**
 * clean: records differ only in each source's formatting (date format, capitals, spaced NHS
 * numbers), so a correct linker scores perfectly. realistic: rates of the order seen when council
 * education, social care and GP extracts are linked. hard: about three times as noisy, for
 * finding where a method breaks.
 */
export const ERROR_PROFILES: Readonly<Record<ErrorProfileName, ErrorRates>> = {
  clean: NO_ERRORS,
  realistic: {
    firstNameMissing: 0.002,
    firstNameVariant: 0.08,
    firstNameMisspelling: 0.03,
    firstNameTypo: 0.02,
    firstNameWithNickname: 0.005,
    surnameMissing: 0.002,
    surnameVariant: 0.05,
    surnameTypo: 0.02,
    surnameHyphenated: 0.015,
    surnameChanged: 0.015,
    namesSwapped: 0.005,
    dateOfBirthMissing: 0.01,
    dateOfBirthDayMonthSwapped: 0.01,
    dateOfBirthDigit: 0.01,
    sexMissing: 0.02,
    sexWrong: 0.003,
    moved: 0.12,
    addressMissing: 0.02,
    addressAbbreviated: 0.1,
    addressTypo: 0.01,
    postcodeMissing: 0.02,
    postcodeTypo: 0.01,
    upnMissing: 0.08,
    upnTypo: 0.01,
    upnTemporary: 0.01,
    upnOtherChild: 0.002,
    nhsMissing: 0.05,
    nhsTypo: 0.01,
    nhsOtherChild: 0.002,
  },
  hard: {
    firstNameMissing: 0.01,
    firstNameVariant: 0.2,
    firstNameMisspelling: 0.08,
    firstNameTypo: 0.06,
    firstNameWithNickname: 0.02,
    surnameMissing: 0.01,
    surnameVariant: 0.12,
    surnameTypo: 0.06,
    surnameHyphenated: 0.05,
    surnameChanged: 0.05,
    namesSwapped: 0.02,
    dateOfBirthMissing: 0.04,
    dateOfBirthDayMonthSwapped: 0.04,
    dateOfBirthDigit: 0.04,
    sexMissing: 0.06,
    sexWrong: 0.01,
    moved: 0.3,
    addressMissing: 0.06,
    addressAbbreviated: 0.25,
    addressTypo: 0.04,
    postcodeMissing: 0.06,
    postcodeTypo: 0.04,
    upnMissing: 0.25,
    upnTypo: 0.04,
    upnTemporary: 0.03,
    upnOtherChild: 0.01,
    nhsMissing: 0.2,
    nhsTypo: 0.04,
    nhsOtherChild: 0.01,
  },
};

/** What was done to a record, for the optional errors column and for tests. */
export type ErrorCode =
  | 'first_name_missing'
  | 'first_name_variant'
  | 'first_name_misspelling'
  | 'first_name_typo'
  | 'first_name_with_nickname'
  | 'surname_missing'
  | 'surname_changed'
  | 'surname_hyphenated'
  | 'surname_variant'
  | 'surname_typo'
  | 'names_swapped'
  | 'date_of_birth_missing'
  | 'date_of_birth_day_month_swapped'
  | 'date_of_birth_digit'
  | 'sex_missing'
  | 'sex_wrong'
  | 'moved'
  | 'address_missing'
  | 'address_abbreviated'
  | 'address_typo'
  | 'postcode_missing'
  | 'postcode_typo'
  | 'upn_missing'
  | 'upn_other_child'
  | 'upn_temporary'
  | 'upn_typo'
  | 'nhs_missing'
  | 'nhs_other_child'
  | 'nhs_typo';

// ---------------------------------------------------------------------------------------------
// Options and results

export interface PopulationOptions {
  /** Any safe integer. */
  readonly seed: number;
  /**
   * How many children to generate, each with at least one record. Give this or `records`. At most
   * about 900,000 children: NHS numbers come from the never-issued 999 range, which holds 909,091
   * valid numbers, and generation stops with a RangeError when they run out.
   */
  readonly people?: number;
  /** Stop after exactly this many records (the last family may lose some). Give this or `people`. */
  readonly records?: number;
  /**
   * Share of children with more than one record, 0–1; default 0.5. A child with duplicates has
   * one more record, then each further one with probability 0.35, up to six in all.
   */
  readonly duplicateRate?: number;
  /** A named profile or explicit rates; default 'realistic'. */
  readonly errorProfile?: ErrorProfileName | ErrorRates;
  /** Share of families with two or more children that include a pair of twins; default 0.03. */
  readonly twinRate?: number;
  /** Ages are worked out at this date (ISO); default 2025-09-01, so output never depends on the clock. */
  readonly referenceDate?: string;
}

export type Sex = 'F' | 'M';

/** The truth about one synthetic child. */
export interface SyntheticPerson {
  readonly personId: string;
  readonly familyId: string;
  readonly firstName: string;
  readonly surname: string;
  readonly sex: Sex;
  /** ISO 8601. */
  readonly dateOfBirth: string;
  readonly addressLine1: string;
  readonly postcode: string;
  /** Null for children not yet at school. */
  readonly upn: string | null;
  /** Null for the few children without one, such as recent arrivals. */
  readonly nhsNumber: string | null;
  /** The other twin's person id, or null. */
  readonly twinOf: string | null;
}

/** One record as a source holds it, with the person it truly belongs to. */
export interface SyntheticRecord {
  readonly recordId: string;
  readonly personId: string;
  readonly source: SourceName;
  readonly firstName: string;
  readonly surname: string;
  /** ISO or YYYYMMDD depending on the source; empty when missing. */
  readonly dateOfBirth: string;
  /** 'F', 'M' or empty. */
  readonly sex: string;
  readonly addressLine1: string;
  readonly postcode: string;
  readonly upn: string;
  readonly nhsNumber: string;
  /** Every change made to this record, in the order applied. */
  readonly errors: readonly ErrorCode[];
  readonly person: SyntheticPerson;
}

export interface SyntheticFamily {
  readonly familyId: string;
  /** Eldest first. */
  readonly children: readonly SyntheticPerson[];
  /** In file order; children without a record (at the cut-off of a `records` run) have none here. */
  readonly records: readonly SyntheticRecord[];
}

// ---------------------------------------------------------------------------------------------
// Dates, kept as day numbers to avoid Date objects in the hot path

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

function formatDate(date: CivilDate, format: 'iso' | 'compact'): string {
  const y = String(date.year).padStart(4, '0');
  return format === 'iso' ? `${y}-${pad2(date.month)}-${pad2(date.day)}` : `${y}${pad2(date.month)}${pad2(date.day)}`;
}

function parseIsoDate(value: string): CivilDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  if (!match || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`not an ISO date: ${value}`);
  }
  return { year, month, day };
}

// ---------------------------------------------------------------------------------------------
// Name tables (built once, on first use)

const ORIGINS: readonly NameOrigin[] = ['general', 'south-asian-muslim', 'south-asian-indic', 'eastern-european', 'african'];

/** How often a child's first name comes from the family's own origin list rather than the whole list. */
const OWN_ORIGIN_FIRST_NAME: Readonly<Record<NameOrigin, number>> = {
  general: 0.97,
  'south-asian-muslim': 0.85,
  'south-asian-indic': 0.75,
  'eastern-european': 0.6,
  african: 0.5,
};

interface FirstNameTables {
  readonly all: AliasTable<string>;
  readonly byOrigin: ReadonlyMap<NameOrigin, AliasTable<string>>;
}

interface NameTables {
  readonly F: FirstNameTables;
  readonly M: FirstNameTables;
  /** null stands for "compose a rare surname". */
  readonly surnames: AliasTable<WeightedSurname | null>;
}

function firstNameTables(list: readonly WeightedName[]): FirstNameTables {
  const byOrigin = new Map<NameOrigin, AliasTable<string>>();
  for (const origin of ORIGINS) {
    const subset = list.filter(([, , o]) => o === origin);
    if (subset.length > 0) byOrigin.set(origin, new AliasTable(subset.map(([name]) => name), subset.map(([, weight]) => weight)));
  }
  return { all: new AliasTable(list.map(([name]) => name), list.map(([, weight]) => weight)), byOrigin };
}

let nameTables: NameTables | undefined;

function getNameTables(): NameTables {
  if (nameTables === undefined) {
    const surnames: (WeightedSurname | null)[] = [...SURNAME_HEAD, ...SURNAME_TAIL, null];
    const weights = surnames.map((entry) => (entry === null ? RARE_SURNAME_WEIGHT : entry[1]));
    nameTables = {
      F: firstNameTables(GIRLS_FIRST_NAMES),
      M: firstNameTables(BOYS_FIRST_NAMES),
      surnames: new AliasTable(surnames, weights),
    };
  }
  return nameTables;
}

// ---------------------------------------------------------------------------------------------
// Addresses

interface Address {
  readonly flat: number | null;
  readonly houseNumber: number;
  readonly streetName: string;
  readonly streetType: string;
  readonly postcode: string;
}

function hash32(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
}

const STREET_COUNT = STREET_NAMES.length * STREET_TYPES.length;

/**
 * The postcode of a house: every street lies in one district, and each run of sixteen house numbers
 * shares a unit postcode. Fixed by street and number, never by seed, like a real gazetteer.
 */
function postcodeFor(street: number, houseNumber: number): string {
  const district = POSTCODE_DISTRICTS[hash32(street, 0x51ed) % POSTCODE_DISTRICTS.length] as string;
  const h = hash32(street, Math.floor(houseNumber / 16) + 1);
  const sector = h % 10;
  const unit = INWARD_LETTERS.charAt((h >>> 8) % INWARD_LETTERS.length) + INWARD_LETTERS.charAt((h >>> 16) % INWARD_LETTERS.length);
  return `${district} ${sector}${unit}`;
}

function randomAddress(random: Random): Address {
  const street = random.below(STREET_COUNT);
  const houseNumber = 1 + random.below(random.chance(0.7) ? 60 : 220);
  const flat = random.chance(0.06) ? 1 + random.below(24) : null;
  return {
    flat,
    houseNumber,
    streetName: STREET_NAMES[street % STREET_NAMES.length] as string,
    streetType: STREET_TYPES[Math.floor(street / STREET_NAMES.length)] as string,
    postcode: postcodeFor(street, houseNumber),
  };
}

function addressLine(address: Address, streetName: string, streetType: string): string {
  const house = `${address.houseNumber} ${streetName} ${streetType}`;
  return address.flat === null ? house : `Flat ${address.flat}, ${house}`;
}

// ---------------------------------------------------------------------------------------------
// Typing slips

function isLetter(character: string): boolean {
  return character.toLowerCase() !== character.toUpperCase();
}

const LOWER_LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function nearbyLetter(random: Random, letter: string): string {
  const neighbours = KEYBOARD_NEIGHBOURS[letter];
  return neighbours !== undefined && random.chance(0.8) ? neighbours.charAt(random.below(neighbours.length)) : LOWER_LETTERS.charAt(random.below(26));
}

/**
 * One slip of the keyboard in a name: a letter inserted, deleted or substituted (mostly by a key
 * next to it), or two adjacent letters transposed. The upper-case positions of the original are
 * kept, so "Olivia" becomes "Loivia", not "lOivia". Returns the value unchanged only if no slip
 * could change it, which callers treat as no error.
 */
function typo(value: string, random: Random): string {
  const letters = [...value];
  if (letters.length === 0) return value;
  const upper = letters.map((character) => isLetter(character) && character !== character.toLowerCase());
  const lower = letters.map((character) => character.toLowerCase());
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const chars = [...lower];
    const caps = [...upper];
    const operation = random.below(4);
    const at = random.below(chars.length);
    const here = chars[at] as string;
    if (operation === 0) {
      const neighbour = isLetter(here) ? nearbyLetter(random, here) : LOWER_LETTERS.charAt(random.below(26));
      chars.splice(at + 1, 0, neighbour);
      caps.splice(at + 1, 0, false);
    } else if (operation === 1) {
      if (chars.length <= 2 || !isLetter(here)) continue;
      chars.splice(at, 1);
      caps.splice(at, 1);
      if (at === 0 && upper[0] === true) caps[0] = true;
    } else if (operation === 2) {
      if (!isLetter(here)) continue;
      chars[at] = nearbyLetter(random, here);
    } else {
      const next = chars[at + 1];
      if (next === undefined || !isLetter(here) || !isLetter(next) || next === here) continue;
      chars[at] = next;
      chars[at + 1] = here;
    }
    const result = chars.map((character, i) => (caps[i] === true ? character.toUpperCase() : character)).join('');
    if (result !== value) return result;
  }
  return value;
}

/**
 * One slip in an identifier: a digit substituted, two adjacent characters transposed, or a digit
 * dropped or doubled. The check characters of UPNs and NHS numbers catch every such slip.
 */
function identifierTypo(value: string, random: Random): string {
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const roll = random.next();
    const at = random.below(value.length);
    const here = value.charAt(at);
    let result: string;
    if (roll < 0.6) {
      const isDigit = here >= '0' && here <= '9';
      const replacement = isDigit ? String(random.below(10)) : UPN_ALPHABET.charAt(random.below(UPN_ALPHABET.length));
      result = value.slice(0, at) + replacement + value.slice(at + 1);
    } else if (roll < 0.9) {
      if (at + 1 >= value.length) continue;
      result = value.slice(0, at) + value.charAt(at + 1) + here + value.slice(at + 2);
    } else if (roll < 0.95) {
      result = value.slice(0, at) + value.slice(at + 1);
    } else {
      result = value.slice(0, at) + here + value.slice(at);
    }
    if (result !== value) return result;
  }
  return value;
}

const POSTCODE_DIGITS = '0123456789';

/** A slip that keeps the postcode's shape (a letter for a letter, a digit for a digit), so it looks right. */
function postcodeTypo(postcode: string, random: Random): string {
  const [outward = '', inward = ''] = postcode.split(' ');
  if (random.chance(0.4) && inward.charAt(1) !== inward.charAt(2)) {
    return `${outward} ${inward.charAt(0)}${inward.charAt(2)}${inward.charAt(1)}`;
  }
  const position = random.below(4);
  if (position === 0) {
    const digit = outward.charAt(outward.length - 1);
    let replacement = digit;
    while (replacement === digit) replacement = String(1 + random.below(9));
    return `${outward.slice(0, -1)}${replacement} ${inward}`;
  }
  if (position === 1) {
    let sector = inward.charAt(0);
    while (sector === inward.charAt(0)) sector = POSTCODE_DIGITS.charAt(random.below(10));
    return `${outward} ${sector}${inward.slice(1)}`;
  }
  const index = position - 1;
  let letter = inward.charAt(index);
  while (letter === inward.charAt(index)) letter = INWARD_LETTERS.charAt(random.below(INWARD_LETTERS.length));
  return `${outward} ${inward.slice(0, index)}${letter}${inward.slice(index + 1)}`;
}

// ---------------------------------------------------------------------------------------------
// The generator

interface ResolvedOptions {
  readonly seed: number;
  readonly people: number | null;
  readonly records: number | null;
  readonly duplicateRate: number;
  readonly twinRate: number;
  readonly rates: ErrorRates;
  readonly referenceDays: number;
  readonly reference: CivilDate;
}

function checkRate(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be a number from 0 to 1`);
  return value;
}

function resolveOptions(options: PopulationOptions): ResolvedOptions {
  if (!Number.isSafeInteger(options.seed)) throw new RangeError('seed must be a safe integer');
  const { people, records } = options;
  if ((people === undefined) === (records === undefined)) throw new RangeError('give exactly one of people and records');
  for (const [name, value] of [['people', people], ['records', records]] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new RangeError(`${name} must be a non-negative integer`);
    }
  }
  const profile = options.errorProfile ?? 'realistic';
  let rates: ErrorRates;
  if (typeof profile === 'string') {
    if (!Object.hasOwn(ERROR_PROFILES, profile)) throw new RangeError(`unknown error profile: ${String(profile)}`);
    rates = ERROR_PROFILES[profile];
  } else {
    for (const key of Object.keys(NO_ERRORS) as (keyof ErrorRates)[]) checkRate(`errorProfile.${key}`, profile[key]);
    rates = profile;
  }
  const reference = parseIsoDate(options.referenceDate ?? '2025-09-01');
  return {
    seed: options.seed,
    people: people ?? null,
    records: records ?? null,
    duplicateRate: checkRate('duplicateRate', options.duplicateRate ?? 0.5),
    twinRate: checkRate('twinRate', options.twinRate ?? 0.03),
    rates,
    reference,
    referenceDays: daysFromCivil(reference.year, reference.month, reference.day),
  };
}

/** Family sizes of 1–4 children, weighted towards the sizes of English families with dependent children. */
const CHILD_COUNT_TABLE = new AliasTable([1, 2, 3, 4], [0.4, 0.37, 0.16, 0.07]);

/** Continuation probability for third and later records of a child with duplicates. */
const FURTHER_RECORD = 0.35;
const MAX_RECORDS_PER_PERSON = 6;

interface FamilyTruth {
  readonly familyId: string;
  readonly surname: string;
  readonly origin: NameOrigin;
  readonly address: Address;
  /** Where the family lived before (or lives now, if records lag): used by `moved` errors. */
  readonly otherAddress: Address;
  /** A parent's or step-parent's surname: used by `surnameChanged` and `surnameHyphenated`. */
  readonly otherSurname: string;
}

interface ChildTruth {
  readonly person: SyntheticPerson;
  readonly birth: CivilDate;
}

class PopulationGenerator {
  readonly #options: ResolvedOptions;
  readonly #tables = getNameTables();
  readonly #identifiers: IdentifierAllocator;
  #familyIndex = 0;
  #personIndex = 0;
  #recordIndex = 0;
  #peopleWithRecords = 0;

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.#identifiers = new IdentifierAllocator(options.seed);
  }

  *families(): Generator<SyntheticFamily, void, undefined> {
    const { people, records } = this.#options;
    while (people !== null ? this.#peopleWithRecords < people : this.#recordIndex < (records ?? 0)) {
      yield this.#family(people === null ? Infinity : people - this.#peopleWithRecords);
    }
  }

  #family(maxChildren: number): SyntheticFamily {
    this.#familyIndex += 1;
    const familyNumber = this.#familyIndex;
    // Structure and noise draw from separate streams so that the error profile cannot change who
    // is in the population or which records they have.
    const random = new Random(this.#options.seed, familyNumber, 0);
    const noise = new Random(this.#options.seed, familyNumber, 1);

    const [surname, origin] = this.#surname(random);
    const sameOrigin = random.chance(0.7);
    let otherSurname = surname;
    for (let attempt = 0; attempt < 10 && otherSurname === surname; attempt += 1) {
      [otherSurname] = sameOrigin ? this.#surnameOfOrigin(random, origin) : this.#surname(random);
    }
    const family: FamilyTruth = {
      familyId: `F${familyNumber}`,
      surname,
      origin,
      address: randomAddress(random),
      otherAddress: randomAddress(random),
      otherSurname,
    };
    const children = this.#children(random, family, Math.min(maxChildren, CHILD_COUNT_TABLE.sample(random)));

    const records: { child: ChildTruth; source: SourceName }[] = [];
    for (const child of children) {
      for (const source of this.#sourcesFor(random, child.person)) records.push({ child, source });
    }
    random.shuffle(records);
    const limit = this.#options.records;
    const kept = limit === null ? records : records.slice(0, Math.max(0, limit - this.#recordIndex));

    const siblings = children.map((child) => child.person);
    const built = kept.map(({ child, source }) => {
      this.#recordIndex += 1;
      return this.#record(random, noise, family, child, siblings, source, `R${this.#recordIndex}`);
    });
    this.#peopleWithRecords += new Set(built.map((record) => record.personId)).size;
    return { familyId: family.familyId, children: siblings, records: built };
  }

  #surname(random: Random): readonly [string, NameOrigin] {
    const entry = this.#tables.surnames.sample(random);
    return entry === null ? composeRareSurname(random) : [entry[0], entry[2]];
  }

  #surnameOfOrigin(random: Random, origin: NameOrigin): readonly [string, NameOrigin] {
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const candidate = this.#surname(random);
      if (candidate[1] === origin) return candidate;
    }
    return this.#surname(random);
  }

  #children(random: Random, family: FamilyTruth, count: number): ChildTruth[] {
    const twinAt = count >= 2 && random.chance(this.#options.twinRate) ? random.below(count - 1) : -1;
    // Births at least 11 months apart (twins on the same day). The family's births are placed
    // anywhere that leaves at least one child aged 0–17 at the reference date; older brothers and
    // sisters are adults and not in the population. Placing the eldest only where every child fits
    // would crowd children into the middle ages.
    const offsets = [0];
    for (let i = 1; i < count; i += 1) {
      const gap = i - 1 === twinAt ? 0 : 330 + random.below(1500);
      offsets.push((offsets[i - 1] as number) + gap);
    }
    const span = offsets[count - 1] as number;
    const { reference, referenceDays } = this.#options;
    const earliest = daysFromCivil(reference.year - 18, reference.month, reference.day) + 1;
    // At least a week old, so every child has been registered somewhere.
    const latest = referenceDays - 7;
    let first = 0;
    let inWindow: number[] = [];
    for (let attempt = 0; attempt < 50 && inWindow.length === 0; attempt += 1) {
      first = earliest - span + random.below(latest - earliest + span + 1);
      inWindow = offsets.map((_, i) => i).filter((i) => {
        const day = first + (offsets[i] as number);
        return day >= earliest && day <= latest;
      });
    }
    if (inWindow.length === 0) {
      first = earliest;
      inWindow = [0];
    }

    const children: ChildTruth[] = [];
    const schoolIndex = random.below(PRIMARY_SCHOOL_COUNT);
    const nhsHeld = (): boolean => random.chance(0.98);
    for (const i of inWindow) {
      const birth = civilFromDays(first + (offsets[i] as number));
      const twin = i - 1 === twinAt ? children[children.length - 1] : undefined;
      const sex: Sex =
        twin !== undefined && random.chance(0.3) ? twin.person.sex : random.chance(0.512) ? 'M' : 'F';
      const firstName = this.#firstName(random, sex, family, children);
      this.#personIndex += 1;
      const personId = `P${this.#personIndex}`;
      const upn = this.#upn(random, birth, schoolIndex);
      const nhsNumber = nhsHeld() ? this.#identifiers.nextNhsNumber() : null;
      const person: SyntheticPerson = {
        personId,
        familyId: family.familyId,
        firstName,
        surname: family.surname,
        sex,
        dateOfBirth: formatDate(birth, 'iso'),
        addressLine1: addressLine(family.address, family.address.streetName, family.address.streetType),
        postcode: family.address.postcode,
        upn,
        nhsNumber,
        twinOf: twin?.person.personId ?? null,
      };
      if (twin !== undefined) {
        // Both twins point at each other; the elder was created before the younger's id existed.
        children[children.length - 1] = { birth: twin.birth, person: { ...twin.person, twinOf: personId } };
      }
      children.push({ person, birth });
    }
    return children;
  }

  #firstName(random: Random, sex: Sex, family: FamilyTruth, siblings: readonly ChildTruth[]): string {
    const tables = this.#tables[sex];
    const own = tables.byOrigin.get(family.origin);
    let name = '';
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const table = own !== undefined && random.chance(OWN_ORIGIN_FIRST_NAME[family.origin]) ? own : tables.all;
      name = table.sample(random);
      if (siblings.some((sibling) => areFirstNameVariants(sibling.person.firstName, name))) continue;
      if (WELL_KNOWN_FULL_NAMES.has(`${name} ${family.surname}`)) continue;
      return name;
    }
    return name;
  }

  /**
   * Children get a UPN when they start reception, in the September after they turn four; about one
   * in ten arrive later in their school life and get one then.
   */
  #upn(random: Random, birth: CivilDate, schoolIndex: number): string | null {
    const academicYearOfBirth = birth.month >= 9 ? birth.year : birth.year - 1;
    const receptionYear = academicYearOfBirth + 5;
    const { reference } = this.#options;
    const lastStart = reference.month >= 9 ? reference.year : reference.year - 1;
    const late = random.chance(0.1);
    if (receptionYear > lastStart) return null;
    const year = late ? receptionYear + random.below(lastStart - receptionYear + 1) : receptionYear;
    return this.#identifiers.allocateUpn(late ? random.below(PRIMARY_SCHOOL_COUNT) : schoolIndex, year);
  }

  #sourcesFor(random: Random, person: SyntheticPerson): SourceName[] {
    let count = 1;
    if (random.chance(this.#options.duplicateRate)) {
      count = 2;
      while (count < MAX_RECORDS_PER_PERSON && random.chance(FURTHER_RECORD)) count += 1;
    }
    const eligible = SOURCES.filter((source) => source !== 'school' || person.upn !== null);
    const sources: SourceName[] = [];
    for (let i = 0; i < count; i += 1) {
      // Mostly a source the child is not in yet; sometimes a second record in the same one, as
      // when a child is registered twice.
      const unused = eligible.filter((source) => !sources.includes(source));
      const pool = unused.length > 0 && random.chance(0.85) ? unused : eligible;
      sources.push(pickSource(random, pool));
    }
    return sources;
  }

  #record(
    random: Random,
    noise: Random,
    family: FamilyTruth,
    child: ChildTruth,
    siblings: readonly SyntheticPerson[],
    source: SourceName,
    recordId: string,
  ): SyntheticRecord {
    const { person, birth } = child;
    const rates = this.#options.rates;
    const profile = SOURCE_PROFILES[source];
    const errors: ErrorCode[] = [];
    // Whether the source holds each number is structure, so it comes from the structure stream.
    const holdsUpn = random.chance(profile.holdsUpn);
    const holdsNhs = random.chance(profile.holdsNhs);

    // First name
    let firstName = person.firstName;
    if (noise.chance(rates.firstNameMissing)) {
      firstName = '';
      errors.push('first_name_missing');
    } else {
      const variants = FIRST_NAME_VARIANTS.get(firstName);
      if (variants !== undefined && noise.chance(rates.firstNameVariant)) {
        firstName = noise.pick(variants);
        errors.push('first_name_variant');
      }
      const misspellings = FIRST_NAME_MISSPELLINGS[firstName];
      if (misspellings !== undefined && noise.chance(rates.firstNameMisspelling)) {
        firstName = noise.pick(misspellings);
        errors.push('first_name_misspelling');
      }
      if (noise.chance(rates.firstNameTypo)) {
        const slipped = typo(firstName, noise);
        if (slipped !== firstName) {
          firstName = slipped;
          errors.push('first_name_typo');
        }
      }
      const nicknames = FIRST_NAME_VARIANTS.get(firstName);
      if (nicknames !== undefined && noise.chance(rates.firstNameWithNickname)) {
        const nickname = noise.pick(nicknames);
        firstName = noise.chance(0.5) ? `${firstName} (${nickname})` : `${firstName} "${nickname}"`;
        errors.push('first_name_with_nickname');
      }
    }

    // Surname
    let surname = family.surname;
    if (noise.chance(rates.surnameMissing)) {
      surname = '';
      errors.push('surname_missing');
    } else {
      if (noise.chance(rates.surnameChanged)) {
        surname = family.otherSurname;
        errors.push('surname_changed');
      } else if (noise.chance(rates.surnameHyphenated)) {
        surname = noise.chance(0.5) ? `${surname}-${family.otherSurname}` : `${family.otherSurname}-${surname}`;
        errors.push('surname_hyphenated');
      }
      const variants = SURNAME_VARIANTS.get(surname);
      if (variants !== undefined && noise.chance(rates.surnameVariant)) {
        surname = noise.pick(variants);
        errors.push('surname_variant');
      }
      if (noise.chance(rates.surnameTypo)) {
        const slipped = typo(surname, noise);
        if (slipped !== surname) {
          surname = slipped;
          errors.push('surname_typo');
        }
      }
      if (profile.upperCaseSurname) surname = surname.toUpperCase();
    }
    if (firstName !== '' && surname !== '' && noise.chance(rates.namesSwapped)) {
      [firstName, surname] = [surname, firstName];
      errors.push('names_swapped');
    }

    // Date of birth
    let dateOfBirth: string;
    if (noise.chance(rates.dateOfBirthMissing)) {
      dateOfBirth = '';
      errors.push('date_of_birth_missing');
    } else {
      let date = birth;
      if (date.day <= 12 && date.day !== date.month && noise.chance(rates.dateOfBirthDayMonthSwapped)) {
        date = { year: date.year, month: date.day, day: date.month };
        errors.push('date_of_birth_day_month_swapped');
      }
      if (noise.chance(rates.dateOfBirthDigit)) {
        const changed = dateDigitError(date, noise, this.#options.reference.year);
        if (changed !== null) {
          date = changed;
          errors.push('date_of_birth_digit');
        }
      }
      dateOfBirth = formatDate(date, profile.dateFormat);
    }

    // Sex
    let sex: string = person.sex;
    if (noise.chance(rates.sexMissing)) {
      sex = '';
      errors.push('sex_missing');
    } else if (noise.chance(rates.sexWrong)) {
      sex = person.sex === 'F' ? 'M' : 'F';
      errors.push('sex_wrong');
    }

    // Address and postcode
    let address = family.address;
    if (noise.chance(rates.moved)) {
      address = family.otherAddress;
      errors.push('moved');
    }
    let addressLine1: string;
    if (noise.chance(rates.addressMissing)) {
      addressLine1 = '';
      errors.push('address_missing');
    } else {
      let streetType = address.streetType;
      const abbreviation = STREET_TYPE_ABBREVIATIONS[streetType];
      if (abbreviation !== undefined && noise.chance(rates.addressAbbreviated)) {
        streetType = abbreviation;
        errors.push('address_abbreviated');
      }
      let streetName = address.streetName;
      if (noise.chance(rates.addressTypo)) {
        const slipped = typo(streetName, noise);
        if (slipped !== streetName) {
          streetName = slipped;
          errors.push('address_typo');
        }
      }
      addressLine1 = addressLine(address, streetName, streetType);
    }
    let postcode: string;
    if (noise.chance(rates.postcodeMissing)) {
      postcode = '';
      errors.push('postcode_missing');
    } else if (noise.chance(rates.postcodeTypo)) {
      postcode = postcodeTypo(address.postcode, noise);
      errors.push('postcode_typo');
    } else {
      postcode = address.postcode;
    }

    // UPN
    let upn = '';
    if (holdsUpn && person.upn !== null) {
      const otherUpn = siblings.find((sibling) => sibling.personId !== person.personId && sibling.upn !== null)?.upn;
      if (noise.chance(rates.upnMissing)) {
        errors.push('upn_missing');
      } else if (typeof otherUpn === 'string' && noise.chance(rates.upnOtherChild)) {
        upn = otherUpn;
        errors.push('upn_other_child');
      } else if (noise.chance(rates.upnTemporary)) {
        upn = randomTemporaryUpn(noise, this.#options.reference.year);
        errors.push('upn_temporary');
      } else if (noise.chance(rates.upnTypo)) {
        upn = identifierTypo(person.upn, noise);
        errors.push('upn_typo');
      } else {
        upn = person.upn;
      }
    }

    // NHS number
    let nhsNumber = '';
    if (holdsNhs && person.nhsNumber !== null) {
      const otherNhs = siblings.find((s) => s.personId !== person.personId && s.nhsNumber !== null)?.nhsNumber;
      if (noise.chance(rates.nhsMissing)) {
        errors.push('nhs_missing');
      } else if (typeof otherNhs === 'string' && noise.chance(rates.nhsOtherChild)) {
        nhsNumber = otherNhs;
        errors.push('nhs_other_child');
      } else if (noise.chance(rates.nhsTypo)) {
        nhsNumber = identifierTypo(person.nhsNumber, noise);
        errors.push('nhs_typo');
      } else {
        nhsNumber = person.nhsNumber;
      }
      if (profile.spacedNhs && nhsNumber.length === 10) {
        nhsNumber = `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`;
      }
    }

    return {
      recordId,
      personId: person.personId,
      source,
      firstName,
      surname,
      dateOfBirth,
      sex,
      addressLine1,
      postcode,
      upn,
      nhsNumber,
      errors,
      person,
    };
  }
}

function pickSource(random: Random, pool: readonly SourceName[]): SourceName {
  let total = 0;
  for (const source of pool) total += SOURCE_PROFILES[source].weight;
  let roll = random.next() * total;
  for (const source of pool) {
    roll -= SOURCE_PROFILES[source].weight;
    if (roll < 0) return source;
  }
  return pool[pool.length - 1] as SourceName;
}

/** One digit of the date changed so that it is still a real date (2014-03-09 → 2014-08-09, 2016-03-09). */
function dateDigitError(date: CivilDate, random: Random, maxYear: number): CivilDate | null {
  // A slip that gives a date decades out is caught by any system's validation; these are the ones that get through.
  const minYear = maxYear - 25;
  const digits = formatDate(date, 'compact');
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const at = random.below(8);
    const replacement = String(random.below(10));
    if (replacement === digits.charAt(at)) continue;
    const changed = digits.slice(0, at) + replacement + digits.slice(at + 1);
    const year = Number(changed.slice(0, 4));
    const month = Number(changed.slice(4, 6));
    const day = Number(changed.slice(6, 8));
    if (year < minYear || year > maxYear || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) continue;
    return { year, month, day };
  }
  return null;
}

/**
 * Families one at a time, each with its children (the truth) and their records. Memory stays flat
 * however large the population, apart from the UPN serial counters.
 */
export function* generateFamilies(options: PopulationOptions): Generator<SyntheticFamily, void, undefined> {
  const generator = new PopulationGenerator(resolveOptions(options));
  yield* generator.families();
}

/**
 * Every record of a population, in file order. Records of one family are adjacent (shuffled within
 * the family), so shuffle the file if the method under test could take advantage of row order.
 */
export function* generatePopulation(options: PopulationOptions): Generator<SyntheticRecord, void, undefined> {
  for (const family of generateFamilies(options)) yield* family.records;
}

/**
 * Throws the same RangeError generateFamilies would for bad options, without generating anything:
 * lets a command line reject its arguments before opening output files.
 */
export function validatePopulationOptions(options: PopulationOptions): void {
  resolveOptions(options);
}

// ---------------------------------------------------------------------------------------------
// Streaming CSV

/** Where writePopulationCsv sends records: everything, and/or the two halves for link mode. */
export interface CsvSinks {
  readonly all?: Writable;
  /** Records from SPLIT_SIDE 'left' sources (school, register). */
  readonly left?: Writable;
  /** Records from SPLIT_SIDE 'right' sources (GP, social care). */
  readonly right?: Writable;
}

export interface WriteOptions extends PopulationOptions {
  /** Adds an `errors` column listing what was done to each record; off by default. */
  readonly includeErrors?: boolean;
}

/** Counts that describe a generated population, for reports and for checking a run. */
export interface PopulationSummary {
  readonly records: number;
  /** Children with at least one record. */
  readonly people: number;
  readonly families: number;
  /** Twin pairs where both twins have records. */
  readonly twinPairs: number;
  /** Pairs of records of the same child: what a deduplication should find. */
  readonly truePairs: number;
  /** The same population split into education (left) and health and care (right) records. */
  readonly link: {
    readonly leftRecords: number;
    readonly rightRecords: number;
    readonly leftPeople: number;
    readonly rightPeople: number;
    /** Children with records on both sides. */
    readonly sharedPeople: number;
    /** Pairs of one left and one right record of the same child: what linking should find. */
    readonly truePairs: number;
  };
}

/** One CSV line (with its newline) for a record. */
export function recordToCsvLine(record: SyntheticRecord, includeErrors = false): string {
  const line =
    `${record.recordId},${record.personId},${record.source},${csvField(record.firstName)},` +
    `${csvField(record.surname)},${record.dateOfBirth},${record.sex},${csvField(record.addressLine1)},` +
    `${record.postcode},${record.upn},${record.nhsNumber}`;
  return includeErrors ? `${line},${record.errors.join(';')}\n` : `${line}\n`;
}

/** The header line of every generated file. */
export function csvHeader(includeErrors = false): string {
  return (includeErrors ? [...CSV_COLUMNS, ERRORS_COLUMN] : CSV_COLUMNS).join(',') + '\n';
}

const CHUNK_CHARACTERS = 1 << 16;

/** Batches lines into large writes and waits for 'drain' when the stream asks it to. */
class BufferedSink {
  readonly #stream: Writable;
  #buffer = '';

  constructor(stream: Writable) {
    this.#stream = stream;
  }

  add(text: string): void {
    this.#buffer += text;
  }

  /** Writes the buffer once it is large (or always, at the end), waiting if the stream is full. */
  async flush(force = false): Promise<void> {
    if (this.#buffer === '' || (!force && this.#buffer.length < CHUNK_CHARACTERS)) return;
    const chunk = this.#buffer;
    this.#buffer = '';
    if (!this.#stream.write(chunk)) await once(this.#stream, 'drain');
  }
}

function isWritable(value: Writable | CsvSinks): value is Writable {
  return typeof (value as Partial<Writable>).write === 'function';
}

/**
 * Generates a population and writes it as CSV, family by family, to one stream or to a whole file
 * and/or a left and right file for link mode. Respects backpressure, so memory stays flat for any
 * number of records. Does not end the streams: the caller opened them and closes them.
 */
export async function writePopulationCsv(options: WriteOptions, out: Writable | CsvSinks): Promise<PopulationSummary> {
  const sinks: CsvSinks = isWritable(out) ? { all: out } : out;
  const includeErrors = options.includeErrors ?? false;
  const all = sinks.all === undefined ? null : new BufferedSink(sinks.all);
  const left = sinks.left === undefined ? null : new BufferedSink(sinks.left);
  const right = sinks.right === undefined ? null : new BufferedSink(sinks.right);
  const header = csvHeader(includeErrors);
  const active = [all, left, right].filter((sink) => sink !== null);
  for (const sink of active) sink.add(header);

  let records = 0;
  let people = 0;
  let families = 0;
  let twinPairs = 0;
  let truePairs = 0;
  let leftRecords = 0;
  let rightRecords = 0;
  let leftPeople = 0;
  let rightPeople = 0;
  let sharedPeople = 0;
  let crossPairs = 0;

  for (const family of generateFamilies(options)) {
    families += 1;
    const perPerson = new Map<string, { left: number; right: number }>();
    for (const record of family.records) {
      const line = recordToCsvLine(record, includeErrors);
      all?.add(line);
      let counts = perPerson.get(record.personId);
      if (counts === undefined) {
        counts = { left: 0, right: 0 };
        perPerson.set(record.personId, counts);
      }
      if (SPLIT_SIDE[record.source] === 'left') {
        counts.left += 1;
        leftRecords += 1;
        left?.add(line);
      } else {
        counts.right += 1;
        rightRecords += 1;
        right?.add(line);
      }
    }
    records += family.records.length;
    for (const sink of active) await sink.flush();
    for (const { left: l, right: r } of perPerson.values()) {
      const total = l + r;
      people += 1;
      truePairs += (total * (total - 1)) / 2;
      crossPairs += l * r;
      if (l > 0) leftPeople += 1;
      if (r > 0) rightPeople += 1;
      if (l > 0 && r > 0) sharedPeople += 1;
    }
    family.children.forEach((child, i) => {
      // Count each pair once, from the elder twin (born first, so listed first), and only when
      // both twins are in the output.
      const younger = family.children[i + 1];
      if (child.twinOf === null || younger?.personId !== child.twinOf) return;
      if (perPerson.has(child.personId) && perPerson.has(child.twinOf)) twinPairs += 1;
    });
  }
  for (const sink of active) await sink.flush(true);
  return {
    records,
    people,
    families,
    twinPairs,
    truePairs,
    link: { leftRecords, rightRecords, leftPeople, rightPeople, sharedPeople, truePairs: crossPairs },
  };
}
