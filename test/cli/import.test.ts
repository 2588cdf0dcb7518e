import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createThrowAwayDatabase, type ThrowAwayDatabase } from '../support/databases.ts';

const CAIRN = fileURLToPath(new URL('../../bin/cairn.js', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

function cairn(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [CAIRN, ...args], { env: { ...process.env, CAIRN_LOG_LEVEL: 'error', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('cairn import deletion-returns on PostgreSQL', () => {
  let throwAway: ThrowAwayDatabase;
  let env: Record<string, string>;
  let folder: string;
  const returnCount = async () => Number(((await throwAway.database.db.execute('select count(*)::int as n from deletion_returns')) as unknown as { rows: { n: number }[] }).rows[0]!.n);

  beforeAll(async () => {
    throwAway = await createThrowAwayDatabase('postgres');
    folder = mkdtempSync(join(tmpdir(), 'cairn-cli-import-'));
    env = { DATABASE_URL: throwAway.url!, CAIRN_DATA_DIR: folder, CAIRN_BASE_URL: 'http://localhost:3000' };
    expect(cairn(['seed'], env).status).toBe(0);
  });
  afterAll(async () => {
    await throwAway?.drop();
  });

  test('a file with bad rows prints each line, column and reason, imports nothing and exits 1', async () => {
    const result = cairn(['import', 'deletion-returns', fixture('deletion-returns-officer-mixed.csv')], env);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('7 rows, 3 valid, 4 with problems, 0 already received.');
    expect(result.stdout).toContain('Line 3, column pupil_first_name: Enter the pupil’s first name\n');
    expect(result.stdout).toContain('Line 5, column school_urn: There is no school with that URN in Cairn\n');
    expect(result.stdout).toContain('Nothing was imported because some rows have problems.');
    expect(await returnCount()).toBe(0);
  });

  test('--valid-only imports the valid rows as Cairn itself; running it again imports nothing more', async () => {
    const first = cairn(['import', 'deletion-returns', fixture('deletion-returns-officer-mixed.csv'), '--valid-only'], env);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Imported 3 new returns; 0 already received (not imported again); 4 rows with problems left out.');
    const rows = ((await throwAway.database.db.execute('select submitted_by, source from deletion_returns')) as unknown as { rows: { submitted_by: string | null; source: string }[] }).rows;
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.submitted_by === null && r.source === 'csv')).toBe(true);
    const second = cairn(['import', 'deletion-returns', fixture('deletion-returns-officer-mixed.csv'), '--valid-only'], env);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('Imported 0 new returns; 3 already received');
    expect(await returnCount()).toBe(3);
  });

  test('--school-urn lets a school’s own file leave out school_urn', async () => {
    const refused = cairn(['import', 'deletion-returns', fixture('deletion-returns-school.csv')], env);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('The file was refused: The file is missing the column school_urn');
    const imported = cairn(['import', 'deletion-returns', fixture('deletion-returns-school.csv'), '--school-urn', '999103'], env);
    expect(imported.status).toBe(0);
    expect(imported.stdout).toContain('Imported 3 new returns');
    const unknown = cairn(['import', 'deletion-returns', fixture('deletion-returns-school.csv'), '--school-urn', '999999'], env);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('There is no school with the URN 999999 in Cairn');
  });

  test('a formula in the file refuses it whole', async () => {
    const before = await returnCount();
    const result = cairn(['import', 'deletion-returns', fixture('deletion-returns-formula.csv'), '--valid-only'], env);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('line 3, column parent_name starts with a character a spreadsheet would run as a formula');
    expect(await returnCount()).toBe(before);
    const big = join(folder, 'big.csv');
    writeFileSync(big, `school_urn\n${'999101\n'.repeat(200_000)}`);
    const tooBig = cairn(['import', 'deletion-returns', big, '--max-size-mb', '1'], env);
    expect(tooBig.status).toBe(1);
    expect(tooBig.stdout).toContain('The selected file must be smaller than 1MB');
  });
});
