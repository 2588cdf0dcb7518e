import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { enrolments, episodes, matchingExerciseRows, matchingExercises } from '../../db/schema/index.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { isoDate } from '../children/schemas.ts';
import { todayIn } from '../calendar/index.ts';
import { DomainError, forbidden, notFound } from '../errors.ts';
import { normalisePostcode } from '../identifiers/postcode.ts';
import { parseInput } from '../validation.ts';
import { checkCsvFile, CsvFileError } from './csv.ts';
import type { RegisterDeps } from './deletion-returns.ts';
import { addChildFromIntake } from './new-child.ts';
import { openEpisodesIfNone } from './open-episode.ts';

/**
 * The data-matching exercise councils use to find children who have dropped out of view: a
 * population list (a GP-registration extract, a list from a neighbouring council) is matched against
 * Cairn's children, and every person not on a school roll or the register is listed, with how sure
 * the match is, for an officer to review. Those selected become missing-education cases in one step.
 * The file's checksum, each row's result and what was done are kept and audited.
 */

const EXERCISE_ROLES: readonly string[] = ['cme_officer', 'data_officer', 'ehe_officer', 'team_manager'];

export const EXERCISE_COLUMNS = { required: ['firstName', 'lastName', 'dateOfBirth', 'postcode'], optional: ['addressLine1', 'town', 'nhsNumber'] } as const;

/** A match at or above this score is taken as the same child; below it the person is unknown. */
export const KNOWN_SCORE = 85;

const rowSchema = z.object({
  firstName: z.string().trim().min(1, 'first_name is empty'),
  lastName: z.string().trim().min(1, 'last_name is empty'),
  dateOfBirth: isoDate,
  postcode: z
    .string()
    .trim()
    .refine((v) => normalisePostcode(v) !== null, 'postcode is not a real postcode')
    .transform((v) => normalisePostcode(v) ?? v),
  addressLine1: z.string().trim().optional(),
  town: z.string().trim().optional(),
  nhsNumber: z.string().trim().optional(),
});

function assertMay(ctx: UseCaseContext) {
  if (!EXERCISE_ROLES.includes(ctx.actor.role)) throw forbidden();
}

