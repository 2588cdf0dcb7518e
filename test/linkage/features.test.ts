import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { clusterWithoutContradictions } from '../../src/linkage/cluster.ts';
import { tableFromRecords, TableBuilder } from '../../src/linkage/data.ts';
import { clusterLinkedPairs, dedupeFile, explainPair, loadModel, saveModel } from '../../src/linkage/index.ts';
import { compileComparisons, everyNth, initialModel, ruleDecides, trainModel } from '../../src/linkage/model.ts';
import { NameVariantIndex, nameVariantIndex } from '../../src/linkage/names.ts';
import { parseSettings, parseSettingsJson } from '../../src/linkage/settings.ts';
import { CSV_COLUMNS } from '../../src/linkage/synthetic/csv.ts';
import { generatePopulation } from '../../src/linkage/synthetic/generate.ts';
import { buildTruth, evaluate } from '../../src/linkage/synthetic/truth.ts';
import { Readable } from 'node:stream';

const preset = readFileSync(new URL('../../src/linkage/presets/children.json', import.meta.url), 'utf8');

function levelOf(input: unknown, a: Record<string, string>, b: Record<string, string>): number {
  const settings = parseSettings(input);
  const table = tableFromRecords(settings, [
    { id: 'a', ...a },
    { id: 'b', ...b },
  ]);
  return compileComparisons(settings, table)[0]!.levelOf(0, 1);
}

const base = { linkType: 'dedupe' as const, uniqueIdColumn: 'id', blockingRules: [['x']] };

describe('comparison levels for names and dates', () => {
  const names = { ...base, comparisons: [{ name: 'n', columns: ['first_name', 'surname'], levels: [{ kind: 'nameVariant' }, { kind: 'else' }] }] };

  test('nameVariant: known nicknames and spellings agree, unrelated names do not', () => {
    expect(levelOf(names, { first_name: 'Katie', surname: 'Smith' }, { first_name: 'Katherine', surname: 'SMYTH' })).toBe(0);
    expect(levelOf(names, { first_name: 'Muhammad', surname: 'Khan' }, { first_name: 'Mohammed', surname: 'Khan' })).toBe(0);
    expect(levelOf(names, { first_name: 'Lily-Mae', surname: 'Khan' }, { first_name: 'Lily Mae', surname: 'Khan' })).toBe(0);
    expect(levelOf(names, { first_name: 'Mia', surname: 'Khan' }, { first_name: 'Molly', surname: 'Khan' })).toBe(1);
    expect(levelOf(names, { first_name: 'Kate', surname: 'Khan' }, { first_name: 'Katherine', surname: 'Patel' })).toBe(1);
  });

  test('nameVariant: settings can add groups to the built-in list', () => {
    const extra = { ...names, nameVariants: [['Bartholomew', 'Tolly']] };
    expect(levelOf(names, { first_name: 'Tolly', surname: 'Khan' }, { first_name: 'Bartholomew', surname: 'Khan' })).toBe(1);
    expect(levelOf(extra, { first_name: 'Tolly', surname: 'Khan' }, { first_name: 'Bartholomew', surname: 'Khan' })).toBe(0);
    expect(new NameVariantIndex([['Ann', 'Anne']]).areVariants('ANNE', 'ann')).toBe(true);
    expect(nameVariantIndex().areVariants('Zoë', 'Zoey')).toBe(true);
  });

  test('sharedWord: double-barrelled surnames share a part; initials and short particles do not count', () => {
    const shared = { ...base, comparisons: [{ name: 's', columns: 'surname', levels: [{ kind: 'sharedWord' }, { kind: 'else' }] }] };
    expect(levelOf(shared, { surname: 'Cook-Jones' }, { surname: 'Jones' })).toBe(0);
    expect(levelOf(shared, { surname: 'Khan Smith' }, { surname: 'smith' })).toBe(0);
    expect(levelOf(shared, { surname: "O'Neill" }, { surname: "O'Brien" })).toBe(1);
  });

  test('dateDigits: one digit wrong, in either date format, but not two', () => {
    const dates = { ...base, comparisons: [{ name: 'd', columns: 'dob', levels: [{ kind: 'dateDigits', maxDifferent: 1 }, { kind: 'else' }] }] };
    expect(levelOf(dates, { dob: '2014-03-09' }, { dob: '20160309' })).toBe(0);
    expect(levelOf(dates, { dob: '2014-03-09' }, { dob: '2014-08-09' })).toBe(0);
    expect(levelOf(dates, { dob: '2014-03-09' }, { dob: '2014-09-03' })).toBe(1);
    expect(levelOf(dates, { dob: '2014-03-09' }, { dob: 'not a date' })).toBe(1);
  });
});

