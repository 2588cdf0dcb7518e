import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addMonths,
  addYears,
  daysBetween,
  formatLongDate,
  formatLongDateWithDay,
  isRealIsoDate,
  SHIPPED_BANK_HOLIDAYS,
  todayIn,
  WorkingDayCalendar,
} from '../../../src/domain/calendar/index.ts';

const calendar = new WorkingDayCalendar(SHIPPED_BANK_HOLIDAYS.holidays.map((holiday) => holiday.date));

describe('WorkingDayCalendar.addWorkingDays', () => {
  it.each([
    // Easter 2027: Good Friday 26 March, Easter Monday 29 March.
    ['Easter 2027, Thursday before Good Friday', '2027-03-25', 1, '2027-03-30'],
    ['Easter 2027, Wednesday before Good Friday', '2027-03-24', 2, '2027-03-30'],
    ['Easter 2027, a working week over the long weekend', '2027-03-25', 5, '2027-04-05'],
    ['Easter 2027, from Good Friday itself', '2027-03-26', 1, '2027-03-30'],
    // Christmas 2026: Friday 25 December, Boxing Day substitute Monday 28 December, New Year Friday 1 January.
    ['Christmas 2026, Christmas Eve', '2026-12-24', 1, '2026-12-29'],
    ['Christmas 2026, to New Year’s Eve', '2026-12-24', 3, '2026-12-31'],
    ['Christmas 2026, over New Year’s Day', '2026-12-24', 4, '2027-01-04'],
    // Christmas 2027: Saturday and Sunday, substitutes Monday 27 and Tuesday 28; New Year substitute Monday 3 January 2028.
    ['Christmas 2027, Christmas Eve', '2027-12-24', 1, '2027-12-29'],
    ['Christmas 2027, to New Year’s Eve', '2027-12-24', 3, '2027-12-31'],
    ['Christmas 2027, over the New Year substitute day', '2027-12-24', 4, '2028-01-04'],
    // Weekends.
    ['a weekend, from Friday', '2026-03-06', 1, '2026-03-09'],
    ['a weekend, from Saturday', '2026-03-07', 1, '2026-03-09'],
    ['a weekend, from Sunday', '2026-03-08', 1, '2026-03-09'],
    ['a weekend, Thursday plus 2', '2026-03-05', 2, '2026-03-09'],
    ['15 working days from a Friday', '2026-03-06', 15, '2026-03-27'],
    ['15 working days from a Friday, over Easter 2027', '2027-03-12', 15, '2027-04-06'],
    ['Friday before the Spring bank holiday 2026', '2026-05-22', 1, '2026-05-26'],
    ['Friday before the Summer bank holiday 2026', '2026-08-28', 1, '2026-09-01'],
    ['Friday before the Early May bank holiday 2027', '2027-04-30', 1, '2027-05-04'],
    ['zero days from a working day', '2026-03-04', 0, '2026-03-04'],
    ['zero days from a Saturday is the same Saturday', '2026-03-07', 0, '2026-03-07'],
    ['zero days from a bank holiday is the same day', '2027-03-26', 0, '2027-03-26'],
    ['20 working days across year end 2026', '2026-12-14', 20, '2027-01-14'],
  ])('%s: %s + %i = %s', (_label, from, n, expected) => {
    expect(calendar.addWorkingDays(from, n)).toBe(expected);
  });

  it('refuses a negative or fractional number of days', () => {
    expect(() => calendar.addWorkingDays('2026-03-04', -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-03-04', 1.5)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-03-04', Number.NaN)).toThrow(RangeError);
  });

  it('refuses a date that does not exist', () => {
    expect(() => calendar.addWorkingDays('2027-02-30', 1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('4 March 2026', 1)).toThrow(RangeError);
  });

  it('is the inverse of workingDaysBetween', () => {
    for (let n = 0; n <= 40; n += 1) {
      const to = calendar.addWorkingDays('2027-12-10', n);
      expect(calendar.workingDaysBetween('2027-12-10', to)).toBe(n);
      expect(calendar.isWorkingDay(to) || n === 0).toBe(true);
    }
  });
});

describe('WorkingDayCalendar.workingDaysBetween', () => {
  it.each([
    ['a plain week, Monday to Monday', '2026-03-02', '2026-03-09', 5],
    ['over the Spring bank holiday 2026', '2026-05-22', '2026-05-29', 4],
    ['over Easter 2027', '2027-03-25', '2027-03-30', 1],
    ['over Easter 2027, a full fortnight', '2027-03-22', '2027-04-05', 8],
    ['over Christmas 2027', '2027-12-24', '2028-01-04', 4],
    ['to a weekend day counts the days before it', '2026-03-04', '2026-03-07', 2],
    ['to the next day', '2026-03-04', '2026-03-05', 1],
    ['the same day', '2026-03-04', '2026-03-04', 0],
    ['to an earlier day', '2026-03-09', '2026-03-02', 0],
  ])('%s: %s to %s = %i', (_label, from, to, expected) => {
    expect(calendar.workingDaysBetween(from, to)).toBe(expected);
  });
});

describe('WorkingDayCalendar.isWorkingDay and nextWorkingDayOnOrAfter', () => {
  it.each([
    ['2026-03-04', true],
    ['2026-03-06', true],
    ['2026-03-07', false],
    ['2026-03-08', false],
    ['2027-03-26', false],
    ['2027-03-29', false],
    ['2027-03-30', true],
    ['2027-12-27', false],
    ['2027-12-28', false],
    ['2027-12-29', true],
    ['2022-09-19', false],
    ['2023-05-08', false],
  ])('%s is a working day: %s', (date, expected) => {
    expect(calendar.isWorkingDay(date)).toBe(expected);
  });

  it.each([
    ['2026-03-04', '2026-03-04'],
    ['2026-03-07', '2026-03-09'],
    ['2027-03-26', '2027-03-30'],
    ['2027-12-25', '2027-12-29'],
    ['2026-12-25', '2026-12-29'],
  ])('on or after %s is %s', (date, expected) => {
    expect(calendar.nextWorkingDayOnOrAfter(date)).toBe(expected);
  });

  it('treats only weekends as non-working without holiday data', () => {
    const bare = new WorkingDayCalendar([]);
    expect(bare.isWorkingDay('2027-03-26')).toBe(true);
    expect(bare.addWorkingDays('2027-03-25', 1)).toBe('2027-03-26');
  });

  it('refuses bank holiday dates that do not exist', () => {
    expect(() => new WorkingDayCalendar(['2027-02-30'])).toThrow(RangeError);
  });
});

describe('WorkingDayCalendar coverage', () => {
  it('reaches the last year of the shipped data and no further', () => {
    expect(calendar.coveredUntil()).toBe(2030);
    expect(calendar.isCovered('2026-03-04')).toBe(true);
    expect(calendar.isCovered('2030-12-31')).toBe(true);
    expect(calendar.isCovered('2031-01-01')).toBe(false);
  });

  it('takes the latest year whatever order the dates come in', () => {
    const small = new WorkingDayCalendar(['2027-12-27', '2026-01-01']);
    expect(small.coveredUntil()).toBe(2027);
    expect(small.isCovered('2027-06-01')).toBe(true);
    expect(small.isCovered('2028-01-03')).toBe(false);
  });

  it('covers nothing without data', () => {
    const bare = new WorkingDayCalendar([]);
    expect(bare.coveredUntil()).toBeNull();
    expect(bare.isCovered('2026-03-04')).toBe(false);
  });
});

describe('addCalendarDays', () => {
  it.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2027-02-28', 1, '2027-03-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-03-28', 2, '2026-03-30'],
    ['2026-10-24', 2, '2026-10-26'],
    ['2026-03-04', 0, '2026-03-04'],
    ['2026-01-01', 365, '2027-01-01'],
    ['0099-12-31', 1, '0100-01-01'],
  ])('%s + %i = %s', (date, n, expected) => {
    expect(addCalendarDays(date, n)).toBe(expected);
  });
});

