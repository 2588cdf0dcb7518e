import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BankHolidayFileError,
  parseBankHolidays,
  SHIPPED_BANK_HOLIDAYS,
} from '../../../src/domain/calendar/index.ts';

const DATA_FILE = new URL('../../../src/domain/calendar/data/bank-holidays-england-and-wales.json', import.meta.url);

function fileError(run: () => unknown): BankHolidayFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof BankHolidayFileError) return error;
    throw error;
  }
  throw new Error('Expected a BankHolidayFileError');
}

const shippedIn = (year: number) => SHIPPED_BANK_HOLIDAYS.holidays.filter((holiday) => holiday.date.startsWith(`${String(year)}-`));

const event = (title: string, date: string, notes = '', bunting = true) => ({ title, date, notes, bunting });

describe('shipped England and Wales bank holidays', () => {
  it('is the England and Wales division, sorted, without repeats, from 2018 to 2030', () => {
    const dates = SHIPPED_BANK_HOLIDAYS.holidays.map((holiday) => holiday.date);
    expect(SHIPPED_BANK_HOLIDAYS.division).toBe('england-and-wales');
    expect(dates).toEqual([...dates].sort());
    expect(new Set(dates).size).toBe(dates.length);
    expect(dates[0]).toBe('2018-01-01');
    expect(dates.at(-1)).toBe('2030-12-26');
  });

  it('has every bank holiday for 2026', () => {
    expect(shippedIn(2026)).toEqual([
      { date: '2026-01-01', title: 'New Year’s Day' },
      { date: '2026-04-03', title: 'Good Friday' },
      { date: '2026-04-06', title: 'Easter Monday' },
      { date: '2026-05-04', title: 'Early May bank holiday' },
      { date: '2026-05-25', title: 'Spring bank holiday' },
      { date: '2026-08-31', title: 'Summer bank holiday' },
      { date: '2026-12-25', title: 'Christmas Day' },
      { date: '2026-12-28', title: 'Boxing Day' },
    ]);
  });

  it('has every bank holiday for 2027', () => {
    expect(shippedIn(2027)).toEqual([
      { date: '2027-01-01', title: 'New Year’s Day' },
      { date: '2027-03-26', title: 'Good Friday' },
      { date: '2027-03-29', title: 'Easter Monday' },
      { date: '2027-05-03', title: 'Early May bank holiday' },
      { date: '2027-05-31', title: 'Spring bank holiday' },
      { date: '2027-08-30', title: 'Summer bank holiday' },
      { date: '2027-12-27', title: 'Christmas Day' },
      { date: '2027-12-28', title: 'Boxing Day' },
    ]);
  });

  it.each([2018, 2019, 2020, 2021, 2024, 2025, 2026, 2027, 2028, 2029, 2030])('has exactly 8 bank holidays in %i', (year) => {
    expect(shippedIn(year)).toHaveLength(8);
  });

  it('has the one-off and moved holidays of 2020, 2022 and 2023', () => {
    expect(shippedIn(2022)).toHaveLength(10);
    expect(shippedIn(2023)).toHaveLength(9);
    const dates = new Set(SHIPPED_BANK_HOLIDAYS.holidays.map((holiday) => holiday.date));
    for (const date of ['2020-05-08', '2022-06-02', '2022-06-03', '2022-09-19', '2023-05-08']) {
      expect(dates.has(date), date).toBe(true);
    }
    for (const date of ['2020-05-04', '2022-05-30']) {
      expect(dates.has(date), date).toBe(false);
    }
  });

  it('puts substitute days on the right weekdays', () => {
    const dates = new Set(SHIPPED_BANK_HOLIDAYS.holidays.map((holiday) => holiday.date));
    for (const date of ['2021-12-27', '2021-12-28', '2022-01-03', '2022-12-26', '2022-12-27', '2023-01-02', '2026-12-28', '2028-01-03']) {
      expect(dates.has(date), date).toBe(true);
    }
    for (const holiday of SHIPPED_BANK_HOLIDAYS.holidays) {
      const weekday = new Date(`${holiday.date}T00:00:00Z`).getUTCDay();
      expect(weekday === 0 || weekday === 6, `${holiday.date} ${holiday.title} is at a weekend`).toBe(false);
    }
  });

  it('is stored in the GOV.UK format, with substitute days noted', () => {
    const raw: unknown = JSON.parse(readFileSync(DATA_FILE, 'utf8'));
    expect(raw).toMatchObject({ division: 'england-and-wales' });
    const events = (raw as { events: Record<string, unknown>[] }).events;
    for (const item of events) {
      expect(Object.keys(item)).toEqual(['title', 'date', 'notes', 'bunting']);
    }
    expect(events).toContainEqual(event('Christmas Day', '2027-12-27', 'Substitute day'));
    expect(events).toContainEqual(event('Boxing Day', '2027-12-28', 'Substitute day'));
    expect(events).toContainEqual(event('New Year’s Day', '2028-01-03', 'Substitute day'));
    expect(events).toContainEqual(event('Boxing Day', '2026-12-28', 'Substitute day'));
    expect(events).toContainEqual(event('Christmas Day', '2026-12-25'));
  });
});