/** Dates as ISO or YYYYMMDD, the two forms population extracts use. */
const isoFrom = (value: string) => (/^\d{8}$/.test(value.trim()) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}` : value.trim());

/**
 * Runs an exercise on an uploaded list. The whole file is checked first; any bad row refuses the
 * file with every problem listed, so nothing is half-run.
 */
export async function runMatchingExercise(deps: RegisterDeps, ctx: UseCaseContext, bytes: Uint8Array, input: { name: string; fileName: string }) {
  assertMay(ctx);
  const name = input.name.trim();
  if (!name) throw new DomainError('validation', 'There is a problem', { name: 'Enter a name for the exercise, like “GP registrations, autumn term”' });
  let checked;
  try {
    checked = checkCsvFile(bytes, EXERCISE_COLUMNS, { maxBytes: 20 * 1024 * 1024 });
  } catch (error) {
    if (error instanceof CsvFileError) throw new DomainError('validation', 'There is a problem', { file: error.message });
    throw error;
  }
  const problems: string[] = [];
  const people: { line: number; person: z.output<typeof rowSchema> }[] = [];
  for (const row of checked.rows) {
    if (row.cellCountProblem) {
      problems.push(`Line ${row.line}: ${row.cellCountProblem}`);
      continue;
    }
    const parsed = rowSchema.safeParse({ ...row.values, dateOfBirth: isoFrom(row.values['dateOfBirth'] ?? '') });
    if (parsed.success) people.push({ line: row.line, person: parsed.data });
    else problems.push(`Line ${row.line}: ${parsed.error.issues.map((i) => (i.path[0] === 'dateOfBirth' ? 'date_of_birth is not a real date' : i.message)).join('; ')}`);
  }
  if (problems.length) {
    throw new DomainError('validation', 'There is a problem', { file: `The file has ${problems.length} row${problems.length === 1 ? '' : 's'} Cairn cannot use, so nothing was matched. ${problems.slice(0, 10).join('. ')}${problems.length > 10 ? '. …' : ''}` });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return deps.runInTransaction(ctx, async (uow) => {
    const candidates = await deps.matcher.findCandidatesForMany(uow.tx, people.map(({ person }) => ({ firstName: person.firstName, lastName: person.lastName, dateOfBirth: person.dateOfBirth, postcode: person.postcode, nhsNumber: person.nhsNumber || undefined })));
    const best = candidates.map((list) => list[0] ?? null);
    const matchedIds = [...new Set(best.flatMap((c) => (c && c.score >= KNOWN_SCORE ? [c.childId] : [])))];
    const onRoll = new Set(matchedIds.length ? (await uow.tx.select({ id: enrolments.childId }).from(enrolments).where(and(inArray(enrolments.childId, matchedIds), isNull(enrolments.endDate)))).map((r) => r.id) : []);
    const onRegister = new Set(matchedIds.length ? (await uow.tx.select({ id: episodes.childId }).from(episodes).where(and(inArray(episodes.childId, matchedIds), isNull(episodes.closedOn)))).map((r) => r.id) : []);
    const rows = people.map(({ line, person }, index) => {
      const c = best[index];
      const matched = c && c.score >= KNOWN_SCORE ? c : null;
      const known = matched !== null && (onRoll.has(matched.childId) || onRegister.has(matched.childId));
      return {
        line,
        person,
        status: known ? 'known' : matched ? 'unknown-record' : 'unknown',
        matchedChildId: matched?.childId ?? null,
        score: c?.score ?? 0,
        reasons: c?.reasons ?? [],
      };
    });
    const [exercise] = await uow.tx
      .insert(matchingExercises)
      .values({ name, fileName: input.fileName, sha256, rowCount: rows.length, knownCount: rows.filter((r) => r.status === 'known').length, unknownCount: rows.filter((r) => r.status !== 'known').length, createdBy: ctx.actor.id, createdAt: ctx.now })
      .returning();
    for (let start = 0; start < rows.length; start += 500) {
      await uow.tx.insert(matchingExerciseRows).values(rows.slice(start, start + 500).map((r) => ({ ...r, exerciseId: exercise!.id })));
    }
    uow.audit({ action: 'matching-exercise.run', recordType: 'matching_exercise', recordId: exercise!.id, childId: null, details: { sha256, fileName: input.fileName, rows: rows.length, known: exercise!.knownCount, unknown: exercise!.unknownCount } });
    return exercise!;
  });
}

export async function listMatchingExercises(deps: RegisterDeps, ctx: UseCaseContext) {
  assertMay(ctx);
  return deps.runInTransaction(ctx, async (uow) => {
    const rows = await uow.tx.select().from(matchingExercises).orderBy(desc(matchingExercises.createdAt)).limit(100);
    uow.audit({ action: 'matching-exercise.list', recordType: 'matching_exercise', recordId: null, childId: null });
    return rows;
  });
}

/** An exercise with the people it found unknown first (least sure of a match first). Audited. */
export async function viewMatchingExercise(deps: RegisterDeps, ctx: UseCaseContext, exerciseId: string) {
  assertMay(ctx);
  if (!z.uuid().safeParse(exerciseId).success) throw notFound('The exercise');
  return deps.runInTransaction(ctx, async (uow) => {
    const [exercise] = await uow.tx.select().from(matchingExercises).where(eq(matchingExercises.id, exerciseId));
    if (!exercise) throw notFound('The exercise');
    const rows = await uow.tx.select().from(matchingExerciseRows).where(eq(matchingExerciseRows.exerciseId, exercise.id)).orderBy(asc(matchingExerciseRows.score), asc(matchingExerciseRows.line));
    uow.audit({ action: 'matching-exercise.view', recordType: 'matching_exercise', recordId: exercise.id, childId: null, details: { rows: rows.length } });
    return { exercise, rows };
  });
}

/**
 * Opens a missing-education case for each selected person: a child Cairn already has but who is on
 * no roll and not on the register, or a new child added from the list.
 */
export async function openCasesFromExercise(deps: RegisterDeps, ctx: UseCaseContext, exerciseId: string, input: unknown) {
  assertMay(ctx);
  const { rowIds } = parseInput(
    z.object({ rowIds: z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.uuid({ error: 'Select the children to open cases for' })).min(1, 'Select the children to open cases for')) }),
    input,
  );
  if (!z.uuid().safeParse(exerciseId).success) throw notFound('The exercise');
  return deps.runInTransaction(ctx, async (uow) => {
    const rows = await uow.tx.select().from(matchingExerciseRows).where(and(eq(matchingExerciseRows.exerciseId, exerciseId), inArray(matchingExerciseRows.id, rowIds)));
    if (rows.length !== new Set(rowIds).size) throw new DomainError('validation', 'There is a problem', { rowIds: 'Select children from this exercise' });
    if (rows.some((r) => r.status === 'known' || r.status === 'case-opened')) throw new DomainError('validation', 'There is a problem', { rowIds: 'Select only children not already known to a school or the register' });
    const [exercise] = await uow.tx.select().from(matchingExercises).where(eq(matchingExercises.id, exerciseId));
    const today = todayIn(ctx.now);
    const openings = [];
    for (const row of rows) {
      const p = row.person as z.output<typeof rowSchema>;
      const childId =
        row.matchedChildId ??
        (await addChildFromIntake(uow, { firstName: p.firstName, lastName: p.lastName, dateOfBirth: p.dateOfBirth, addressLine1: p.addressLine1 ?? '', town: p.town ?? '', postcode: p.postcode }, {
          summary: `Added to the register from the data-matching exercise “${exercise!.name}”`,
          source: 'data-matching',
          sourceId: exerciseId,
        }));
      await uow.tx.update(matchingExerciseRows).set({ status: 'case-opened', caseChildId: childId }).where(eq(matchingExerciseRows.id, row.id));
      openings.push({ childId, kind: 'cme' as const, openedOn: today, openedBy: 'data-matching' as const, sourceId: exerciseId, reason: 'unknown-child' });
    }
    const opened = await openEpisodesIfNone(uow, openings);
    uow.audit({ action: 'matching-exercise.open-cases', recordType: 'matching_exercise', recordId: exerciseId, childId: null, details: { rows: rows.length, opened: opened.filter((o) => o.opened).length } });
    return { selected: rows.length, opened: opened.filter((o) => o.opened).length };
  });
}