describe('addMonths', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-10-31', 1, '2026-11-30'],
    ['2026-08-31', 1, '2026-09-30'],
    ['2026-01-30', 1, '2026-02-28'],
    ['2026-02-28', 1, '2026-03-28'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-05-31', 13, '2027-06-30'],
    ['2026-03-31', -25, '2024-02-29'],
    ['2026-03-04', 0, '2026-03-04'],
    ['2026-03-04', 12, '2027-03-04'],
    ['2026-03-04', -12, '2025-03-04'],
  ])('%s + %i months = %s', (date, n, expected) => {
    expect(addMonths(date, n)).toBe(expected);
  });
});

describe('addYears', () => {
  it.each([
    ['2028-02-29', 1, '2029-02-28'],
    ['2028-02-29', 4, '2032-02-29'],
    ['2028-02-29', -1, '2027-02-28'],
    ['2026-06-15', 2, '2028-06-15'],
    ['2026-12-31', 1, '2027-12-31'],
  ])('%s + %i years = %s', (date, n, expected) => {
    expect(addYears(date, n)).toBe(expected);
  });

  it('refuses a fractional number of years', () => {
    expect(() => addYears('2026-06-15', 0.5)).toThrow(RangeError);
  });
});

describe('daysBetween', () => {
  it.each([
    ['2026-01-01', '2027-01-01', 365],
    ['2028-01-01', '2029-01-01', 366],
    ['2027-01-01', '2026-01-01', -365],
    ['2026-03-28', '2026-03-30', 2],
    ['2026-10-24', '2026-10-26', 2],
    ['2026-03-04', '2026-03-04', 0],
  ])('%s to %s = %i', (a, b, expected) => {
    expect(daysBetween(a, b)).toBe(expected);
  });
});

