import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { doubleMetaphone } from './metrics.ts';
import { isDateKind, levelColumns, requiredColumns, type ColumnCleaning, type Settings } from './settings.ts';

/**
 * Reading CSV files into a columnar, in-memory table of precomputed features.
 *
 * Comparing a pair of records happens millions of times while preparing a record happens once, so
 * everything that can be worked out per record is done here: values are trimmed, lower-cased and
 * interned (so equality is an integer comparison), phonetic codes are computed, dates are parsed
 * to day numbers, and missing values are marked. Columns live in typed arrays on shared memory so
 * worker threads can read them without copying, and no per-record objects are kept.
 */

/** Marks a missing or unparseable date in the day-number columns. */
export const NO_DATE = -2147483648;
/** Marks a missing value in the interned-id columns. */
export const MISSING = -1;

export interface ColumnFeatures {
  name: string;
  /** True when the settings clean this column, so that its values as written are not what is compared. */
  cleaned: boolean;
  /** Interned id of the trimmed value as written, or MISSING when empty (or cleaned to nothing). */
  raw: Int32Array;
  /**
   * Interned id of the value trimmed, with inner white space collapsed, lower-cased and then cleaned
   * as the settings' `cleaning` says for the column; MISSING when empty.
   */
  norm: Int32Array;
  /** Interned ids of the Double Metaphone codes, MISSING when there are none; null when no rule uses them. */
  metaphonePrimary: Int32Array | null;
  metaphoneAlternate: Int32Array | null;
  /** Days since 1970-01-01, NO_DATE when missing or not a date; null when no rule reads this column as a date. */
  day: Int32Array | null;
  /** The same date as yyyymmdd (0 when not a date), so transposed day and month can be checked without calendar arithmetic. */
  ymd: Int32Array | null;
}

export interface LinkageTable {
  /** Number of records. Left (or only) input records come first, then right input records. */
  size: number;
  /** Records from the left input (all of them when deduplicating). */
  leftCount: number;
  /** Unique ids as written in the id column. */
  ids: string[];
  /** Interned strings; every id column above indexes into this. */
  strings: string[];
  columns: Map<string, ColumnFeatures>;
  /**
   * Term frequencies per record, keyed by the columns a term-frequency level reads joined with '+':
   * the share of records with a value that hold this record's value (0 when the value is missing).
   */
  termFrequencies: Map<string, Float64Array>;
}

export class CsvError extends Error {
  override name = 'CsvError';
}

/**
 * An incremental RFC 4180 parser: quoted fields with doubled quotes, commas and line breaks inside
 * quotes, and LF or CRLF line endings (also split across chunks). Blank lines are skipped. A quote
 * inside an unquoted field is kept as a character, as spreadsheets write it; a stray character after
 * a closing quote is an error rather than a guess.
 */
export class CsvParser {
  private state: 0 | 1 | 2 | 3 = 0;
  private field = '';
  private fields: string[] = [];
  private quoted = false;
  private skipLineFeed = false;
  private line = 1;
  private recordLine = 1;
  private started = false;

  /** Feeds a chunk of text and returns the records it completed. */
  write(chunk: string): string[][] {
    const records: string[][] = [];
    let text = chunk;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const length = text.length;
    let start = 0;
    for (let i = 0; i < length; i += 1) {
      const c = text.charCodeAt(i);
      if (this.skipLineFeed) {
        this.skipLineFeed = false;
        if (c === 10) continue;
      }
      switch (this.state) {
        case 0: // start of a field
          if (c === 34) {
            this.state = 2;
            this.quoted = true;
            start = i + 1;
          } else if (c === 44) {
            this.fields.push('');
          } else if (c === 13 || c === 10) {
            this.endRecord(records, c);
          } else {
            this.state = 1;
            start = i;
          }
          break;
        case 1: // unquoted field
          if (c === 44) {
            this.fields.push(this.field + text.slice(start, i));
            this.field = '';
            this.state = 0;
          } else if (c === 13 || c === 10) {
            this.field += text.slice(start, i);
            this.endRecord(records, c);
          }
          break;
        case 2: // inside quotes
          if (c === 34) {
            this.field += text.slice(start, i);
            this.state = 3;
          } else if (c === 10) {
            this.line += 1;
          }
          break;
        case 3: // just after a quote inside quotes
          if (c === 34) {
            this.field += '"';
            this.state = 2;
            start = i + 1;
          } else if (c === 44) {
            this.fields.push(this.field);
            this.field = '';
            this.quoted = false;
            this.state = 0;
          } else if (c === 13 || c === 10) {
            this.endRecord(records, c);
          } else {
            throw new CsvError(`Line ${this.line}: unexpected character after a closing quote (a quote inside a quoted field must be doubled)`);
          }
          break;
      }
    }
    if (this.state === 1 || this.state === 2) this.field += text.slice(start);
    return records;
  }

