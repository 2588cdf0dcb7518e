/**
 * The CSV shape of generated records, and a small streaming reader for it. Written here rather than
 * taken from a package because the generator's output is simple (no line breaks inside fields) and
 * reading it back must not hold a million-record file in memory.
 */

import { createReadStream } from 'node:fs';

/** Column order of every generated file. */
export const CSV_COLUMNS = [
  'record_id',
  'person_id',
  'source',
  'first_name',
  'surname',
  'date_of_birth',
  'sex',
  'address_line_1',
  'postcode',
  'upn',
  'nhs_number',
] as const;

/** Optional last column: the error codes applied to the record, separated by semicolons. */
export const ERRORS_COLUMN = 'errors';

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 quoting: only fields with a comma, quote or line break are quoted, and quotes are doubled. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Incremental RFC 4180 parser: feed it chunks as they arrive and it returns the rows completed so
 * far. Handles quoted fields (with doubled quotes, commas and line breaks inside) and LF or CRLF.
 */
export class CsvParser {
  #field = '';
  #row: string[] = [];
  #quoted = false;
  /** Just saw a quote inside a quoted field: either an escaped quote or the field's end. */
  #quoteInQuoted = false;
  /** The current field began with a quote (so an empty quoted field still counts as a field). */
  #started = false;

  push(chunk: string): string[][] {
    const rows: string[][] = [];
    let field = this.#field;
    for (let i = 0; i < chunk.length; i += 1) {
      const character = chunk.charAt(i);
      if (this.#quoted) {
        if (this.#quoteInQuoted) {
          this.#quoteInQuoted = false;
          if (character === '"') {
            field += '"';
            continue;
          }
          this.#quoted = false;
          // fall through: the character after a closing quote is handled as unquoted
        } else if (character === '"') {
          this.#quoteInQuoted = true;
          continue;
        } else {
          field += character;
          continue;
        }
      }
      if (character === ',') {
        this.#row.push(field);
        field = '';
        this.#started = false;
      } else if (character === '\n') {
        this.#row.push(field);
        rows.push(this.#row);
        this.#row = [];
        field = '';
        this.#started = false;
      } else if (character === '\r') {
        // dropped: a CR is only ever part of a CRLF line ending outside quotes
      } else if (character === '"' && field === '' && !this.#started) {
        this.#quoted = true;
        this.#started = true;
      } else {
        field += character;
      }
    }
    this.#field = field;
    return rows;
  }

  /** The last row, when the input does not end with a line break. */
  end(): string[][] {
    if (this.#quoted && !this.#quoteInQuoted) throw new SyntaxError('CSV ends inside a quoted field');
    this.#quoted = false;
    this.#quoteInQuoted = false;
    if (this.#field === '' && this.#row.length === 0 && !this.#started) return [];
    this.#row.push(this.#field);
    const row = this.#row;
    this.#row = [];
    this.#field = '';
    this.#started = false;
    return [row];
  }
}

/** Every row of a CSV text, header included. */
export function parseCsv(text: string): string[][] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}

/**
 * The rows of a CSV file (or any stream of text or bytes) as objects keyed by the header, one at a
 * time. Rows with a different number of fields from the header are an error, not a guess.
 */
export async function* readCsvRows(
  input: string | AsyncIterable<string | Uint8Array>,
): AsyncGenerator<Record<string, string>, void, undefined> {
  const source = typeof input === 'string' ? createReadStream(input, { encoding: 'utf8' }) : input;
  const decoder = new TextDecoder('utf-8');
  const parser = new CsvParser();
  let header: string[] | null = null;
  let line = 0;
  const toObject = (row: string[]): Record<string, string> | null => {
    line += 1;
    if (header === null) {
      header = row;
      return null;
    }
    if (row.length !== header.length) {
      throw new SyntaxError(`CSV row ${line} has ${row.length} fields; the header has ${header.length}`);
    }
    const record: Record<string, string> = {};
    for (let i = 0; i < header.length; i += 1) record[header[i] as string] = row[i] as string;
    return record;
  };
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    for (const row of parser.push(text)) {
      const record = toObject(row);
      if (record !== null) yield record;
    }
  }
  for (const row of parser.push(decoder.decode()).concat(parser.end())) {
    const record = toObject(row);
    if (record !== null) yield record;
  }
}
