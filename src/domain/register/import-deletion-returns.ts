import { createHash } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { deletionReturns, formDrafts, schools } from '../../db/schema/index.ts';
import { parseInput } from '../validation.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { DomainError, forbidden } from '../errors.ts';
import { checkCsvFile, CsvFileError, snakeCase, type CsvFileErrorCode } from './csv.ts';
import { deletionReturnKey, receiveDeletionReturns, type DeletionReturnOutcome, type RegisterDeps } from './deletion-returns.ts';
import { deletionReturnSchema } from './schemas.ts';

/**
 * Bulk deletion returns from a CSV file: a school's own leavers, or an officer's file covering
 * several schools. The file is checked as a whole first; then every row goes through exactly the
 * same rules as a return sent with the form (`submitDeletionReturn`, source `csv`).
 *
 * Columns (header names in snake_case as below; camelCase, spaces and any letter case also work):
 *
 * | column                  | required | notes                                                        |
 * |-------------------------|----------|--------------------------------------------------------------|
 * | school_urn              | officers | 6 digits; a school's own file may leave it out (must match)   |
 * | pupil_first_name        | yes      |                                                              |
 * | pupil_last_name         | yes      |                                                              |
 * | pupil_date_of_birth     | yes      | 2014-03-27 or 27/03/2014                                      |
 * | upn                     | no       | 13 characters with a correct check letter                    |
 * | parent_name             | yes      | the parent the pupil normally lives with                      |
 * | parent_address_line_1   | yes      |                                                              |
 * | parent_town             | yes      |                                                              |
 * | parent_postcode         | yes      |                                                              |
 * | emergency_phone         | yes      | a UK number, like 01632 960 001 or +44 7700 900982           |
 * | future_address          | no       |                                                              |
 * | destination_school      | no       | needed when destination_start_date is given                  |
 * | destination_start_date  | no       |                                                              |
 * | ground                  | yes      | regulation 9(1) letter, a to o                               |
 * | deletion_date           | yes      |                                                              |
 * | ehe_reason              | no       | only for ground f; a code from the DfE list                   |
 * | safeguarding_concerns   | yes      | yes or no                                                    |
 * | concerns_documented_on  | if yes   |                                                              |
 * | concerns_detail         | if yes   |                                                              |
 */

export const REQUIRED_COLUMNS = [
  'pupilFirstName',
  'pupilLastName',
  'pupilDateOfBirth',
  'parentName',
  'parentAddressLine1',
  'parentTown',
  'parentPostcode',
  'emergencyPhone',
  'ground',
  'deletionDate',
  'safeguardingConcerns',
] as const;
export const OPTIONAL_COLUMNS = ['upn', 'futureAddress', 'destinationSchool', 'destinationStartDate', 'eheReason', 'concernsDocumentedOn', 'concernsDetail'] as const;
const DATE_FIELDS = new Set(['pupilDateOfBirth', 'destinationStartDate', 'deletionDate', 'concernsDocumentedOn']);

export const DEFAULT_BATCH_SIZE = 500;

/** The roles that may import returns; school users only for their own school. */
const OFFICER_ROLES = ['ehe_officer', 'cme_officer', 'data_officer', 'system'];

export interface RowProblem {
  line: number;
  /** The column as headed in the file; null when the whole row is at fault. */
  column: string | null;
  reason: string;
}

export interface DeletionReturnsFileReport {
  sha256: string;
  /** Set when the whole file is refused; then no row is read. */
  fileError: { code: CsvFileErrorCode; message: string; line: number | null; column: string | null } | null;
  totalRows: number;
  validRows: number;
  invalidRows: number;
  /** Valid rows Cairn already holds (an earlier upload of the same returns); importing them changes nothing. */
  alreadyReceived: number;
  problems: RowProblem[];
}

export interface CheckOptions {
  maxBytes?: number | undefined;
  /** For an officer or the system: the file is all for this school, so school_urn may be left out (and must match where given). */
  schoolUrn?: string | undefined;
}

export interface ImportOptions extends CheckOptions {
  mode: 'all-or-nothing' | 'valid-only';
  batchSize?: number;
}