  /** Signals the end of input and returns the last record if the text did not end with a line break. */
  end(): string[][] {
    if (this.state === 2) throw new CsvError(`Line ${this.recordLine}: a quoted field is never closed`);
    const records: string[][] = [];
    if (this.state !== 0 || this.fields.length > 0) this.endRecord(records, -1);
    return records;
  }

  private endRecord(records: string[][], terminator: number): void {
    const blank = this.fields.length === 0 && this.field === '' && !this.quoted && this.state !== 3;
    if (!blank) {
      this.fields.push(this.field);
      records.push(this.fields);
    }
    this.fields = [];
    this.field = '';
    this.quoted = false;
    this.state = 0;
    if (terminator === 13) this.skipLineFeed = true;
    if (terminator === 10 || terminator === 13) this.line += 1;
    this.recordLine = this.line;
  }
}

/** Parses a whole CSV text; convenient for small inputs and tests. */
export function parseCsv(text: string): string[][] {
  const parser = new CsvParser();
  return [...parser.write(text), ...parser.end()];
}

/** Streams the records of a CSV file (or readable stream of text or UTF-8 bytes), header included. */
export async function* readCsvRecords(input: string | Readable): AsyncGenerator<string[]> {
  const stream = typeof input === 'string' ? createReadStream(input, { highWaterMark: 1 << 20 }) : input;
  // Decoding here rather than with setEncoding keeps a multi-byte character split across chunks whole
  // whatever kind of stream the caller passes.
  const decoder = new StringDecoder('utf8');
  const parser = new CsvParser();
  for await (const chunk of stream) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    for (const record of parser.write(text)) yield record;
  }
  for (const record of parser.write(decoder.end())) yield record;
  for (const record of parser.end()) yield record;
}

/** What the settings need worked out for each column. */
interface ColumnNeeds {
  metaphone: boolean;
  date: boolean;
}

function columnNeeds(settings: Settings): Map<string, ColumnNeeds> {
  const needs = new Map<string, ColumnNeeds>();
  // The id column is read into LinkageTable.ids; it gets features only if something compares it.
  const compared = new Set<string>();
  for (const comparison of settings.comparisons) for (const column of comparison.columns) compared.add(column);
  for (const rule of [...settings.blockingRules, ...settings.deterministicRules, ...(settings.trainingRules ?? []), ...(settings.segments ?? []).map((segment) => segment.rule)]) {
    for (const key of rule) {
      compared.add(key.column);
      if (key.swappedWith !== undefined) compared.add(key.swappedWith);
    }
  }
  for (const column of requiredColumns(settings)) {
    if (column !== settings.uniqueIdColumn || compared.has(column)) needs.set(column, { metaphone: false, date: false });
  }
  const mark = (column: string, what: keyof ColumnNeeds): void => {
    const need = needs.get(column);
    if (need) need[what] = true;
  };
  for (const comparison of settings.comparisons) {
    for (const level of comparison.levels) {
      for (const column of levelColumns(comparison, level)) {
        if (level.kind === 'doubleMetaphone') mark(column, 'metaphone');
        if (isDateKind(level.kind)) mark(column, 'date');
      }
    }
  }
  for (const rule of [...settings.blockingRules, ...settings.deterministicRules, ...(settings.trainingRules ?? []), ...(settings.segments ?? []).map((segment) => segment.rule)]) {
    for (const key of rule) {
      if (key.transform === 'doubleMetaphone') mark(key.column, 'metaphone');
      if (key.transform === 'year' || key.transform === 'date') mark(key.column, 'date');
    }
  }
  return needs;
}

