/**
 * Reading CSV files that schools and officers upload. Written here rather than taken from a
 * package so every rule a council relies on is in one place and tested: RFC 4180 quoting, the
 * encodings we accept, the size we accept, the columns we need, and refusing cells a spreadsheet
 * would run as a formula when somebody later opens an export in Excel.
 */

export const DEFAULT_MAX_CSV_BYTES = 5 * 1024 * 1024;

export type CsvFileErrorCode = 'empty' | 'too-large' | 'binary' | 'not-utf8' | 'malformed' | 'missing-columns' | 'unknown-columns' | 'duplicate-columns' | 'formula';

/** A problem with the whole file: nothing in it is used. `line` and `column` say where, when known. */
export class CsvFileError extends Error {
  override name = 'CsvFileError';
  readonly code: CsvFileErrorCode;
  readonly line: number | null;
  readonly column: string | null;

  constructor(code: CsvFileErrorCode, message: string, where: { line?: number; column?: string } = {}) {
    super(message);
    this.code = code;
    this.line = where.line ?? null;
    this.column = where.column ?? null;
  }
}

/** One record of the file and the 1-based line it starts on (the header is line 1). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * Parses CSV text as RFC 4180 describes it, also accepting LF line ends and a leading byte order
 * mark. Quoted fields may hold commas, line breaks and doubled quotes. Blank lines are skipped.
 * Each record keeps the line it started on, so problems can be reported where a person will look.
 */
export function parseCsv(text: string): CsvRecord[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let recordLine = 1;
  let cells: string[] = [];
  let field = '';
  let i = 0;
  const n = source.length;
  // Whether the current field has had any character (so a quote here is data, not an opening quote),
  // and whether the current record has anything at all (a blank line has not).
  let fieldStarted = false;
  let recordStarted = false;

  const endRecord = () => {
    cells.push(field);
    if (recordStarted) records.push({ line: recordLine, cells });
    cells = [];
    field = '';
    fieldStarted = false;
    recordStarted = false;
  };

  while (i < n) {
    const ch = source[i]!;
    if (ch === '"' && !fieldStarted) {
      // A quoted field: runs to the next quote not followed by another quote.
      fieldStarted = true;
      recordStarted = true;
      const openedOn = line;
      i += 1;
      let closed = false;
      while (i < n) {
        const c = source[i]!;
        if (c === '"') {
          if (source[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i += 1;
          break;
        }
        if (c === '\n') line += 1;
        field += c;
        i += 1;
      }
      if (!closed) throw new CsvFileError('malformed', `The file is not a valid CSV file: the quoted value starting on line ${openedOn} has no closing quote`, { line: openedOn });
      const next = source[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new CsvFileError('malformed', `The file is not a valid CSV file: line ${line} has text after a closing quote`, { line });
      }
      continue;
    }
    if (ch === ',') {
      cells.push(field);
      field = '';
      fieldStarted = false;
      recordStarted = true;
      i += 1;
      continue;
    }
    if (ch === '\r' && source[i + 1] === '\n') {
      endRecord();
      i += 2;
      line += 1;
      recordLine = line;
      continue;
    }
    if (ch === '\n') {
      endRecord();
      i += 1;
      line += 1;
      recordLine = line;
      continue;
    }
    if (ch === '"') throw new CsvFileError('malformed', `The file is not a valid CSV file: line ${line} has a quote inside a value that is not in quotes`, { line });
    field += ch;
    fieldStarted = true;
    recordStarted = true;
    i += 1;
  }
  if (recordStarted) endRecord();
  return records;
}

/** A number such as -1 or +3.5, or a telephone number such as +44 7700 900123: safe despite the sign. */
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
const PHONE_NUMBER = /^\+\d[\d ]{6,18}$/;

/**
 * Whether a spreadsheet could treat the cell as a formula (CSV injection). `=`, `@`, tab and
 * carriage return at the start are always refused; `+` and `-` unless the whole cell is a plain
 * number or an international telephone number. Leading spaces are ignored when looking, because
 * Cairn trims values before it stores them.
 */
export function looksLikeFormula(cell: string): boolean {
  if (cell.length === 0) return false;
  if (cell[0] === '\t' || cell[0] === '\r') return true;
  const start = cell.replace(/^ +/, '');
  const first = start[0];
  if (first === undefined) return false;
  if (first === '\t' || first === '\r' || first === '=' || first === '@') return true;
  if (first === '+' || first === '-') return !(PLAIN_NUMBER.test(start.trimEnd()) || PHONE_NUMBER.test(start.trimEnd()));
  return false;
}

/** Spreadsheet column letters (1 → A, 27 → AA), so a person can find the cell. */
export function columnLetter(index: number): string {
  let n = index;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** How a header is compared with a field name: case, spaces, underscores and hyphens ignored. */
export const normaliseHeader = (name: string) => name.trim().toLowerCase().replace(/[\s_-]+/g, '');

export interface CsvColumns {
  /** Field names the file must have a column for. */
  required: readonly string[];
  /** Field names the file may have a column for. */
  optional: readonly string[];
}

export interface CheckedCsvRow {
  line: number;
  /** Values by field name; a field whose column is absent is missing. */
  values: Record<string, string>;
  /** The cells did not line up with the header: the row cannot be read. */
  cellCountProblem: string | null;
}

export interface CheckedCsv {
  /** The header as written in the file, by field name, for naming columns in messages. */
  headerFor: Record<string, string>;
  rows: CheckedCsvRow[];
}

/** True when the bytes hold something other than text: NUL or other control characters. */
function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 64 * 1024);
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) return true;
  }
  return false;
}