export interface DeletionReturnsImportResult {
  report: DeletionReturnsFileReport;
  mode: ImportOptions['mode'];
  /** imported: every row meant to be imported was; refused: nothing was written; stopped: a batch failed and the rest was not tried. */
  status: 'imported' | 'refused' | 'stopped';
  /** New returns written. */
  imported: number;
  /** Rows Cairn already held: nothing written again. */
  duplicates: number;
  /** Invalid rows left out (valid-only mode). */
  skipped: number;
  outcomes: Record<DeletionReturnOutcome, number>;
  /** The batch that failed and was rolled back, with the rows after it that were not attempted. */
  failedBatch: { fromLine: number; toLine: number; reason: string; notAttempted: number } | null;
}

interface InspectedRow {
  line: number;
  input: Record<string, string>;
  /** Cairn already held this return when the file was checked. */
  alreadyReceived: boolean;
}

interface Inspection {
  report: DeletionReturnsFileReport;
  validRows: InspectedRow[];
}

/** Who may import; checked before the file is even read. */
function assertMayImport(ctx: UseCaseContext): void {
  if (ctx.actor.role === 'school_user') {
    if (!ctx.actor.schoolId) throw forbidden();
    return;
  }
  if (!OFFICER_ROLES.includes(ctx.actor.role)) throw forbidden();
}