describe('settings for messy files', () => {
  test('columnAliases let a file name a column differently; the column’s own name wins', () => {
    const settings = parseSettings({ ...base, blockingRules: [['address']], columnAliases: { address: ['address_line_1'] }, comparisons: [{ name: 'a', columns: 'address', levels: [{ kind: 'exact' }, { kind: 'else' }] }] });
    const builder = new TableBuilder(settings);
    const add = builder.beginSource(['id', 'address_line_1'], 'file');
    add(['r1', '1 Mill Lane']);
    const table = builder.finish();
    expect(table.strings[table.columns.get('address')!.raw[0]!]).toBe('1 Mill Lane');
    expect(() => new TableBuilder(settings).beginSource(['id', 'street'], 'file')).toThrow(/missing column "address"/);
  });

  test('cleaning can replace whole words, so abbreviations agree', () => {
    const input = { ...base, blockingRules: [['address']], cleaning: { address: { words: { rd: 'road', ln: 'lane' } } }, comparisons: [{ name: 'a', columns: 'address', levels: [{ kind: 'exact' }, { kind: 'else' }] }] };
    expect(levelOf(input, { address: '1 Mill Ln' }, { address: '1 MILL LANE' })).toBe(0);
    expect(levelOf(input, { address: '1 Rdley Road' }, { address: '1 Road Road' })).toBe(1);
  });

  test('a rule decides a comparison on its own columns, or on a column the comparison is declared to depend on', () => {
    const settings = parseSettings({
      ...base,
      comparisons: [
        { name: 'postcode', columns: 'postcode', levels: [{ kind: 'exact' }, { kind: 'else' }] },
        { name: 'address', columns: 'address', correlatedWith: ['postcode'], levels: [{ kind: 'exact' }, { kind: 'else' }] },
        { name: 'surname', columns: 'surname', levels: [{ kind: 'exact' }, { kind: 'else' }] },
      ],
    });
    const rule = [{ column: 'surname', transform: 'doubleMetaphone' as const }, { column: 'postcode', transform: null }];
    expect(settings.comparisons.map((comparison) => ruleDecides(rule, comparison))).toEqual([true, true, false]);
  });
});