/**
 * Checks a whole uploaded file before any row is looked at: that it is text, UTF-8, not too big,
 * CSV, with the columns needed and no others, and free of anything a spreadsheet would run as a
 * formula. Any of these problems refuses the whole file with a `CsvFileError`; problems with one
 * row's values are for the caller's schema.
 */
export function checkCsvFile(bytes: Uint8Array, columns: CsvColumns, options: { maxBytes?: number } = {}): CheckedCsv {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_CSV_BYTES;
  if (bytes.length === 0) throw new CsvFileError('empty', 'The selected file is empty');
  if (bytes.length > maxBytes) throw new CsvFileError('too-large', `The selected file must be smaller than ${formatBytes(maxBytes)}`);
  if (looksBinary(bytes)) throw new CsvFileError('binary', 'The selected file must be a CSV file (it looks like a spreadsheet, document or other binary file)');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new CsvFileError('not-utf8', 'The selected file must be saved as UTF-8 CSV (in Excel, choose “CSV UTF-8” when you save it)');
  }
  const records = parseCsv(text);
  const header = records[0];
  if (!header || records.length < 2) throw new CsvFileError('empty', 'The selected file must have a header row and at least one row of data');

  const known = new Map<string, string>();
  for (const field of [...columns.required, ...columns.optional]) known.set(normaliseHeader(field), field);
  const fieldAt: (string | null)[] = [];
  const headerFor: Record<string, string> = {};
  const unknown: string[] = [];
  header.cells.forEach((name, index) => {
    if (looksLikeFormula(name)) throw new CsvFileError('formula', formulaMessage(header.line, name || columnLetter(index + 1)), { line: header.line, column: name });
    const field = known.get(normaliseHeader(name)) ?? null;
    if (field === null) {
      if (name.trim() !== '') unknown.push(name.trim());
    } else if (headerFor[field] !== undefined) {
      throw new CsvFileError('duplicate-columns', `The file has the column ${name.trim()} more than once`, { line: header.line, column: name.trim() });
    } else headerFor[field] = name.trim();
    fieldAt.push(field);
  });
  if (unknown.length > 0) throw new CsvFileError('unknown-columns', `The file has columns Cairn does not recognise: ${unknown.join(', ')}. Remove them or correct their names`, { line: header.line, column: unknown[0]! });
  const missing = columns.required.filter((field) => headerFor[field] === undefined);
  if (missing.length > 0) throw new CsvFileError('missing-columns', `The file is missing the column${missing.length > 1 ? 's' : ''} ${missing.map(snakeCase).join(', ')}`, { line: header.line, column: snakeCase(missing[0]!) });

  const rows: CheckedCsvRow[] = [];
  for (const record of records.slice(1)) {
    const values: Record<string, string> = {};
    record.cells.forEach((cell, index) => {
      const field = fieldAt[index];
      const columnName = field ? headerFor[field]! : columnLetter(index + 1);
      if (looksLikeFormula(cell)) throw new CsvFileError('formula', formulaMessage(record.line, columnName), { line: record.line, column: columnName });
      if (field) values[field] = cell;
    });
    const cellCountProblem = record.cells.length === header.cells.length ? null : `The row has ${record.cells.length} value${record.cells.length === 1 ? '' : 's'} but the header has ${header.cells.length} columns`;
    rows.push({ line: record.line, values, cellCountProblem });
  }
  return { headerFor, rows };
}

function formulaMessage(line: number, column: string): string {
  return `The file cannot be used: line ${line}, column ${column} starts with a character a spreadsheet would run as a formula (=, +, -, @, tab). Remove it and upload the file again`;
}

/** `pupilFirstName` → `pupil_first_name`, the way columns are documented. */
export function snakeCase(field: string): string {
  return field.replace(/([a-z])([A-Z0-9])/g, '$1_$2').toLowerCase();
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10}MB` : `${Math.round(bytes / 1024)}KB`;
}