/** Spreadsheets save dates as 27/03/2014; the schema wants 2014-03-27. */
function isoFromSpreadsheet(value: string): string {
  const match = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(value);
  return match ? `${match[3]}-${match[2]!.padStart(2, '0')}-${match[1]!.padStart(2, '0')}` : value;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Reads and validates the whole file without changing anything: file-level refusals, each bad
 * row's line, column and reason, and which valid rows Cairn already holds.
 */
async function inspectFile(deps: RegisterDeps, ctx: UseCaseContext, bytes: Uint8Array, options: CheckOptions): Promise<Inspection> {
  const isSchool = ctx.actor.role === 'school_user';
  const fileUrn = isSchool ? undefined : options.schoolUrn;
  const urnColumnRequired = !isSchool && !fileUrn;
  const report: DeletionReturnsFileReport = { sha256: sha256(bytes), fileError: null, totalRows: 0, validRows: 0, invalidRows: 0, alreadyReceived: 0, problems: [] };
  let checked;
  try {
    checked = checkCsvFile(bytes, { required: urnColumnRequired ? [...REQUIRED_COLUMNS, 'schoolUrn'] : REQUIRED_COLUMNS, optional: urnColumnRequired ? OPTIONAL_COLUMNS : [...OPTIONAL_COLUMNS, 'schoolUrn'] }, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes });
  } catch (error) {
    if (!(error instanceof CsvFileError)) throw error;
    report.fileError = { code: error.code, message: error.message, line: error.line, column: error.column };
    return { report, validRows: [] };
  }
  const columnOf = (field: string) => checked.headerFor[field] ?? snakeCase(field);
  report.totalRows = checked.rows.length;

  const parsed: { line: number; input: Record<string, string>; urn: string | undefined; key: Parameters<typeof deletionReturnKey>[1] }[] = [];
  const badLines = new Set<number>();
  const receivedLines = new Set<number>();
  const problem = (p: RowProblem) => {
    report.problems.push(p);
    badLines.add(p.line);
  };
  for (const row of checked.rows) {
    if (row.cellCountProblem) {
      problem({ line: row.line, column: null, reason: row.cellCountProblem });
      continue;
    }
    const input: Record<string, string> = {};
    for (const [field, value] of Object.entries(row.values)) input[field] = DATE_FIELDS.has(field) ? isoFromSpreadsheet(value) : value;
    const result = deletionReturnSchema.safeParse(input);
    if (!result.success) {
      const seen = new Set<string>();
      for (const issue of result.error.issues) {
        const field = issue.path.map(String).join('.');
        if (seen.has(field)) continue;
        seen.add(field);
        problem({ line: row.line, column: field ? columnOf(field) : null, reason: issue.message });
      }
      continue;
    }
    if (urnColumnRequired && !result.data.schoolUrn) {
      problem({ line: row.line, column: columnOf('schoolUrn'), reason: 'Enter the school’s URN' });
      continue;
    }
    if (fileUrn && !result.data.schoolUrn) input['schoolUrn'] = fileUrn;
    parsed.push({ line: row.line, input, urn: result.data.schoolUrn, key: result.data });
  }

  // Which school each row is for, and which rows Cairn already holds; read only.
  await deps.runInTransaction(ctx, async (uow) => {
    const urnOf = new Map<string, string>();
    let ownUrn: string | null = null;
    if (isSchool) {
      const [own] = await uow.tx.select({ urn: schools.urn }).from(schools).where(eq(schools.id, ctx.actor.schoolId!));
      if (!own) throw forbidden();
      ownUrn = own.urn;
    } else {
      const urns = [...new Set([...parsed.map((p) => p.urn ?? fileUrn!), ...(fileUrn ? [fileUrn] : [])])];
      for (let i = 0; i < urns.length; i += 1000) {
        const found = await uow.tx.select({ urn: schools.urn }).from(schools).where(inArray(schools.urn, urns.slice(i, i + 1000)));
        for (const s of found) urnOf.set(s.urn, s.urn);
      }
      if (fileUrn && !urnOf.has(fileUrn)) throw new DomainError('validation', 'There is a problem', { schoolUrn: `There is no school with the URN ${fileUrn} in Cairn` });
    }
    const keyed: { row: (typeof parsed)[number]; key: string }[] = [];
    for (const row of parsed) {
      if (isSchool && row.urn && row.urn !== ownUrn) {
        problem({ line: row.line, column: columnOf('schoolUrn'), reason: 'You can only send returns for your own school' });
        continue;
      }
      if (fileUrn && row.urn && row.urn !== fileUrn) {
        problem({ line: row.line, column: columnOf('schoolUrn'), reason: `The school_urn must be ${fileUrn}, the school this file is for` });
        continue;
      }
      const urn = isSchool ? ownUrn! : urnOf.get(row.urn ?? fileUrn!);
      if (!urn) {
        problem({ line: row.line, column: columnOf('schoolUrn'), reason: 'There is no school with that URN in Cairn' });
        continue;
      }
      keyed.push({ row, key: deletionReturnKey(urn, row.key) });
    }
    const existing = new Set<string>();
    for (let i = 0; i < keyed.length; i += 1000) {
      const found = await uow.tx
        .select({ key: deletionReturns.idempotencyKey })
        .from(deletionReturns)
        .where(inArray(deletionReturns.idempotencyKey, keyed.slice(i, i + 1000).map((k) => k.key)));
      for (const f of found) existing.add(f.key);
    }
    report.alreadyReceived = 0;
    for (const k of keyed) {
      if (existing.has(k.key)) {
        report.alreadyReceived += 1;
        receivedLines.add(k.row.line);
      }
    }
  });

  report.problems.sort((a, b) => a.line - b.line);
  const validRows = parsed.filter((p) => !badLines.has(p.line)).map((p) => ({ line: p.line, input: p.input, alreadyReceived: receivedLines.has(p.line) }));
  report.validRows = validRows.length;
  report.invalidRows = report.totalRows - report.validRows;
  return { report, validRows };
}

/**
 * Checks an uploaded file of deletion returns and says what importing it would do, writing nothing
 * but the audit record that the file was checked. The person sees every problem at once, rather
 * than fixing one row per upload.
 */
export async function checkDeletionReturnsFile(deps: RegisterDeps, ctx: UseCaseContext, bytes: Uint8Array, options: CheckOptions = {}): Promise<DeletionReturnsFileReport> {
  assertMayImport(ctx);
  const { report } = await inspectFile(deps, ctx, bytes, options);
  await deps.runInTransaction(ctx, async (uow) => {
    uow.audit({ action: 'deletion-returns.check-file', recordType: 'deletion_return_file', recordId: null, childId: null, details: summaryOf(report) });
  });
  return report;
}