/** The columns each term-frequency level reads, keyed as in `LinkageTable.termFrequencies`. */
export function termFrequencyKeys(settings: Settings): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const comparison of settings.comparisons) {
    for (const level of comparison.levels) {
      if (level.termFrequencyAdjustment !== true) continue;
      const columns = levelColumns(comparison, level);
      keys.set(termFrequencyKey(columns), columns);
    }
  }
  return keys;
}

/** The key under which a term-frequency level's frequencies are kept. */
export function termFrequencyKey(columns: readonly string[]): string {
  return columns.join('+');
}

/** Trims, collapses inner white space and lower-cases, so that case and spacing never decide a match. */
export function normalise(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Letters that Unicode does not decompose into a plain letter and an accent. */
const UNDECOMPOSED: Readonly<Record<string, string>> = { ł: 'l', ø: 'o', đ: 'd', ħ: 'h', ı: 'i', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th' };

/**
 * A value as the comparisons see it after a column's cleaning: normalised as above, then with any
 * bracketed or quoted text dropped, accents folded and unwanted characters removed, in that order.
 * Returns '' for a value the cleaning says means "not known", which is then treated as missing.
 */
export function cleanValue(value: string, cleaning: ColumnCleaning | undefined): string {
  let text = normalise(value);
  if (cleaning === undefined || text === '') return text;
  if (cleaning.missingValues?.some((missing) => normalise(missing) === text) === true) return '';
  if (cleaning.dropBracketed === true) {
    const dropped = normalise(text.replace(/\([^)]*\)|\[[^\]]*\]|"[^"]*"|“[^”]*”/g, ' '));
    if (dropped !== '') text = dropped;
  }
  if (cleaning.words !== undefined) {
    const words = cleaning.words;
    text = normalise(text.replace(/[\p{L}\p{N}]+/gu, (word) => (Object.hasOwn(words, word) ? (words[word] as string) : word)));
  }
  if (cleaning.foldAccents === true) {
    text = text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[łøđħıßæœþ]/g, (letter) => UNDECOMPOSED[letter] ?? letter);
  }
  switch (cleaning.keep) {
    case 'alphanumeric':
      text = text.replace(/[^\p{L}\p{N}]/gu, '');
      break;
    case 'letters':
      text = text.replace(/[^\p{L}]/gu, '');
      break;
    case 'digits':
      text = text.replace(/[^\p{N}]/gu, '');
      break;
    case undefined:
      break;
  }
  if (cleaning.missingValues?.some((missing) => normalise(missing) === text) === true) return '';
  return text;
}

/** Parses `YYYY-MM-DD` (optionally followed by a time) or `YYYYMMDD` to a day number, or NO_DATE. */
export function parseDate(value: string): number {
  const ymd = parseYmd(value);
  if (ymd === 0) return NO_DATE;
  return Math.round(Date.UTC(Math.floor(ymd / 10000), (Math.floor(ymd / 100) % 100) - 1, ymd % 100) / 86_400_000);
}

/** Parses to yyyymmdd as a number, or 0 when the text is not a real calendar date. */
export function parseYmd(value: string): number {
  const text = value.trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (match === null) return 0;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return 0;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return 0;
  return year * 10000 + month * 100 + day;
}

class GrowableInt32 {
  array = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.array.length) {
      const next = new Int32Array(this.array.length * 2);
      next.set(this.array);
      this.array = next;
    }
    this.array[this.length] = value;
    this.length += 1;
  }
  /** Copies into an exactly sized array on shared memory, so workers can read it in place. */
  finish(): Int32Array {
    const result = new Int32Array(new SharedArrayBuffer(Math.max(this.length, 1) * 4), 0, this.length);
    result.set(this.array.subarray(0, this.length));
    return result;
  }
}

/** What is worked out once per distinct value of a column. */
interface Derived {
  raw: number;
  norm: number;
  mp: number;
  ma: number;
  day: number;
  ymd: number;
}

