import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, children, episodes, matchingExerciseRows } from '../../src/db/schema/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { pupilOnDemoRoll } from '../support/register.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;
const csv = (rows: string[]) => new TextEncoder().encode(['first_name,last_name,date_of_birth,postcode', ...rows].join('\n'));

describe.each(ENGINES)('data-matching exercises on %s', (engine) => {
  let setup: Setup;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('a list is matched against rolls and the register; the unknown are listed and selected ones become cases', async () => {
    const { child: pupil } = await pupilOnDemoRoll(db());
    const [offRoll] = await db()
      .select()
      .from(children)
      .where(sql`not exists (select 1 from enrolments n where n.child_id = ${children.id} and n.end_date is null) and not exists (select 1 from episodes e where e.child_id = ${children.id} and e.closed_on is null)`)
      .orderBy(children.laChildId)
      .limit(1);
    const officer = await contextFor(db(), 'demo-cme-officer');
    const file = csv([
      `${pupil.firstName},${pupil.lastName},${pupil.dateOfBirth.replace(/-/g, '')},${pupil.postcode}`,
      `${offRoll!.firstName},${offRoll!.lastName},${offRoll!.dateOfBirth},${offRoll!.postcode}`,
      'Marisol,Featherstonehaugh,2015-04-02,NZ4 7QT',
    ]);
    const exercise = await services().runMatchingExercise(officer, file, { name: 'GP registrations', fileName: 'gp.csv' });
    expect(exercise).toMatchObject({ rowCount: 3, knownCount: 1, unknownCount: 2 });
    expect(exercise.sha256).toMatch(/^[0-9a-f]{64}$/);
    const { rows } = await services().viewMatchingExercise(officer, exercise.id);
    const byLine = new Map(rows.map((r) => [r.line, r]));
    expect(byLine.get(2)).toMatchObject({ status: 'known', matchedChildId: pupil.id });
    expect(byLine.get(3)).toMatchObject({ status: 'unknown-record', matchedChildId: offRoll!.id });
    expect(byLine.get(4)).toMatchObject({ status: 'unknown', matchedChildId: null });

    await expect(services().openCasesFromExercise(officer, exercise.id, { rowIds: [byLine.get(2)!.id] })).rejects.toMatchObject({ fields: { rowIds: 'Select only children not already known to a school or the register' } });
    await expect(services().openCasesFromExercise(officer, exercise.id, {})).rejects.toMatchObject({ fields: { rowIds: 'Select the children to open cases for' } });
    const result = await services().openCasesFromExercise(officer, exercise.id, { rowIds: [byLine.get(3)!.id, byLine.get(4)!.id] });
    expect(result).toEqual({ selected: 2, opened: 2 });
    const [existingCase] = await db().select().from(episodes).where(and(eq(episodes.childId, offRoll!.id), eq(episodes.kind, 'cme')));
    expect(existingCase).toMatchObject({ openedBy: 'data-matching', reason: 'unknown-child', sourceId: exercise.id });
    const [newRow] = await db().select().from(matchingExerciseRows).where(eq(matchingExerciseRows.id, byLine.get(4)!.id));
    expect(newRow!.status).toBe('case-opened');
    const [added] = await db().select().from(children).where(eq(children.id, newRow!.caseChildId!));
    expect(added).toMatchObject({ firstName: 'Marisol', lastName: 'Featherstonehaugh', postcode: 'NZ4 7QT' });
    const audits = await db().select().from(auditLog).where(eq(auditLog.recordId, exercise.id));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['matching-exercise.run', 'matching-exercise.view', 'matching-exercise.open-cases']));
  });

  test('a file with a bad row is refused whole with every problem; other roles are refused', async () => {
    const officer = await contextFor(db(), 'demo-data-officer');
    await expect(services().runMatchingExercise(officer, csv(['Ann,Lee,2015-02-30,NZ1 1AA', 'Bo,,2014-01-01,nowhere']), { name: 'Bad', fileName: 'bad.csv' })).rejects.toMatchObject({
      fields: { file: expect.stringContaining('Line 2: date_of_birth is not a real date. Line 3: last_name is empty; postcode is not a real postcode') },
    });
    await expect(services().runMatchingExercise(officer, new TextEncoder().encode('name\nx'), { name: 'Bad', fileName: 'bad.csv' })).rejects.toMatchObject({ fields: { file: expect.stringContaining('Cairn does not recognise') } });
    await expect(services().runMatchingExercise(officer, csv(['Ann,Lee,2015-02-03,NZ1 1AA']), { name: ' ', fileName: 'x.csv' })).rejects.toMatchObject({ fields: { name: expect.stringContaining('Enter a name') } });
    for (const subject of ['demo-school-user', 'demo-parent', 'demo-health-visitor', 'demo-social-worker']) {
      await expect(services().runMatchingExercise(await contextFor(db(), subject), csv(['Ann,Lee,2015-02-03,NZ1 1AA']), { name: 'x', fileName: 'x.csv' })).rejects.toMatchObject({ code: 'forbidden' });
    }
  });
});
