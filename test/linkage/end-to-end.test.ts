import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { dedupeFile, explainPair, formatWaterfall, linkFiles, loadModel, parseCsv, saveModel, writeClustersCsv, writePairsCsv } from '../../src/linkage/index.ts';
import { createRandom, initialModel } from '../../src/linkage/model.ts';
import { parseSettingsJson } from '../../src/linkage/settings.ts';

// The settings documented in the README's children's example, so the documented example is what is tested.
const readme = readFileSync(new URL('../../src/linkage/README.md', import.meta.url), 'utf8');
const settings = parseSettingsJson(/## Example: children's records[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1] ?? '');

const FIRST = {
  F: ['Amelia', 'Olivia', 'Isla', 'Ava', 'Mia', 'Ivy', 'Freya', 'Lily', 'Grace', 'Sophia', 'Ella', 'Evie', 'Poppy', 'Rosie', 'Aisha', 'Zara', 'Niamh', 'Siobhan', 'Catherine', 'Eleanor'],
  M: ['Oliver', 'Harry', 'Jack', 'George', 'Noah', 'Leo', 'Oscar', 'Arthur', 'Muhammad', 'Theo', 'Finley', 'Archie', 'Thomas', 'Alfie', 'Jacob', 'Stephen', 'Rhys', 'Callum', 'Kian', 'Ewan'],
} as const;
const SURNAMES = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Wright', 'Walker', 'Khan', 'Evans', 'Thomas', 'Roberts', 'Green', 'Hall', 'Wood', "O'Brien", 'Clarke', 'Hughes', 'Edwards', 'Lewis', 'Baker', 'Hill', 'Thompson', 'Schmidt', 'Kowalski', 'Nguyen', 'Okafor'];

type Child = { child_id: string; first_name: string; surname: string; dob: string; sex: string; postcode: string; upn: string; nhs_number: string; address: string };

function csv(rows: Child[]): string {
  const columns = Object.keys(rows[0] as Child) as (keyof Child)[];
  const field = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return `${columns.join(',')}\r\n${rows.map((row) => columns.map((column) => field(row[column])).join(',')).join('\r\n')}\r\n`;
}

function typo(random: () => number, word: string): string {
  const i = 1 + Math.floor(random() * (word.length - 2));
  // Swap two neighbouring letters: the commonest keying slip.
  return `${word.slice(0, i)}${word[i + 1]}${word[i]}${word.slice(i + 2)}`;
}

/** 300 children, 60 duplicate records of some of them, and 15 pairs of twins. */
function generate(seed: number): { rows: Child[]; person: string[]; twins: [string, string][] } {
  const random = createRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const digits = (count: number): string => Array.from({ length: count }, () => Math.floor(random() * 10)).join('');
  const rows: Child[] = [];
  const person: string[] = [];
  const child = (id: string, base?: Partial<Child>): Child => {
    const sex = base?.sex ?? pick(['F', 'M'] as const);
    return {
      child_id: id,
      first_name: pick(FIRST[sex as 'F' | 'M']),
      surname: base?.surname ?? pick(SURNAMES),
      dob: base?.dob ?? `${2008 + Math.floor(random() * 10)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
      sex,
      postcode: base?.postcode ?? `NS${1 + Math.floor(random() * 9)} ${digits(1)}${pick(['AB', 'CD', 'EF', 'GH'])}`,
      upn: `H999${digits(9)}`,
      nhs_number: `4${digits(9)}`,
      address: base?.address ?? `${1 + Math.floor(random() * 200)} ${pick(['High Street', 'Mill Lane', 'Church Road'])}, Northtown`,
    };
  };
  for (let i = 0; i < 300; i += 1) {
    rows.push(child(`C${i}`));
    person.push(`P${i}`);
  }
  const twins: [string, string][] = [];
  for (let t = 0; t < 15; t += 1) {
    const sibling = rows[t * 7] as Child;
    let twin = child(`T${t}`, { surname: sibling.surname, dob: sibling.dob, postcode: sibling.postcode, address: sibling.address });
    while (twin.first_name === sibling.first_name) twin = { ...twin, first_name: pick(FIRST[twin.sex as 'F' | 'M']) };
    rows.push(twin);
    person.push(`twin${t}`);
    twins.push([sibling.child_id, twin.child_id]);
  }
  for (let d = 0; d < 60; d += 1) {
    const index = 1 + d * 4;
    const original = rows[index] as Child;
    const copy: Child = { ...original, child_id: `D${d}` };
    if (random() < 0.2) copy.first_name = typo(random, original.first_name);
    if (random() < 0.1) copy.surname = typo(random, original.surname);
    if (random() < 0.08) copy.dob = `${original.dob.slice(0, 4)}-${original.dob.slice(8, 10)}-${original.dob.slice(5, 7)}`;
    if (random() < 0.2) copy.postcode = `NS${1 + Math.floor(random() * 9)} ${digits(1)}XY`;
    if (random() < 0.3) copy.nhs_number = '';
    if (random() < 0.3) copy.upn = '';
    if (random() < 0.15) copy.first_name = copy.first_name.toUpperCase();
    rows.push(copy);
    person.push(person[index] as string);
  }
  return { rows, person, twins };
}

async function collect(write: (stream: PassThrough) => Promise<void>): Promise<string> {
  const stream = new PassThrough();
  const parts: Buffer[] = [];
  stream.on('data', (part: Buffer) => parts.push(part));
  await write(stream);
  stream.end();
  return Buffer.concat(parts).toString('utf8');
}

describe('end to end', () => {
  const { rows, person, twins } = generate(42);
  const dir = mkdtempSync(join(tmpdir(), 'cairn-linkage-e2e-'));
  const file = join(dir, 'children.csv');
  writeFileSync(file, csv(rows));

  test('deduplicates a CSV: duplicates merged, twins kept apart', async () => {
    const stages = new Set<string>();
    const result = await dedupeFile({ settings, file, threshold: 0.95, threads: 1, onProgress: (progress) => stages.add(progress.stage) });
    expect([...stages]).toEqual(['loading', 'training', 'scoring', 'clustering', 'done']);
    expect(result.model.training?.untrained).toEqual([]);
    const clusters = result.clusters!;
    const clusterOf = new Map(result.table.ids.map((id, index) => [id, clusters.clusterIds[index] as number]));

    // Every twin pair stays in two clusters.
    for (const [a, b] of twins) expect(clusterOf.get(a), `twins ${a} and ${b}`).not.toBe(clusterOf.get(b));

    // No cluster mixes two different children.
    const people = new Map<number, Set<string>>();
    result.table.ids.forEach((id, index) => {
      const cluster = clusterOf.get(id) as number;
      const members = people.get(cluster) ?? new Set<string>();
      members.add(person[index] as string);
      people.set(cluster, members);
    });
    for (const members of people.values()) expect(members.size).toBe(1);

    // Nearly every duplicate is found.
    let found = 0;
    rows.forEach((row, index) => {
      if (!row.child_id.startsWith('D')) return;
      const original = person.indexOf(person[index] as string);
      if (clusterOf.get(row.child_id) === clusterOf.get(rows[original]!.child_id)) found += 1;
    });
    expect(found).toBeGreaterThanOrEqual(57);
    expect(clusters.count).toBe(rows.length - found);

    // The waterfall explains why twins are not linked: distinct UPN and NHS number outweigh the rest.
    const [sibling, twin] = twins[0]!;
    const waterfall = explainPair(result.model, result.table, result.table.ids.indexOf(sibling), result.table.ids.indexOf(twin));
    expect(waterfall.probability).toBeLessThan(0.95);
    const byName = new Map(waterfall.steps.map((step) => [step.comparison, step]));
    expect(byName.get('dob')?.label).toBe('same date');
    expect(byName.get('dob')?.weight).toBeGreaterThan(0);
    expect(byName.get('name')?.label).toBe('same surname, other first name');
    expect(byName.get('nhs_number')?.label).toBe('all other');
    expect(byName.get('nhs_number')?.weight).toBeLessThan(-5);
    expect(byName.get('upn')?.weight).toBeLessThan(-5);
    expect(formatWaterfall(waterfall)).toContain('same surname, other first name');

    // Results as CSV.
    const pairsCsv = parseCsv(await collect((stream) => writePairsCsv(stream, result.pairs)));
    expect(pairsCsv[0]).toEqual(['left_id', 'right_id', 'match_weight', 'match_probability']);
    expect(pairsCsv.length).toBe(result.pairs.length + 1);
    const clustersCsv = parseCsv(await collect((stream) => writeClustersCsv(stream, result.table, clusters)));
    expect(clustersCsv[0]).toEqual(['cluster_id', 'id', 'cluster_size']);
    expect(clustersCsv.length).toBe(rows.length + 1);
    const row = clustersCsv.find((fields) => fields[1] === 'D0');
    expect(row?.[2]).toBe('2');

    // A saved model scores the same data the same way without training again.
    const again = await dedupeFile({ model: saveModel(result.model), file, threshold: 0.95, threads: 1 });
    expect(again.pairs).toEqual(result.pairs);
    expect(loadModel(saveModel(again.model))).toEqual(again.model);
  });

  test('links two files: each duplicate found across them, twins not linked', async () => {
    const leftRows = rows.filter((row) => !row.child_id.startsWith('D'));
    const rightRows = rows.filter((row) => row.child_id.startsWith('D') || row.child_id.startsWith('T'));
    const leftFile = join(dir, 'left.csv');
    const rightFile = join(dir, 'right.csv');
    writeFileSync(leftFile, csv(leftRows.filter((row) => !row.child_id.startsWith('T'))));
    writeFileSync(rightFile, csv(rightRows));
    const result = await linkFiles({ settings: { ...settings, linkType: 'link' }, left: leftFile, right: rightFile, threshold: 0.95, threads: 1 });
    const linked = new Set(result.pairs.map((pair) => `${pair.leftId}|${pair.rightId}`));
    for (const [sibling, twin] of twins) expect(linked.has(`${sibling}|${twin}`)).toBe(false);
    let found = 0;
    rows.forEach((row, index) => {
      if (!row.child_id.startsWith('D')) return;
      const original = rows[person.indexOf(person[index] as string)]!;
      if (linked.has(`${original.child_id}|${row.child_id}`)) found += 1;
    });
    expect(found).toBeGreaterThanOrEqual(55);
    for (const pair of result.pairs) expect(pair.leftId.startsWith('C')).toBe(true);
  });

  test('refuses settings that do not fit the call', async () => {
    await expect(dedupeFile({ settings: { ...settings, linkType: 'link' }, file, threshold: 0.9 })).rejects.toThrow(/linkType: must be "dedupe" here/);
    const other = { ...settings, comparisons: settings.comparisons.slice(1) };
    const model = saveModel(initialModel(settings));
    await expect(dedupeFile({ settings: other, model, file, threshold: 0.9 })).rejects.toThrow(/comparisons: differ from the comparisons the model was trained with/);
    await expect(dedupeFile({ settings, file, threshold: 2 })).rejects.toThrow(/threshold is a match probability/);
  });
});
