import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { children } from '../../src/db/schema/index.ts';
import { createLinkageMatcher, swappedDayMonth } from '../../src/domain/register/linkage-matcher.ts';
import { postcodeKey } from '../../src/domain/identifiers/postcode.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';

describe('swapped day and month', () => {
  test('only when the swap is still a different, real date', () => {
    expect(swappedDayMonth('2016-03-12')).toBe('2016-12-03');
    expect(swappedDayMonth('2016-05-05')).toBeNull();
    expect(swappedDayMonth('2016-03-25')).toBeNull();
    expect(swappedDayMonth('not a date')).toBeNull();
  });
});

describe.each(ENGINES)('intake matching through the record-linkage engine, on %s', (engine) => {
  let setup: Awaited<ReturnType<typeof createTestRuntime>>;
  const db = () => setup.runtime.database.db;
  const matcher = createLinkageMatcher();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    setup = await createTestRuntime(engine, { childCount: 60 });
    const base = { sex: 'F', addressLine1: '14 Quillon Row', town: 'Northby', postcode: 'NZ4 7QP', postcodeKey: postcodeKey('NZ4 7QP') };
    const rows = await db()
      .insert(children)
      .values([
        { ...base, laChildId: 'LM-T1', firstName: 'Isadora', lastName: 'Penhallow', dateOfBirth: '2016-03-12', upn: 'H801200001001' },
        { ...base, laChildId: 'LM-T2', firstName: 'Wilhelmina', lastName: 'Penhallow', dateOfBirth: '2016-03-12', upn: 'H801200001002' },
        { ...base, laChildId: 'LM-O', firstName: 'Tobias', lastName: 'Quenby', sex: 'M', dateOfBirth: '2013-09-30', nhsNumber: '9434765919', postcode: 'NZ2 1AB', postcodeKey: 'NZ21AB' },
      ])
      .returning({ id: children.id, laChildId: children.laChildId });
    for (const row of rows) ids[row.laChildId] = row.id;
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('a twin is never taken for the other: the first names decide, and the waterfall says so', async () => {
    const [candidates] = await matcher.findCandidatesForMany(db(), [{ firstName: 'Isadora', lastName: 'Penhallow', dateOfBirth: '2016-03-12', postcode: 'NZ4 7QP' }]);
    expect(candidates![0]).toMatchObject({ childId: ids['LM-T1'] });
    const twin = candidates!.find((c) => c.childId === ids['LM-T2']);
    expect(twin?.score ?? 0).toBeLessThan(85);
    if (twin) expect(twin.evidence!.steps.find((s) => s.comparison === 'Name')!.weight).toBeLessThan(0);
  });

  test('spelling slips and a swapped day and month still find the child, with a readable waterfall', async () => {
    const [candidates] = await matcher.findCandidatesForMany(db(), [{ firstName: 'Tobais', lastName: 'Quenby', dateOfBirth: '2013-09-30', postcode: 'NZ2 1AB', sex: 'M' }]);
    expect(candidates![0]).toMatchObject({ childId: ids['LM-O'] });
    expect(candidates![0]!.score).toBeGreaterThanOrEqual(85);
    expect(candidates![0]!.score).toBeLessThan(100);
    const evidence = candidates![0]!.evidence!;
    expect(evidence.steps.map((s) => s.comparison)).toEqual(['Name', 'Date of birth', 'Sex', 'Postcode', 'UPN', 'NHS number']);
    expect(evidence.steps.find((s) => s.comparison === 'Name')).toMatchObject({ incoming: 'Tobais Quenby', register: 'Tobias Quenby' });
    const sum = evidence.priorWeight + evidence.steps.reduce((total, s) => total + s.weight, 0);
    expect(sum).toBeCloseTo(evidence.matchWeight, 6);
  });

  test('an identifier settles a match only when the rest of the record agrees', async () => {
    const [same] = await matcher.findCandidatesForMany(db(), [{ firstName: 'Tobias', lastName: 'Quenby', dateOfBirth: '2013-09-30', nhsNumber: '9434765919' }]);
    expect(same![0]).toMatchObject({ childId: ids['LM-O'], score: 100, reasons: expect.arrayContaining(['Same NHS number']) });
    const [clash] = await matcher.findCandidatesForMany(db(), [{ firstName: 'Priya', lastName: 'Oduya', dateOfBirth: '2019-01-05', nhsNumber: '9434765919' }]);
    const found = clash!.find((c) => c.childId === ids['LM-O']);
    expect(found?.score ?? 0).toBeLessThan(100);
  });

  test('a day-and-month transposition is a candidate and says so', async () => {
    const [candidates] = await matcher.findCandidatesForMany(db(), [{ firstName: 'Isadora', lastName: 'Penhallow', dateOfBirth: '2016-12-03', postcode: 'NZ4 7QP' }]);
    const first = candidates![0]!;
    expect(first.childId).toBe(ids['LM-T1']);
    expect(first.reasons).toContain('Date of birth with day and month swapped');
    expect(first.evidence!.steps.find((s) => s.comparison === 'Date of birth')!.level).toBe('day and month swapped');
  });
});
