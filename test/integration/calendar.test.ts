import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bankHolidays } from '../../src/db/schema/index.ts';
import { importBankHolidays, listBankHolidays, loadWorkingDayCalendar } from '../../src/db/repositories/calendar.ts';
import { SHIPPED_BANK_HOLIDAYS } from '../../src/domain/calendar/index.ts';
import { createThrowAwayDatabase, ENGINES, type ThrowAwayDatabase } from '../support/databases.ts';

describe.each(ENGINES)('the working-day calendar from shipped and imported bank holidays on %s', (engine) => {
  let throwAway: ThrowAwayDatabase;
  const db = () => throwAway.database.db;

  beforeAll(async () => {
    throwAway = await createThrowAwayDatabase(engine);
  });
  afterAll(async () => {
    await throwAway?.drop();
  });

  test('with nothing imported, the calendar is the shipped holidays', async () => {
    const calendar = await loadWorkingDayCalendar(db());
    expect(calendar.isWorkingDay('2026-12-25')).toBe(false);
    expect(calendar.isWorkingDay('2026-12-24')).toBe(true);
    expect(calendar.isWorkingDay('2031-01-01')).toBe(true);
    expect(calendar.coveredUntil()).toBe(2030);
  });

  test('an imported holiday is added to the shipped ones, and read afresh on the next load', async () => {
    const result = await importBankHolidays(db(), [
      { date: '2031-01-01', title: 'New Year’s Day' },
      { date: '2031-12-25', title: 'Christmas Day' },
      { date: '2026-12-25', title: 'Christmas Day' },
    ]);
    expect(result).toEqual({ added: 2, alreadyKnown: 1 });
    const calendar = await loadWorkingDayCalendar(db());
    expect(calendar.isWorkingDay('2031-01-01')).toBe(false);
    expect(calendar.isWorkingDay('2031-01-02')).toBe(true);
    expect(calendar.isWorkingDay('2026-12-25')).toBe(false);
    expect(calendar.coveredUntil()).toBe(2031);
    expect(calendar.addWorkingDays('2030-12-31', 1)).toBe('2031-01-02');
  });

  test('importing the same holidays again adds nothing; a renamed holiday takes the newer title', async () => {
    const shipped = SHIPPED_BANK_HOLIDAYS.holidays.slice(0, 5);
    const again = await importBankHolidays(db(), [...shipped, { date: '2031-01-01', title: 'New Year’s Day' }, { date: '2031-12-25', title: 'Christmas Day (substitute name)' }, { date: '2031-01-01', title: 'Repeated' }]);
    expect(again).toEqual({ added: 0, alreadyKnown: 7 });
    const rows = await db().select().from(bankHolidays).orderBy(bankHolidays.date);
    expect(rows.map((row) => [row.date, row.title])).toEqual([
      ['2031-01-01', 'New Year’s Day'],
      ['2031-12-25', 'Christmas Day (substitute name)'],
    ]);
    expect(await importBankHolidays(db(), [])).toEqual({ added: 0, alreadyKnown: 0 });
  });

  test('a year’s list joins shipped and imported holidays in date order', async () => {
    expect((await listBankHolidays(db(), 2026)).map((h) => h.source)).toEqual(Array(8).fill('shipped'));
    expect(await listBankHolidays(db(), 2031)).toEqual([
      { date: '2031-01-01', title: 'New Year’s Day', source: 'imported' },
      { date: '2031-12-25', title: 'Christmas Day (substitute name)', source: 'imported' },
    ]);
    expect(await listBankHolidays(db(), 2040)).toEqual([]);
  });
});