describe('training and scoring with a household segment', () => {
  const records = [...generatePopulation({ seed: 7, records: 6000, errorProfile: 'realistic' })];
  const csv = `${CSV_COLUMNS.join(',')}\n${records
    .map((r) => [r.recordId, r.personId, r.source, r.firstName, r.surname, r.dateOfBirth, r.sex, r.addressLine1, r.postcode, r.upn, r.nhsNumber].map((v) => (/[",]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(','))
    .join('\n')}\n`;
  const truth = buildTruth(records.map((r) => ({ recordId: r.recordId, personId: r.personId })));

  test('the preset trains segment parameters, estimates λ from the candidates, and keeps twins apart', async () => {
    const settings = parseSettingsJson(preset);
    const result = await dedupeFile({ settings, file: Readable.from([csv]), train: { seed: 3 }, threshold: 0.5, cluster: false, threads: 1 });
    const model = result.model;
    expect(model.segments).toHaveLength(1);
    const household = model.segments![0]!;
    expect(household.pairs).toBeGreaterThan(0);
    expect(household.prior).toBeGreaterThan(0.1);
    expect(household.u[settings.comparisons.findIndex((c) => c.name === 'postcode')]).toBeNull();
    expect(model.training?.priorMethod).toBe('candidatePairs');
    // λ is the expected number of matches over the possible pairs; it lands near the true count.
    expect(model.training?.expectedMatches).toBeGreaterThan(truth.truePairs * 0.85);
    expect(model.training?.expectedMatches).toBeLessThan(truth.truePairs * 1.15);
    expect(loadModel(saveModel(model))).toEqual(model);

    const pairwise = evaluate(
      result.pairs.filter((p) => p.probability >= 0.95).map((p) => [p.leftId, p.rightId] as const),
      truth,
    );
    expect(pairwise.f1).toBeGreaterThan(0.97);
    const clusters = clusterLinkedPairs(result, 0.95);
    const clustered = evaluate({ clusters: clusters.members }, truth);
    expect(clustered.f1).toBeGreaterThan(0.97);

    // Every pair of twins' records: kept apart, and weighed as a household pair when the address agrees.
    const byId = new Map(records.map((r, i) => [r.recordId, i]));
    const twins = records.filter((r) => r.person.twinOf !== null);
    let checked = 0;
    for (const a of twins) {
      for (const b of twins) {
        if (a.person.twinOf !== b.personId || a.recordId > b.recordId) continue;
        const i = byId.get(a.recordId)!;
        const j = byId.get(b.recordId)!;
        expect(clusters.clusterIds[i]).not.toBe(clusters.clusterIds[j]);
        if (a.postcode === b.postcode && a.surname.toLowerCase() === b.surname.toLowerCase() && a.postcode !== '') {
          const waterfall = explainPair(model, result.table, Math.min(i, j), Math.max(i, j));
          expect(waterfall.segment?.name).toBe('household');
          expect(waterfall.steps.find((step) => step.comparison === 'postcode')?.decidedBySegment).toBe(true);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  test('initialModel gives a segment starting values, and a model missing its segments is rejected', () => {
    const settings = parseSettingsJson(preset);
    const model = initialModel(settings);
    expect(model.segments?.[0]?.u.filter((u) => u === null)).toHaveLength(1);
    expect(loadModel(saveModel(model))).toEqual(model);
    const broken = JSON.parse(saveModel(model)) as { segments?: unknown };
    delete broken.segments;
    expect(() => loadModel(JSON.stringify(broken))).toThrow(/segments: 0 given but the settings have 1/);
  });

  test('training sessions sample large rules evenly', () => {
    const settings = parseSettingsJson(preset);
    const table = tableFromRecords(settings, records.map((r) => ({ record_id: r.recordId, first_name: r.firstName, surname: r.surname, date_of_birth: r.dateOfBirth, sex: r.sex, postcode: r.postcode, upn: r.upn, nhs_number: r.nhsNumber })));
    const model = trainModel(table, settings, { seed: 3, maxPairsPerSession: 500 });
    const sampled = model.training?.sessions.filter((session) => session.blockedPairs !== undefined) ?? [];
    expect(sampled.length).toBeGreaterThan(0);
    for (const session of sampled) expect(session.pairs).toBeLessThanOrEqual(500);
    const chunks = [Uint32Array.from([0, 1, 0, 2, 0, 3]), Uint32Array.from([1, 2, 1, 3, 2, 3])];
    expect([...everyNth(chunks, 2)].flatMap((chunk) => [...chunk])).toEqual([0, 2, 1, 2, 2, 3]);
  });
});

describe('clustering without contradictions', () => {
  test('a record that fits two children joins the stronger, and the two stay apart', () => {
    // 0 and 2 are twins (they contradict each other); 1 has no first name and links to both.
    const pairs = Uint32Array.from([0, 1, 1, 2, 2, 3]);
    const weights = Float64Array.from([9, 8, 12]);
    const { clusters, refused } = clusterWithoutContradictions(4, pairs, weights, (x, y) => (x === 0 && y === 2) || (x === 2 && y === 0));
    // Strongest first: 2–3, then 0–1 (weight 9), and 1–2 (weight 8) would put 0 and 2 together.
    expect(refused).toBe(1);
    expect(clusters.clusterIds[2]).toBe(clusters.clusterIds[3]);
    expect(clusters.clusterIds[0]).toBe(clusters.clusterIds[1]);
    expect(clusters.clusterIds[0]).not.toBe(clusters.clusterIds[2]);
  });

  test('without contradictions it is the connected components', () => {
    const pairs = Uint32Array.from([0, 1, 1, 2, 3, 4]);
    const { clusters, refused } = clusterWithoutContradictions(5, pairs, Float64Array.from([1, 2, 3]), () => false);
    expect(refused).toBe(0);
    expect(clusters.count).toBe(2);
    expect([...clusters.sizes]).toEqual([3, 2]);
  });
});