interface ColumnBuilder {
  name: string;
  cleaning: ColumnCleaning | undefined;
  /**
   * Derived features per distinct value as written (trimmed), so each is cleaned and encoded once. Kept
   * per column: one large map for every column would be slower to search than several small ones.
   */
  derived: Map<string, Derived>;
  raw: GrowableInt32;
  norm: GrowableInt32;
  metaphonePrimary: GrowableInt32 | null;
  metaphoneAlternate: GrowableInt32 | null;
  day: GrowableInt32 | null;
  ymd: GrowableInt32 | null;
}

/**
 * Builds a LinkageTable one record at a time. Values are interned as they arrive and the derived
 * features of each distinct value are computed once, so a column of a million records holding ten
 * thousand surnames costs ten thousand phonetic encodings.
 */
export class TableBuilder {
  private readonly settings: Settings;
  private readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly builders = new Map<string, ColumnBuilder>();
  private readonly ids: string[] = [];
  private readonly seenIds = new Set<string>();
  private leftCount = 0;
  private currentSource: 0 | 1 = 0;
  private sourcesStarted = 0;

  constructor(settings: Settings) {
    this.settings = settings;
    for (const [name, need] of columnNeeds(settings)) {
      this.builders.set(name, {
        name,
        cleaning: settings.cleaning?.[name],
        derived: new Map(),
        raw: new GrowableInt32(),
        norm: new GrowableInt32(),
        metaphonePrimary: need.metaphone ? new GrowableInt32() : null,
        metaphoneAlternate: need.metaphone ? new GrowableInt32() : null,
        day: need.date ? new GrowableInt32() : null,
        ymd: need.date ? new GrowableInt32() : null,
      });
    }
  }

  /**
   * Starts the next input (left, then right) and returns a function taking each record's fields in
   * header order. Throws when the header lacks a column the settings use.
   */
  beginSource(header: readonly string[], label: string): (fields: readonly string[], line?: number) => void {
    if (this.sourcesStarted === 2) throw new Error('A table holds at most two inputs');
    this.currentSource = this.sourcesStarted === 0 ? 0 : 1;
    this.sourcesStarted += 1;
    this.seenIds.clear();
    const names = header.map((name) => name.trim());
    const positions = new Map<string, number>();
    names.forEach((name, position) => {
      if (positions.has(name)) throw new CsvError(`${label}: the column "${name}" appears twice in the header`);
      positions.set(name, position);
    });
    const aliases = this.settings.columnAliases ?? {};
    const positionOf = (column: string): number | undefined => {
      const own = positions.get(column);
      if (own !== undefined) return own;
      for (const alias of aliases[column] ?? []) {
        const position = positions.get(alias);
        if (position !== undefined) return position;
      }
      return undefined;
    };
    const missing = [this.settings.uniqueIdColumn, ...this.builders.keys()].filter((column, index, all) => positionOf(column) === undefined && all.indexOf(column) === index);
    if (missing.length > 0) {
      throw new CsvError(`${label}: missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} used by the settings`);
    }
    const idPosition = positionOf(this.settings.uniqueIdColumn) as number;
    const columns = [...this.builders.values()].map((builder) => ({ builder, position: positionOf(builder.name) as number }));
    const width = names.length;
    let count = 0;
    return (fields, line) => {
      count += 1;
      const where = (): string => `${label}, ${line === undefined ? `record ${count}` : `line ${line}`}`;
      if (fields.length !== width) throw new CsvError(`${where()}: ${fields.length} fields where the header has ${width}`);
      const id = (fields[idPosition] as string).trim();
      if (id === '') throw new CsvError(`${where()}: the id column "${this.settings.uniqueIdColumn}" is empty`);
      if (this.seenIds.has(id)) throw new CsvError(`${where()}: the id "${id}" appears more than once`);
      this.seenIds.add(id);
      this.ids.push(id);
      if (this.currentSource === 0) this.leftCount += 1;
      for (const { builder, position } of columns) this.addValue(builder, fields[position] as string);
    };
  }