const summaryOf = (report: DeletionReturnsFileReport) => ({
  sha256: report.sha256,
  fileError: report.fileError?.code ?? null,
  rows: report.totalRows,
  valid: report.validRows,
  invalid: report.invalidRows,
  alreadyReceived: report.alreadyReceived,
});

const noOutcomes = (): Record<DeletionReturnOutcome, number> => ({ 'ehe-episode-opened': 0, 'cme-case-opened': 0, 'held-for-consent': 0, recorded: 0, 'awaiting-match': 0 });

/**
 * Imports a file of deletion returns. The file is checked again (it may have changed since the
 * person saw the report). All-or-nothing imports nothing if any row is bad; valid-only imports the
 * good rows and leaves the rest. Rows go in batches, each batch one transaction with its audit
 * rows and timeline events, so a failure rolls back its whole batch and nothing of it is left
 * half-written; the import then stops and says which lines were not imported. Rows Cairn already
 * holds are recognised and counted, so uploading the same file again changes nothing.
 */
export async function importDeletionReturns(deps: RegisterDeps, ctx: UseCaseContext, bytes: Uint8Array, options: ImportOptions): Promise<DeletionReturnsImportResult> {
  assertMayImport(ctx);
  const { report, validRows } = await inspectFile(deps, ctx, bytes, options);
  const result: DeletionReturnsImportResult = { report, mode: options.mode, status: 'imported', imported: 0, duplicates: 0, skipped: 0, outcomes: noOutcomes(), failedBatch: null };
  const refused = report.fileError !== null || (options.mode === 'all-or-nothing' && report.invalidRows > 0) || validRows.length === 0;
  if (refused) {
    result.status = 'refused';
  } else {
    result.skipped = report.invalidRows;
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    // Rows Cairn already held at the check are counted, not sent again: a re-upload costs one read.
    result.duplicates = validRows.filter((r) => r.alreadyReceived).length;
    const toSend = validRows.filter((r) => !r.alreadyReceived);
    for (let start = 0; start < toSend.length; start += batchSize) {
      const batch = toSend.slice(start, start + batchSize);
      try {
        // The whole batch goes through the same intake as a return sent with the form, in one transaction.
        const outcomes = await deps.runInTransaction(ctx, (uow) =>
          receiveDeletionReturns(
            uow,
            deps.matcher,
            batch.map((row) => parseInput(deletionReturnSchema, row.input)),
            'csv',
          ),
        );
        for (const outcome of outcomes) {
          if (outcome.duplicate) result.duplicates += 1;
          else {
            result.imported += 1;
            result.outcomes[outcome.outcome] += 1;
          }
        }
      } catch (error) {
        result.status = 'stopped';
        result.failedBatch = {
          fromLine: batch[0]!.line,
          toLine: batch[batch.length - 1]!.line,
          reason: error instanceof Error ? error.message : String(error),
          notAttempted: toSend.length - start - batch.length,
        };
        break;
      }
    }
  }
  await deps.runInTransaction(ctx, async (uow) => {
    uow.audit({
      action: 'deletion-returns.import-file',
      recordType: 'deletion_return_file',
      recordId: null,
      childId: null,
      details: { ...summaryOf(report), mode: options.mode, status: result.status, imported: result.imported, duplicates: result.duplicates, skipped: result.skipped, failedBatch: result.failedBatch },
    });
  });
  return result;
}

/** Between the report and the decision the uploaded file waits in `form_drafts`, one per person. */
const HELD_JOURNEY = 'deletion-return-import';
/** The report page lists at most this many problems; the rest are counted. */
export const PROBLEMS_SHOWN = 1000;

const heldSchema = z.discriminatedUnion('stage', [
  z.object({
    stage: z.literal('checked'),
    fileName: z.string(),
    sha256: z.string(),
    fileBase64: z.string(),
    report: z.custom<DeletionReturnsFileReport>((v) => typeof v === 'object' && v !== null),
  }),
  z.object({ stage: z.literal('imported'), fileName: z.string(), result: z.custom<DeletionReturnsImportResult>((v) => typeof v === 'object' && v !== null) }),
]);
export type HeldDeletionReturnsImport = z.infer<typeof heldSchema>;

