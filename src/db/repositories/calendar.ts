import { and, asc, eq, gte, inArray, lte } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { bankHolidays } from '../schema/index.ts';
import { SHIPPED_BANK_HOLIDAYS, WorkingDayCalendar, type BankHoliday, type IsoDate } from '../../domain/calendar/index.ts';

const SHIPPED_DATES: ReadonlySet<IsoDate> = new Set(SHIPPED_BANK_HOLIDAYS.holidays.map((holiday) => holiday.date));

/**
 * The working-day calendar deadlines are counted on: the bank holidays shipped with Cairn plus
 * every one an operator has imported. Read fresh each time (one small query), so an import is
 * used at once by every process without a restart.
 */
export async function loadWorkingDayCalendar(executor: Executor): Promise<WorkingDayCalendar> {
  const imported = await executor.select({ date: bankHolidays.date }).from(bankHolidays);
  return new WorkingDayCalendar([...SHIPPED_DATES, ...imported.map((row) => row.date)]);
}

/**
 * Adds bank holidays from a newer GOV.UK file. Running it again with the same file changes
 * nothing: a date already shipped or already imported counts as already known, though an
 * imported date's title follows the newest file (GOV.UK sometimes renames a holiday).
 */
export async function importBankHolidays(executor: Executor, holidays: readonly BankHoliday[]): Promise<{ added: number; alreadyKnown: number }> {
  const byDate = new Map<IsoDate, string>();
  for (const holiday of holidays) if (!byDate.has(holiday.date)) byDate.set(holiday.date, holiday.title);
  const candidates = [...byDate].filter(([date]) => !SHIPPED_DATES.has(date));
  const existing =
    candidates.length === 0
      ? []
      : await executor
          .select({ date: bankHolidays.date, title: bankHolidays.title })
          .from(bankHolidays)
          .where(inArray(bankHolidays.date, candidates.map(([date]) => date)));
  const known = new Map(existing.map((row) => [row.date, row.title]));
  const fresh = candidates.filter(([date]) => !known.has(date)).map(([date, title]) => ({ date, title }));
  let added = 0;
  if (fresh.length > 0) {
    // Another import running at the same moment may have added some; those count as known.
    const inserted = await executor.insert(bankHolidays).values(fresh).onConflictDoNothing().returning({ date: bankHolidays.date });
    added = inserted.length;
  }
  for (const [date, title] of candidates) {
    const current = known.get(date);
    if (current !== undefined && current !== title) await executor.update(bankHolidays).set({ title }).where(eq(bankHolidays.date, date));
  }
  return { added, alreadyKnown: byDate.size - added };
}

export interface CalendarBankHoliday extends BankHoliday {
  /** Shipped with Cairn, or imported by an operator. */
  source: 'shipped' | 'imported';
}

/** The bank holidays Cairn counts in a year, shipped and imported together, in date order. */
export async function listBankHolidays(executor: Executor, year: number): Promise<CalendarBankHoliday[]> {
  const from = `${String(year).padStart(4, '0')}-01-01`;
  const to = `${String(year).padStart(4, '0')}-12-31`;
  const byDate = new Map<IsoDate, CalendarBankHoliday>();
  for (const holiday of SHIPPED_BANK_HOLIDAYS.holidays) {
    if (holiday.date >= from && holiday.date <= to) byDate.set(holiday.date, { ...holiday, source: 'shipped' });
  }
  const imported = await executor
    .select({ date: bankHolidays.date, title: bankHolidays.title })
    .from(bankHolidays)
    .where(and(gte(bankHolidays.date, from), lte(bankHolidays.date, to)))
    .orderBy(asc(bankHolidays.date));
  for (const row of imported) if (!byDate.has(row.date)) byDate.set(row.date, { ...row, source: 'imported' });
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
