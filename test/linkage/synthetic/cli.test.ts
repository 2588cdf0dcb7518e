import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../../../src/linkage/synthetic/cli.ts';
import { readLinkTruth, readTruth } from '../../../src/linkage/synthetic/truth.ts';
import { collector } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'cairn-synthetic-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = collector();
  const stderr = collector();
  const status = await runCli(args, { stdout: stdout.stream, stderr: stderr.stream });
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

function count(output: string, label: string): number {
  const match = new RegExp(`^${label}\\s+([0-9,]+)$`, 'm').exec(output);
  if (match?.[1] === undefined) throw new Error(`no "${label}" in:\n${output}`);
  return Number(match[1].replaceAll(',', ''));
}

describe('cli', () => {
  test('writes the whole file and a split, and prints counts that match the files', async () => {
    const out = join(dir, 'all.csv');
    const left = join(dir, 'left.csv');
    const right = join(dir, 'right.csv');
    const result = await run(['--records', '3000', '--seed', '7', '--profile', 'realistic', '--out', out, '--split', left, right]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(count(result.stdout, 'records')).toBe(3000);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(3001);

    const truth = await readTruth(out);
    expect(count(result.stdout, 'people')).toBe(truth.people);
    expect(count(result.stdout, 'true duplicate pairs')).toBe(truth.truePairs);
    const link = await readLinkTruth(left, right);
    expect(count(result.stdout, 'left records') + count(result.stdout, 'right records')).toBe(3000);
    expect(count(result.stdout, 'true link pairs')).toBe(link.truePairs);
    expect(count(result.stdout, 'people in both')).toBeGreaterThan(0);
  });

  test('the same arguments give the same file', async () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    await run(['--people', '500', '--seed', '3', '--profile', 'hard', '--out', a]);
    await run(['--people', '500', '--seed', '3', '--profile', 'hard', '--out', b]);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
  });

  test('"-" writes the data to standard output and the counts to standard error', async () => {
    const result = await run(['--records', '5', '--out', '-', '--errors']);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/,errors$/);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(6);
    expect(count(result.stderr, 'records')).toBe(5);
  });

  test.each([
    [['--out', 'x.csv']],
    [['--records', '10']],
    [['--records', '10', '--people', '5', '--out', 'x.csv']],
    [['--records', 'ten', '--out', 'x.csv']],
    [['--records', '10', '--profile', 'awful', '--out', 'x.csv']],
    [['--records', '10', '--duplicate-rate', '1.5', '--out', 'x.csv']],
    [['--records', '10', '--split', 'only-one.csv']],
    [['--records', '10', '--out', 'x.csv', 'stray']],
    [['--records', '10', '--bogus']],
  ])('refuses %j with usage and status 2', async (args) => {
    const result = await run(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Usage:');
  });

  test('reports a file that cannot be written with status 1', async () => {
    const result = await run(['--records', '10', '--out', join(dir, 'missing', 'x.csv')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('ENOENT');
  });

  test('--help', async () => {
    const result = await run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--split LEFT RIGHT');
  });
});