function heldOwner(ctx: UseCaseContext): string {
  if (ctx.actor.kind !== 'user' || !ctx.actor.id) throw forbidden();
  return ctx.actor.id;
}

/** The report as it is kept: the first problems in full, so a huge file of errors does not bloat the draft. */
const keptReport = (report: DeletionReturnsFileReport): DeletionReturnsFileReport => ({ ...report, problems: report.problems.slice(0, PROBLEMS_SHOWN) });

async function putHeld(deps: RegisterDeps, ctx: UseCaseContext, userId: string, data: HeldDeletionReturnsImport): Promise<void> {
  await deps.runInTransaction(ctx, async (uow) => {
    await uow.tx
      .insert(formDrafts)
      .values({ userId, journey: HELD_JOURNEY, data, updatedAt: ctx.now })
      .onConflictDoUpdate({ target: [formDrafts.userId, formDrafts.journey], set: { data, updatedAt: ctx.now } });
  });
}

/**
 * The web journey's first step: checks the uploaded file and, unless the whole file is refused,
 * keeps it server-side so the person's decision on the report imports exactly the file they saw.
 */
export async function checkAndHoldDeletionReturnsFile(deps: RegisterDeps, ctx: UseCaseContext, bytes: Uint8Array, fileName: string, options: { maxBytes?: number } = {}): Promise<DeletionReturnsFileReport> {
  const userId = heldOwner(ctx);
  const report = await checkDeletionReturnsFile(deps, ctx, bytes, options);
  if (report.fileError) return report;
  await putHeld(deps, ctx, userId, { stage: 'checked', fileName, sha256: report.sha256, fileBase64: Buffer.from(bytes).toString('base64'), report: keptReport(report) });
  return report;
}

/** The person's held upload (its report) or the result of importing it; null when there is none. */
export async function loadHeldDeletionReturnsImport(deps: RegisterDeps, ctx: UseCaseContext): Promise<HeldDeletionReturnsImport | null> {
  const userId = heldOwner(ctx);
  assertMayImport(ctx);
  return deps.runInTransaction(ctx, async (uow) => {
    const [row] = await uow.tx.select().from(formDrafts).where(and(eq(formDrafts.userId, userId), eq(formDrafts.journey, HELD_JOURNEY)));
    const parsed = heldSchema.safeParse(row?.data);
    return parsed.success ? parsed.data : null;
  });
}

/**
 * Imports the file the person saw the report for. `sha256` is the file's hash from that report: if
 * they uploaded another file in another tab since, the import is refused rather than guessing.
 */
export async function importHeldDeletionReturnsFile(deps: RegisterDeps, ctx: UseCaseContext, input: { mode: ImportOptions['mode']; sha256: string }, options: { maxBytes?: number } = {}): Promise<DeletionReturnsImportResult> {
  const userId = heldOwner(ctx);
  const held = await loadHeldDeletionReturnsImport(deps, ctx);
  if (!held || held.stage !== 'checked' || held.sha256 !== input.sha256) {
    throw new DomainError('validation', 'There is a problem', { file: 'The file has changed or was already dealt with. Upload it again' });
  }
  const result = await importDeletionReturns(deps, ctx, Buffer.from(held.fileBase64, 'base64'), { mode: input.mode, ...options });
  await putHeld(deps, ctx, userId, { stage: 'imported', fileName: held.fileName, result: { ...result, report: keptReport(result.report) } });
  return result;
}

/** Forgets the held upload: the person chose not to import it, or has read the result. */
export async function discardHeldDeletionReturnsFile(deps: RegisterDeps, ctx: UseCaseContext): Promise<void> {
  const userId = heldOwner(ctx);
  await deps.runInTransaction(ctx, async (uow) => {
    await uow.tx.delete(formDrafts).where(and(eq(formDrafts.userId, userId), eq(formDrafts.journey, HELD_JOURNEY)));
  });
}
