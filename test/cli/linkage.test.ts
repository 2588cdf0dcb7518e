import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writePopulationCsv } from '../../src/linkage/synthetic/generate.ts';

const CAIRN = fileURLToPath(new URL('../../bin/cairn.js', import.meta.url));
const PRESET = fileURLToPath(new URL('../../src/linkage/presets/children.json', import.meta.url));

function cairn(args: string[]) {
  const result = spawnSync(process.execPath, [CAIRN, ...args], { env: { ...process.env, CAIRN_LOG_LEVEL: 'error' }, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('cairn dedupe and cairn link on CSV files', () => {
  let folder: string;
  let population: string;
  let left: string;
  let right: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'cairn-linkage-cli-'));
    population = join(folder, 'population.csv');
    const out = createWriteStream(population);
    await writePopulationCsv({ seed: 11, records: 1500, errorProfile: 'realistic' }, out);
    await new Promise<void>((resolve) => out.end(() => resolve()));
    left = join(folder, 'left.csv');
    right = join(folder, 'right.csv');
    const l = createWriteStream(left);
    const r = createWriteStream(right);
    await writePopulationCsv({ seed: 12, records: 1500, errorProfile: 'realistic' }, { left: l, right: r });
    await Promise.all([new Promise<void>((resolve) => l.end(() => resolve())), new Promise<void>((resolve) => r.end(() => resolve()))]);
  });
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  test('dedupe --train fits, saves the model and writes every record’s cluster; the saved model scores the same again', () => {
    const out = join(folder, 'clusters.csv');
    const model = join(folder, 'model.json');
    const first = cairn(['dedupe', '--settings', PRESET, '--input', population, '--out', out, '--train', '--model', model, '--threshold', '0.95', '--threads', '1']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain('training');
    expect(first.stderr).toMatch(/1,500 records in [\d,]+ clusters written/);
    const lines = readFileSync(out, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('cluster_id,id,cluster_size');
    expect(lines).toHaveLength(1501);
    expect(existsSync(model)).toBe(true);

    const again = join(folder, 'clusters-again.csv');
    const second = cairn(['dedupe', '--model', model, '--input', population, '--out', again, '--threshold', '0.95', '--threads', '1']);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).not.toContain('training the model');
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
  });

  test('link writes pairs with their weights and probabilities', () => {
    const settings = join(folder, 'link.json');
    writeFileSync(settings, JSON.stringify({ ...JSON.parse(readFileSync(PRESET, 'utf8')), linkType: 'link' }));
    const out = join(folder, 'pairs.csv');
    const result = cairn(['link', '--settings', settings, '--left', left, '--right', right, '--out', out, '--threshold', '0.9', '--threads', '1']);
    expect(result.status, result.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('left_id,right_id,match_weight,match_probability');
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.slice(1).every((line) => Number(line.split(',')[3]) >= 0.9)).toBe(true);
  });

  test('bad settings, a missing file or a bad threshold are explained and exit 1', () => {
    const bad = join(folder, 'bad.json');
    writeFileSync(bad, JSON.stringify({ linkType: 'dedupe', uniqueIdColumn: 'record_id', comparisons: [], blockingRules: [], colour: 'blue' }));
    const settingsError = cairn(['dedupe', '--settings', bad, '--input', population, '--out', join(folder, 'x.csv')]);
    expect(settingsError.status).toBe(1);
    expect(settingsError.stderr).toMatch(/colour/);
    const missing = cairn(['dedupe', '--settings', PRESET, '--input', join(folder, 'nope.csv'), '--out', join(folder, 'x.csv')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('nope.csv');
    const threshold = cairn(['dedupe', '--settings', PRESET, '--input', population, '--out', join(folder, 'x.csv'), '--threshold', '2']);
    expect(threshold.status).toBe(1);
    expect(threshold.stderr).toContain('--threshold must be a match probability between 0 and 1');
  });
});