describe('isRealIsoDate', () => {
  it.each([
    ['2026-03-04', true],
    ['2028-02-29', true],
    ['2026-12-31', true],
    ['2027-02-29', false],
    ['2027-02-30', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-01-00', false],
    ['2026-1-5', false],
    ['2026-01-05T00:00', false],
    [' 2026-01-05', false],
    ['', false],
    ['04/03/2026', false],
  ])('%j is real: %s', (value, expected) => {
    expect(isRealIsoDate(value)).toBe(expected);
  });
});

describe('todayIn (Europe/London)', () => {
  it.each([
    ['2026-01-15T23:30:00Z', '2026-01-15'],
    ['2026-03-29T00:30:00Z', '2026-03-29'],
    ['2026-03-29T23:30:00Z', '2026-03-30'],
    ['2026-06-30T23:00:00Z', '2026-07-01'],
    ['2026-06-30T22:59:59Z', '2026-06-30'],
    ['2026-10-24T23:30:00Z', '2026-10-25'],
    ['2026-10-25T23:30:00Z', '2026-10-25'],
    ['2026-12-31T23:59:59Z', '2026-12-31'],
  ])('%s is %s in London', (instant, expected) => {
    expect(todayIn(new Date(instant))).toBe(expected);
  });

  it('refuses an invalid Date', () => {
    expect(() => todayIn(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('formatLongDate and formatLongDateWithDay', () => {
  it.each([
    ['2027-03-03', '3 March 2027', 'Wednesday 3 March 2027'],
    ['2026-01-01', '1 January 2026', 'Thursday 1 January 2026'],
    ['2026-12-25', '25 December 2026', 'Friday 25 December 2026'],
    ['2027-12-25', '25 December 2027', 'Saturday 25 December 2027'],
    ['2028-02-29', '29 February 2028', 'Tuesday 29 February 2028'],
    ['2026-03-29', '29 March 2026', 'Sunday 29 March 2026'],
  ])('%s is %s (%s)', (date, long, withDay) => {
    expect(formatLongDate(date)).toBe(long);
    expect(formatLongDateWithDay(date)).toBe(withDay);
  });

  it('refuses a date that does not exist', () => {
    expect(() => formatLongDate('2027-02-30')).toThrow(RangeError);
  });
});