  /** Adds records given as objects (missing properties, null and undefined all count as empty). */
  addObjects(records: Iterable<Readonly<Record<string, string | number | null | undefined>>>, label: string): void {
    const columns = [...new Set([this.settings.uniqueIdColumn, ...this.builders.keys()])];
    const add = this.beginSource(columns, label);
    for (const record of records) add(columns.map((column) => (record[column] === null || record[column] === undefined ? '' : String(record[column]))));
  }

  private intern(value: string): number {
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.index.set(value, id);
    }
    return id;
  }

  private addValue(builder: ColumnBuilder, value: string): void {
    const trimmed = value.trim();
    let derived: Derived | undefined;
    if (trimmed !== '') {
      derived = builder.derived.get(trimmed);
      if (derived === undefined) {
        const cleaned = builder.cleaning === undefined ? normalise(trimmed) : cleanValue(trimmed, builder.cleaning);
        // The value as written is kept once per column; the cleaned value is shared by all columns, so
        // that values can be compared across columns (as when names are swapped).
        const raw = this.strings.length;
        this.strings.push(trimmed);
        derived = { raw, norm: cleaned === '' ? MISSING : this.intern(cleaned), mp: MISSING, ma: MISSING, day: NO_DATE, ymd: 0 };
        if (cleaned !== '' && builder.metaphonePrimary !== null) {
          const codes = doubleMetaphone(cleaned);
          derived.mp = codes.primary === '' ? MISSING : this.intern(codes.primary);
          derived.ma = codes.alternate === '' ? MISSING : this.intern(codes.alternate);
        }
        if (cleaned !== '' && builder.day !== null) {
          derived.ymd = parseYmd(cleaned);
          derived.day = derived.ymd === 0 ? NO_DATE : parseDate(cleaned);
        }
        builder.derived.set(trimmed, derived);
      }
    }
    if (derived === undefined || derived.norm === MISSING) {
      builder.raw.push(MISSING);
      builder.norm.push(MISSING);
      builder.metaphonePrimary?.push(MISSING);
      builder.metaphoneAlternate?.push(MISSING);
      builder.day?.push(NO_DATE);
      builder.ymd?.push(0);
      return;
    }
    builder.raw.push(derived.raw);
    builder.norm.push(derived.norm);
    builder.metaphonePrimary?.push(derived.mp);
    builder.metaphoneAlternate?.push(derived.ma);
    builder.day?.push(derived.day);
    builder.ymd?.push(derived.ymd);
  }

  finish(): LinkageTable {
    const columns = new Map<string, ColumnFeatures>();
    for (const builder of this.builders.values()) {
      columns.set(builder.name, {
        name: builder.name,
        cleaned: builder.cleaning !== undefined,
        raw: builder.raw.finish(),
        norm: builder.norm.finish(),
        metaphonePrimary: builder.metaphonePrimary?.finish() ?? null,
        metaphoneAlternate: builder.metaphoneAlternate?.finish() ?? null,
        day: builder.day?.finish() ?? null,
        ymd: builder.ymd?.finish() ?? null,
      });
    }
    const size = this.ids.length;
    const table: LinkageTable = {
      size,
      leftCount: this.leftCount,
      ids: this.ids,
      strings: this.strings,
      columns,
      termFrequencies: new Map(),
    };
    for (const [key, names] of termFrequencyKeys(this.settings)) {
      table.termFrequencies.set(key, computeTermFrequencies(table, names));
    }
    for (const builder of this.builders.values()) builder.derived.clear();
    this.index.clear();
    return table;
  }
}