describe('parseBankHolidays', () => {
  const englandAndWales = {
    division: 'england-and-wales',
    events: [
      event('Christmas Day', '2027-12-27', 'Substitute day'),
      event('New Year’s Day', '2027-01-01'),
      event('Good Friday', '2027-03-26', '', false),
    ],
  };

  it('takes England and Wales from the whole GOV.UK file', () => {
    const file = {
      'england-and-wales': englandAndWales,
      scotland: { division: 'scotland', events: [event('2nd January', '2027-01-04', 'Substitute day')] },
      'northern-ireland': { division: 'northern-ireland', events: [event('St Patrick’s Day', '2027-03-17')] },
    };
    expect(parseBankHolidays(file)).toEqual({
      division: 'england-and-wales',
      holidays: [
        { date: '2027-01-01', title: 'New Year’s Day' },
        { date: '2027-03-26', title: 'Good Friday' },
        { date: '2027-12-27', title: 'Christmas Day' },
      ],
    });
  });

  it('accepts a single division, sorting by date', () => {
    expect(parseBankHolidays(englandAndWales).holidays.map((holiday) => holiday.date)).toEqual([
      '2027-01-01',
      '2027-03-26',
      '2027-12-27',
    ]);
  });

  it('accepts events without notes or bunting, and fields it does not know', () => {
    const result = parseBankHolidays({
      division: 'england-and-wales',
      updated: '2026-01-01',
      events: [{ title: 'Easter Monday', date: '2027-03-29', colour: 'green' }],
    });
    expect(result.holidays).toEqual([{ date: '2027-03-29', title: 'Easter Monday' }]);
  });

  it('keeps a repeated date once, with its first title', () => {
    const result = parseBankHolidays({
      division: 'england-and-wales',
      events: [event('Boxing Day', '2027-12-28'), event('Christmas Day', '2027-12-27'), event('Boxing Day (again)', '2027-12-28')],
    });
    expect(result.holidays).toEqual([
      { date: '2027-12-27', title: 'Christmas Day' },
      { date: '2027-12-28', title: 'Boxing Day' },
    ]);
  });

  it.each([
    ['a string', 'bank holidays'],
    ['null', null],
    ['an array', [event('Good Friday', '2027-03-26')]],
    ['a number', 42],
  ])('refuses %s', (_label, json) => {
    expect(fileError(() => parseBankHolidays(json)).message).toBe(
      'The bank holiday file must be a JSON object, like the one published at https://www.gov.uk/bank-holidays.json',
    );
  });

  it.each([
    ['missing events', { division: 'england-and-wales' }, 'The bank holiday file has no "events" list'],
    ['missing events in the whole file', { 'england-and-wales': { division: 'england-and-wales' } }, 'The bank holiday file has no "events" list'],
    ['events that are not a list', { division: 'england-and-wales', events: {} }, 'The "events" in the bank holiday file must be a list'],
    ['an empty events list', { division: 'england-and-wales', events: [] }, 'The bank holiday file has an empty "events" list'],
    ['a missing division name', { events: [event('Good Friday', '2027-03-26')] }, 'The bank holiday file has no "division" name'],
    [
      'an England and Wales division that is not an object',
      { 'england-and-wales': [] },
      'The "england-and-wales" division in the bank holiday file must be a JSON object',
    ],
    [
      'a date that does not exist',
      {
        division: 'england-and-wales',
        events: [event('New Year’s Day', '2027-01-01'), event('Good Friday', '2027-03-26'), event('Pancake Day', '2027-02-30')],
      },
      'Event 3 has a date that is not a real date: "2027-02-30"',
    ],
    [
      'a date that does not exist, in the whole file',
      { 'england-and-wales': { division: 'england-and-wales', events: [event('Boxing Day', '2027-13-28')] } },
      'Event 1 has a date that is not a real date: "2027-13-28"',
    ],
    [
      'a date in another format',
      { division: 'england-and-wales', events: [event('Good Friday', '26/03/2027')] },
      'Event 1 has a date that is not a real date: "26/03/2027"',
    ],
    [
      'a missing title',
      { division: 'england-and-wales', events: [event('Good Friday', '2027-03-26'), { date: '2027-03-29', notes: '', bunting: true }] },
      'Event 2 has no title',
    ],
    ['a blank title', { division: 'england-and-wales', events: [event('  ', '2027-03-26')] }, 'Event 1 has a blank title'],
    ['a missing date', { division: 'england-and-wales', events: [{ title: 'Good Friday' }] }, 'Event 1 has no date'],
    ['an event that is not an object', { division: 'england-and-wales', events: ['2027-03-26'] }, 'Event 1 is not an object'],
    [
      'bunting that is not true or false',
      { division: 'england-and-wales', events: [{ title: 'Good Friday', date: '2027-03-26', bunting: 'yes' }] },
      'Event 1 has a "bunting" value that is not true or false',
    ],
  ])('refuses %s', (_label, json, message) => {
    expect(fileError(() => parseBankHolidays(json)).message).toBe(message);
  });

  it('names the error for callers that catch it', () => {
    const error = fileError(() => parseBankHolidays({}));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('BankHolidayFileError');
  });
});
