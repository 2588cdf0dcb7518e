/**
 * Calendar arithmetic for statutory deadlines, which are set in working days in England (Monday to
 * Friday, excluding bank holidays) or in calendar days, months and years.
 *
 * Every date is an ISO `YYYY-MM-DD` string and all arithmetic is done on UTC midnights, so the
 * server's time zone and the clocks changing can never move a deadline by a day.
 */

/** A calendar date with no time or zone, written `YYYY-MM-DD`. */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;

const ISO_DATE_PATTERN = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Date.UTC maps years 0–99 to 1900–1999, so the year is set separately to keep it literal. */
function utcMillis(year: number, monthIndex: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date.getTime();
}

function splitIsoDate(s: string): DateParts | null {
  const match = ISO_DATE_PATTERN.exec(s);
  if (!match) return null;
  const [, y, m, d] = match;
  if (y === undefined || m === undefined || d === undefined) return null;
  return { year: Number(y), month: Number(m), day: Number(d) };
}

/**
 * True only for a `YYYY-MM-DD` string naming a day that exists, so 2027-02-30 or 2026-13-01 are
 * refused rather than silently rolled over into the next month.
 */
export function isRealIsoDate(s: string): boolean {
  const parts = splitIsoDate(s);
  if (parts === null || parts.month < 1 || parts.month > 12 || parts.day < 1) return false;
  return parts.day <= daysInMonth(parts.year, parts.month);
}

function parts(date: IsoDate): DateParts {
  const result = isRealIsoDate(date) ? splitIsoDate(date) : null;
  if (result === null) throw new RangeError(`Not a real date in the form YYYY-MM-DD: ${JSON.stringify(date)}`);
  return result;
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcMillis(year, month, 0)).getUTCDate();
}

/** Days since 1970-01-01, the one representation all the arithmetic works in. */
function toDayNumber(date: IsoDate): number {
  const { year, month, day } = parts(date);
  return Math.round(utcMillis(year, month - 1, day) / MS_PER_DAY);
}

function fromDayNumber(dayNumber: number): IsoDate {
  const date = new Date(dayNumber * MS_PER_DAY);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError('Date is outside the years 0000 to 9999');
  return formatParts(year, date.getUTCMonth() + 1, date.getUTCDate());
}

function formatParts(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** 0 is Sunday, 6 is Saturday; 1970-01-01 (day 0) was a Thursday. */
function weekday(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

function requireInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a whole number, not ${String(n)}`);
}

/** The date n calendar days after (or, for negative n, before) the given date. */
export function addCalendarDays(date: IsoDate, n: number): IsoDate {
  requireInteger(n, 'The number of days');
  return fromDayNumber(toDayNumber(date) + n);
}

/**
 * The same day of the month n months later (or earlier), clamped to the end of a shorter month:
 * a month after 31 January is the last day of February, never a day in March.
 */
export function addMonths(date: IsoDate, n: number): IsoDate {
  requireInteger(n, 'The number of months');
  const { year, month, day } = parts(date);
  const monthIndex = (month - 1) + n;
  const targetYear = year + Math.floor(monthIndex / 12);
  const targetMonth = (((monthIndex % 12) + 12) % 12) + 1;
  if (targetYear < 0 || targetYear > 9999) throw new RangeError('Date is outside the years 0000 to 9999');
  return formatParts(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** n years later (or earlier); 29 February becomes 28 February in a year that has no 29th. */
export function addYears(date: IsoDate, n: number): IsoDate {
  requireInteger(n, 'The number of years');
  return addMonths(date, n * 12);
}

/** Calendar days from a to b: positive when b is later, negative when it is earlier. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

const LONDON_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The calendar date in England at the given instant. Deadlines run from the local date, and
 * between midnight and 1am in summer the UTC date is still the day before.
 */
export function todayIn(now: Date): IsoDate {
  if (Number.isNaN(now.getTime())) throw new RangeError('todayIn needs a valid Date');
  let year = '';
  let month = '';
  let day = '';
  for (const part of LONDON_DATE.formatToParts(now)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return formatParts(Number(year), Number(month), Number(day));
}

/** GOV.UK style, e.g. `3 March 2027`: no leading zero, full month name. */
export function formatLongDate(date: IsoDate): string {
  const { year, month, day } = parts(date);
  return `${String(day)} ${MONTH_NAMES[month - 1] ?? ''} ${String(year)}`;
}

/** GOV.UK style with the weekday, e.g. `Wednesday 3 March 2027`, for deadlines people act on. */
export function formatLongDateWithDay(date: IsoDate): string {
  return `${WEEKDAY_NAMES[weekday(toDayNumber(date))] ?? ''} ${formatLongDate(date)}`;
}

/**
 * Working days in England: Monday to Friday, excluding the bank holidays it is given. Bank
 * holidays are announced only a year or two ahead, so the calendar also says how far its data
 * reaches and callers can warn when a deadline falls beyond it.
 */
export class WorkingDayCalendar {
  readonly #holidays: ReadonlySet<IsoDate>;
  readonly #lastYear: number | null;

  constructor(holidays: readonly IsoDate[]) {
    let lastYear: number | null = null;
    for (const holiday of holidays) {
      const { year } = parts(holiday);
      if (lastYear === null || year > lastYear) lastYear = year;
    }
    this.#holidays = new Set(holidays);
    this.#lastYear = lastYear;
  }

  /** Monday to Friday and not a bank holiday. */
  isWorkingDay(date: IsoDate): boolean {
    return this.#isWorkingDayNumber(toDayNumber(date));
  }

  /**
   * The date n working days after the given date. The date itself never counts, so day 1 is the
   * next working day; n = 0 returns the date unchanged, even when it is not a working day.
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    requireInteger(n, 'The number of working days');
    if (n < 0) throw new RangeError(`The number of working days cannot be negative, not ${String(n)}`);
    let dayNumber = toDayNumber(date);
    let remaining = n;
    while (remaining > 0) {
      dayNumber += 1;
      if (this.#isWorkingDayNumber(dayNumber)) remaining -= 1;
    }
    return fromDayNumber(dayNumber);
  }

  /** Working days after `from` up to and including `to`; 0 when `to` is not after `from`. */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const end = toDayNumber(to);
    let count = 0;
    for (let dayNumber = toDayNumber(from) + 1; dayNumber <= end; dayNumber += 1) {
      if (this.#isWorkingDayNumber(dayNumber)) count += 1;
    }
    return count;
  }

  /** The date itself when it is a working day, otherwise the first working day after it. */
  nextWorkingDayOnOrAfter(date: IsoDate): IsoDate {
    let dayNumber = toDayNumber(date);
    while (!this.#isWorkingDayNumber(dayNumber)) dayNumber += 1;
    return fromDayNumber(dayNumber);
  }

  /** The latest year with any bank holiday in the data, or null when there are none. */
  coveredUntil(): number | null {
    return this.#lastYear;
  }

  /**
   * Whether the bank-holiday data reaches the date's year. Beyond it the calendar still answers,
   * but only weekends are excluded, so a deadline there may be a day or two early.
   */
  isCovered(date: IsoDate): boolean {
    return this.#lastYear !== null && parts(date).year <= this.#lastYear;
  }

  #isWorkingDayNumber(dayNumber: number): boolean {
    const day = weekday(dayNumber);
    return day !== 0 && day !== 6 && !this.#holidays.has(fromDayNumber(dayNumber));
  }
}