/** Per record, an id shared exactly by the records holding the same (cleaned) values of all the columns; MISSING when any is missing. */
function valueKeys(table: LinkageTable, names: readonly string[]): { keys: Int32Array; distinct: number } {
  const norms = names.map((name) => {
    const column = table.columns.get(name);
    if (column === undefined) throw new Error(`The table has no column "${name}"`);
    return column.norm;
  });
  const keys = new Int32Array(table.size);
  if (norms.length === 1) {
    // Interned ids are already shared exactly by equal values; renumber them densely.
    const dense = new Map<number, number>();
    const norm = norms[0] as Int32Array;
    for (let i = 0; i < table.size; i += 1) {
      const value = norm[i] as number;
      if (value === MISSING) {
        keys[i] = MISSING;
        continue;
      }
      let key = dense.get(value);
      if (key === undefined) {
        key = dense.size;
        dense.set(value, key);
      }
      keys[i] = key;
    }
    return { keys, distinct: dense.size };
  }
  const keyIds = new Map<string, number>();
  for (let i = 0; i < table.size; i += 1) {
    let text = '';
    let missing = false;
    for (const norm of norms) {
      const value = norm[i] as number;
      if (value === MISSING) {
        missing = true;
        break;
      }
      text += `${value},`;
    }
    if (missing) {
      keys[i] = MISSING;
      continue;
    }
    let key = keyIds.get(text);
    if (key === undefined) {
      key = keyIds.size;
      keyIds.set(text, key);
    }
    keys[i] = key;
  }
  return { keys, distinct: keyIds.size };
}

/**
 * The share of records with a value that hold each record's value, over both inputs together.
 * Several columns are combined so that, say, a full name's frequency can adjust a full-name match.
 */
function computeTermFrequencies(table: LinkageTable, names: readonly string[]): Float64Array {
  const result = new Float64Array(new SharedArrayBuffer(Math.max(table.size, 1) * 8), 0, table.size);
  const { keys, distinct } = valueKeys(table, names);
  const counts = new Uint32Array(distinct);
  let present = 0;
  for (let i = 0; i < table.size; i += 1) {
    const key = keys[i] as number;
    if (key === MISSING) continue;
    present += 1;
    counts[key] = (counts[key] as number) + 1;
  }
  for (let i = 0; i < table.size; i += 1) {
    const key = keys[i] as number;
    result[i] = key === MISSING ? 0 : (counts[key] as number) / present;
  }
  return result;
}

/**
 * How common the values of a term-frequency level's columns are, kept with a trained model so that
 * records can later be scored in batches too small to have meaningful frequencies of their own.
 */
export interface TermFrequencyTable {
  columns: string[];
  /** Records with a value in every column when the table was made. */
  records: number;
  /** Distinct values among them. */
  distinct: number;
  /** Frequency taken for a value not listed: the average share of a value that is not listed. */
  otherValues: number;
  /** The most common values, commonest first: each column's cleaned value, then the share of records holding it. */
  values: (string | number)[][];
}

/** The `maxValues` commonest values of some columns (ties in value order, so the result is reproducible). */
export function termFrequencyTable(table: LinkageTable, columns: readonly string[], maxValues: number): TermFrequencyTable {
  const { keys, distinct } = valueKeys(table, columns);
  const counts = new Uint32Array(distinct);
  const example = new Int32Array(distinct);
  let present = 0;
  for (let i = 0; i < table.size; i += 1) {
    const key = keys[i] as number;
    if (key === MISSING) continue;
    if (counts[key] === 0) example[key] = i;
    counts[key] = (counts[key] as number) + 1;
    present += 1;
  }
  const norms = columns.map((name) => (table.columns.get(name) as ColumnFeatures).norm);
  const valuesOf = (key: number): string[] => norms.map((norm) => table.strings[norm[example[key] as number] as number] as string);
  const order = Array.from({ length: distinct }, (_, key) => key);
  const text = order.map((key) => valuesOf(key).join('\u0000'));
  order.sort((x, y) => (counts[y] as number) - (counts[x] as number) || ((text[x] as string) < (text[y] as string) ? -1 : (text[x] as string) > (text[y] as string) ? 1 : 0));
  const listed = order.slice(0, Math.max(0, Math.floor(maxValues)));
  let listedCount = 0;
  const values = listed.map((key) => {
    listedCount += counts[key] as number;
    return [...valuesOf(key), roundFrequency((counts[key] as number) / present)];
  });
  const unlisted = distinct - listed.length;
  const otherValues = present === 0 ? 1 : unlisted > 0 ? (present - listedCount) / unlisted / present : 1 / present;
  return { columns: [...columns], records: present, distinct, otherValues: roundFrequency(otherValues), values };
}

