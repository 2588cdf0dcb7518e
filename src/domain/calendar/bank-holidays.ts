/**
 * Bank holidays in the format GOV.UK publishes at https://www.gov.uk/bank-holidays.json, so an
 * authority can drop in the newest file when holidays are announced without waiting for a
 * release. A copy for England and Wales ships with Cairn.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isRealIsoDate, type IsoDate } from './working-days.ts';

/** The division Cairn uses: English local authorities follow the England and Wales holidays. */
export const ENGLAND_AND_WALES = 'england-and-wales';

export interface BankHoliday {
  date: IsoDate;
  title: string;
}

export interface BankHolidays {
  division: string;
  holidays: BankHoliday[];
}

/** Raised for a file that is not usable; the message names the first problem for the person fixing it. */
export class BankHolidayFileError extends Error {
  override name = 'BankHolidayFileError';
}

const eventSchema = z
  .object(
    {
      title: z.string({ error: 'has no title' }).trim().min(1, { error: 'has a blank title' }),
      date: z
        .string({ error: 'has no date' })
        .refine(isRealIsoDate, { error: (issue) => `has a date that is not a real date: ${JSON.stringify(issue.input)}` }),
      notes: z.string({ error: 'has notes that are not text' }).optional(),
      bunting: z.boolean({ error: 'has a "bunting" value that is not true or false' }).optional(),
    },
    { error: 'is not an object' },
  )
  .loose();

/** One division, e.g. `{ "division": "england-and-wales", "events": [...] }`. Unknown fields are allowed. */
export const bankHolidayDivisionSchema = z
  .object({
    division: z.string({ error: 'The bank holiday file has no "division" name' }).trim().min(1, {
      error: 'The bank holiday file has a blank "division" name',
    }),
    events: z
      .array(eventSchema, {
        error: (issue) =>
          issue.input === undefined
            ? 'The bank holiday file has no "events" list'
            : 'The "events" in the bank holiday file must be a list',
      })
      .min(1, { error: 'The bank holiday file has an empty "events" list' }),
  })
  .loose();

/** The whole GOV.UK file, keyed by division; only England and Wales is read, the others may be anything. */
export const bankHolidayFileSchema = z
  .object({
    [ENGLAND_AND_WALES]: z
      .custom<Record<string, unknown>>(isPlainObject, {
        error: `The "${ENGLAND_AND_WALES}" division in the bank holiday file must be a JSON object`,
      })
      .pipe(bankHolidayDivisionSchema),
  })
  .loose();

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path[0] === ENGLAND_AND_WALES ? issue.path.slice(1) : issue.path;
  const [first, index] = path;
  if (first === 'events' && typeof index === 'number') return `Event ${String(index + 1)} ${issue.message}`;
  return issue.message;
}

function checked<T>(result: z.ZodSafeParseResult<T>): T {
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  throw new BankHolidayFileError(issue === undefined ? 'The bank holiday file is not valid' : describeIssue(issue));
}

/**
 * Reads either the whole GOV.UK file (taking the England and Wales division) or a single
 * division. Dates must exist in the calendar; repeated dates are kept once, with the first title,
 * and the result is sorted by date.
 */
export function parseBankHolidays(json: unknown): BankHolidays {
  if (!isPlainObject(json)) {
    throw new BankHolidayFileError(
      'The bank holiday file must be a JSON object, like the one published at https://www.gov.uk/bank-holidays.json',
    );
  }
  const data = Object.hasOwn(json, ENGLAND_AND_WALES)
    ? checked(bankHolidayFileSchema.safeParse(json))[ENGLAND_AND_WALES]
    : checked(bankHolidayDivisionSchema.safeParse(json));
  const byDate = new Map<IsoDate, string>();
  for (const event of data.events) {
    if (!byDate.has(event.date)) byDate.set(event.date, event.title);
  }
  const holidays = [...byDate]
    .map(([date, title]) => ({ date, title }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { division: data.division, holidays };
}

/** The England and Wales bank holidays shipped with Cairn, read once when the module loads. */
export const SHIPPED_BANK_HOLIDAYS: BankHolidays = parseBankHolidays(
  JSON.parse(readFileSync(new URL('./data/bank-holidays-england-and-wales.json', import.meta.url), 'utf8')),
);
