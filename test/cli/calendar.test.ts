import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { migrateDatabase, openPglite } from '../../src/db/client.ts';
import { auditLog, bankHolidays } from '../../src/db/schema/index.ts';
import { formatLongDateWithDay, SHIPPED_BANK_HOLIDAYS, todayIn } from '../../src/domain/calendar/index.ts';
import { createThrowAwayDatabase, ENGINES, type Engine, type ThrowAwayDatabase } from '../support/databases.ts';

const CAIRN = fileURLToPath(new URL('../../bin/cairn.js', import.meta.url));

function cairn(args: string[], env: Record<string, string>) {
  const inherited: Record<string, string | undefined> = { ...process.env };
  delete inherited['DATABASE_URL'];
  const result = spawnSync(process.execPath, [CAIRN, ...args], { env: { ...inherited, CAIRN_LOG_LEVEL: 'error', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Eight holidays for 2031, a year the shipped file does not reach. */
const HOLIDAYS_2031 = [
  ['2031-01-01', 'New Year’s Day'],
  ['2031-04-11', 'Good Friday'],
  ['2031-04-14', 'Easter Monday'],
  ['2031-05-05', 'Early May bank holiday'],
  ['2031-05-26', 'Spring bank holiday'],
  ['2031-08-25', 'Summer bank holiday'],
  ['2031-12-25', 'Christmas Day'],
  ['2031-12-26', 'Boxing Day'],
] as const;

const shipped = SHIPPED_BANK_HOLIDAYS.holidays.filter((h) => h.date >= '2029-01-01');

/** A file shaped like https://www.gov.uk/bank-holidays.json: known 2029 and 2030 holidays, new 2031 ones. */
const GOOD_FILE = {
  'england-and-wales': {
    division: 'england-and-wales',
    events: [...shipped.map((h) => ({ title: h.title, date: h.date, notes: '', bunting: true })), ...HOLIDAYS_2031.map(([date, title]) => ({ title, date, notes: '', bunting: true }))],
  },
  scotland: { division: 'scotland', events: [{ title: 'St Andrew’s Day', date: '2031-12-01', notes: '', bunting: true }] },
};

describe.each(ENGINES)('cairn calendar on %s', (engine: Engine) => {
  let folder: string;
  let env: Record<string, string>;
  let throwAway: ThrowAwayDatabase | null = null;
  const file = (name: string, content: string) => {
    const path = join(folder, name);
    writeFileSync(path, content);
    return path;
  };

  /**
   * What the database holds once the command has finished; PGlite's folder is free again by then.
   * A refused file never opens the embedded database, so it is migrated here before reading.
   */
  async function stored() {
    if (throwAway) {
      const db = throwAway.database.db;
      return { holidays: await db.select().from(bankHolidays).orderBy(bankHolidays.date), audits: (await db.select().from(auditLog)).filter((row) => row.action === 'calendar.import') };
    }
    const database = await openPglite(join(folder, 'pglite'));
    try {
      await migrateDatabase(database);
      return { holidays: await database.db.select().from(bankHolidays).orderBy(bankHolidays.date), audits: (await database.db.select().from(auditLog)).filter((row) => row.action === 'calendar.import') };
    } finally {
      await database.close();
    }
  }

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'cairn-cli-calendar-'));
    env = { CAIRN_DATA_DIR: folder, CAIRN_BASE_URL: 'http://localhost:3000' };
    if (engine === 'postgres') {
      throwAway = await createThrowAwayDatabase('postgres');
      env['DATABASE_URL'] = throwAway.url!;
    }
  });
  afterAll(async () => {
    await throwAway?.drop();
  });

  test('a bad file prints what is wrong, exits 1 and writes nothing', async () => {
    const events = GOOD_FILE['england-and-wales'].events.map((event, index) => (index === 3 ? { ...event, date: '2031-02-30' } : event));
    const badDate = cairn(['calendar', 'import', file('bad-date.json', JSON.stringify({ division: 'england-and-wales', events }))], env);
    expect(badDate.status).toBe(1);
    expect(badDate.stderr).toBe('Event 4 has a date that is not a real date: "2031-02-30"\nNothing was imported.\n');
    expect(badDate.stdout).toBe('');

    const notJson = cairn(['calendar', 'import', file('not-json.json', '{ "england-and-wales": ')], env);
    expect(notJson.status).toBe(1);
    expect(notJson.stderr).toContain('The bank holiday file is not valid JSON');

    const missing = cairn(['calendar', 'import', join(folder, 'no-such-file.json')], env);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Could not read');

    const noEvents = cairn(['calendar', 'import', file('no-events.json', JSON.stringify({ 'england-and-wales': { division: 'england-and-wales' } }))], env);
    expect(noEvents.status).toBe(1);
    expect(noEvents.stderr).toContain('The bank holiday file has no "events" list');

    expect((await stored()).holidays).toEqual([]);
  });

  test('a good file adds the new holidays in one audited import; running it again adds none', async () => {
    const path = file('bank-holidays.json', JSON.stringify(GOOD_FILE));
    const first = cairn(['calendar', 'import', path], env);
    expect(first.stderr).toBe('');
    expect(first).toMatchObject({ status: 0, stdout: `Imported 8 bank holidays (${String(shipped.length)} already known)\n` });
    const again = cairn(['calendar', 'import', path], env);
    expect(again).toMatchObject({ status: 0, stdout: `Imported 0 bank holidays (${String(shipped.length + 8)} already known)\n` });

    const { holidays, audits } = await stored();
    expect(holidays.map((h) => [h.date, h.title])).toEqual(HOLIDAYS_2031.map(([date, title]) => [date, title]));
    expect(audits.map((a) => a.details)).toEqual([
      { division: 'england-and-wales', added: 8, alreadyKnown: shipped.length },
      { division: 'england-and-wales', added: 0, alreadyKnown: shipped.length + 8 },
    ]);
  });

  test('list prints a year’s holidays, marking imported ones, and this year by default', () => {
    const listed = cairn(['calendar', 'list', '--year', '2031'], env);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toBe(
      ['Bank holidays in England and Wales that Cairn uses in 2031:', ...HOLIDAYS_2031.map(([date, title]) => `${formatLongDateWithDay(date)}: ${title} (imported)`), ''].join('\n'),
    );
    expect(listed.stdout).toContain('Wednesday 1 January 2031: New Year’s Day (imported)');

    const thisYear = todayIn(new Date()).slice(0, 4);
    const byDefault = cairn(['calendar', 'list'], env);
    expect(byDefault.status).toBe(0);
    expect(byDefault.stdout.split('\n')[0]).toBe(`Bank holidays in England and Wales that Cairn uses in ${thisYear}:`);

    const shipped2026 = cairn(['calendar', 'list', '--year', '2026'], env);
    expect(shipped2026.stdout).toContain('Friday 25 December 2026: Christmas Day\n');
    expect(shipped2026.stdout).not.toContain('(imported)');

    const none = cairn(['calendar', 'list', '--year', '2040'], env);
    expect(none.status).toBe(0);
    expect(none.stdout).toContain('Cairn has no bank holidays for 2040');

    const badYear = cairn(['calendar', 'list', '--year', 'next'], env);
    expect(badYear.status).toBe(2);
    expect(badYear.stderr).toBe('--year must be a year written as 4 digits, like 2027\n');
  });
});