/** Six significant figures: plenty for a weight, and keeps a saved model small. */
function roundFrequency(value: number): number {
  return Number(value.toPrecision(6));
}

/** Per record, the frequency of its values according to a saved table (0 when a value is missing). */
export function frequenciesFromTable(table: LinkageTable, frequencies: TermFrequencyTable): Float64Array {
  const result = new Float64Array(new SharedArrayBuffer(Math.max(table.size, 1) * 8), 0, table.size);
  const known = new Map<string, number>();
  for (const row of frequencies.values) known.set(row.slice(0, -1).join('\u0000'), row[row.length - 1] as number);
  const norms = frequencies.columns.map((name) => {
    const column = table.columns.get(name);
    if (column === undefined) throw new Error(`The table has no column "${name}" (used by a term-frequency table)`);
    return column.norm;
  });
  const cache = new Map<string, number>();
  for (let i = 0; i < table.size; i += 1) {
    let text = '';
    let missing = false;
    for (let c = 0; c < norms.length; c += 1) {
      const value = (norms[c] as Int32Array)[i] as number;
      if (value === MISSING) {
        missing = true;
        break;
      }
      text += c === 0 ? (table.strings[value] as string) : `\u0000${table.strings[value] as string}`;
    }
    if (missing) continue;
    let frequency = cache.get(text);
    if (frequency === undefined) {
      frequency = known.get(text) ?? frequencies.otherValues;
      cache.set(text, frequency);
    }
    result[i] = frequency;
  }
  return result;
}

export interface TableInputs {
  /** The left input, or the only input when deduplicating: a file path or a readable stream. */
  left: string | Readable;
  /** The right input when linking two data sets. */
  right?: string | Readable | undefined;
}

/** Streams one or two CSV inputs into a table; the right input is required for `linkType: "link"`. */
export async function loadTable(settings: Settings, inputs: TableInputs): Promise<LinkageTable> {
  if (settings.linkType === 'link' && inputs.right === undefined) throw new Error('linkType "link" needs a right input');
  if (settings.linkType === 'dedupe' && inputs.right !== undefined) throw new Error('linkType "dedupe" takes one input; use "link" for two');
  const builder = new TableBuilder(settings);
  const sources: [string | Readable, string][] = [[inputs.left, typeof inputs.left === 'string' ? inputs.left : 'left input']];
  if (inputs.right !== undefined) sources.push([inputs.right, typeof inputs.right === 'string' ? inputs.right : 'right input']);
  for (const [input, label] of sources) {
    let add: ((fields: readonly string[], line?: number) => void) | null = null;
    for await (const record of readCsvRecords(input)) {
      if (add === null) add = builder.beginSource(record, label);
      else add(record);
    }
    if (add === null) throw new CsvError(`${label}: the file is empty (no header)`);
  }
  return builder.finish();
}

/** Builds a table from records already in memory (objects keyed by column name). */
export function tableFromRecords(
  settings: Settings,
  left: Iterable<Readonly<Record<string, string | number | null | undefined>>>,
  right?: Iterable<Readonly<Record<string, string | number | null | undefined>>>,
): LinkageTable {
  if (settings.linkType === 'link' && right === undefined) throw new Error('linkType "link" needs right records');
  const builder = new TableBuilder(settings);
  builder.addObjects(left, 'left records');
  if (right !== undefined) builder.addObjects(right, 'right records');
  return builder.finish();
}

/** The value of a column for a record, as written (trimmed), or null when missing. */
export function valueOf(table: LinkageTable, column: string, record: number): string | null {
  const features = table.columns.get(column);
  if (features === undefined) throw new Error(`The table has no column "${column}"`);
  const id = features.raw[record] as number;
  return id === MISSING ? null : (table.strings[id] as string);
}

/** Number of pairs the model could ever compare: every pair once when deduplicating, left × right when linking. */
export function totalPossiblePairs(table: LinkageTable, linkType: Settings['linkType']): number {
  if (linkType === 'dedupe') return (table.size * (table.size - 1)) / 2;
  return table.leftCount * (table.size - table.leftCount);
}
