/**
 * Writes a synthetic population to CSV for linkage tests and benchmarks:
 *
 *   node src/linkage/synthetic/cli.ts --records 100000 --seed 7 --profile realistic --out people.csv
 *   node src/linkage/synthetic/cli.ts --records 100000 --seed 7 --split left.csv right.csv
 *
 * and prints the counts a benchmark needs to interpret its scores (records, people, true pairs).
 */

import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { ERROR_PROFILES, validatePopulationOptions, writePopulationCsv } from './generate.ts';
import type { CsvSinks, ErrorProfileName, PopulationSummary, WriteOptions } from './generate.ts';

const USAGE = `Usage: node src/linkage/synthetic/cli.ts (--records N | --people N) [options]

  --records N            stop after exactly N records
  --people N             generate N children, each with one or more records
  --seed N               random seed (default 1); the same seed gives the same bytes
  --profile NAME         error profile: clean, realistic (default) or hard
  --duplicate-rate R     share of children with more than one record, 0-1 (default 0.5)
  --twin-rate R          share of families with 2+ children that include twins (default 0.03)
  --reference-date DATE  ages are worked out at this ISO date (default 2025-09-01)
  --out FILE             write every record to FILE ("-" for standard output)
  --split LEFT RIGHT     also write education records to LEFT and health and care records to RIGHT,
                         for link mode
  --errors               add an "errors" column listing what was done to each record
  --help                 show this message
`;

interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

class UsageError extends Error {}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value.replaceAll('_', ''));
  if (!/^-?[0-9_]+$/.test(value) || !Number.isSafeInteger(number)) throw new UsageError(`--${name} must be an integer`);
  return number;
}

function rate(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !(number >= 0 && number <= 1)) throw new UsageError(`--${name} must be a number from 0 to 1`);
  return number;
}

interface ParsedArgs {
  readonly options: WriteOptions;
  readonly out: string | null;
  readonly split: readonly [string, string] | null;
}

function parse(args: readonly string[]): ParsedArgs | 'help' {
  const { values, positionals, tokens } = parseArgs({
    args: [...args],
    allowPositionals: true,
    tokens: true,
    options: {
      records: { type: 'string' },
      people: { type: 'string' },
      seed: { type: 'string' },
      profile: { type: 'string' },
      'duplicate-rate': { type: 'string' },
      'twin-rate': { type: 'string' },
      'reference-date': { type: 'string' },
      out: { type: 'string' },
      split: { type: 'string', multiple: true },
      errors: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) return 'help';

  // --split takes two files; parseArgs gives options one value, so the second arrives as the
  // positional straight after it (--split a.csv --split b.csv works too).
  const splitFiles: string[] = [];
  const consumed = new Set<number>();
  tokens.forEach((token, i) => {
    if (token.kind !== 'option' || token.name !== 'split' || token.value === undefined) return;
    splitFiles.push(token.value);
    const next = tokens[i + 1];
    if (next?.kind === 'positional') {
      splitFiles.push(next.value);
      consumed.add(next.index);
    }
  });
  const stray = tokens.filter((token) => token.kind === 'positional' && !consumed.has(token.index));
  if (stray.length > 0 || positionals.length !== consumed.size) {
    throw new UsageError(`unexpected argument: ${stray.map((token) => (token.kind === 'positional' ? token.value : '')).join(' ')}`);
  }
  if (splitFiles.length !== 0 && splitFiles.length !== 2) throw new UsageError('--split needs two files: LEFT RIGHT');
  const out = values.out ?? null;
  if (out === null && splitFiles.length === 0) throw new UsageError('give --out FILE, --split LEFT RIGHT, or both');

  const profile = values.profile ?? 'realistic';
  if (!Object.hasOwn(ERROR_PROFILES, profile)) throw new UsageError('--profile must be clean, realistic or hard');
  const records = integer('records', values.records);
  const people = integer('people', values.people);
  if ((records === undefined) === (people === undefined)) throw new UsageError('give exactly one of --records and --people');
  const duplicateRate = rate('duplicate-rate', values['duplicate-rate']);
  const twinRate = rate('twin-rate', values['twin-rate']);
  const options: WriteOptions = {
    seed: integer('seed', values.seed) ?? 1,
    errorProfile: profile as ErrorProfileName,
    includeErrors: values.errors === true,
    ...(records === undefined ? {} : { records }),
    ...(people === undefined ? {} : { people }),
    ...(duplicateRate === undefined ? {} : { duplicateRate }),
    ...(twinRate === undefined ? {} : { twinRate }),
    ...(values['reference-date'] === undefined ? {} : { referenceDate: values['reference-date'] }),
  };
  try {
    validatePopulationOptions(options);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return { options, out, split: splitFiles.length === 2 ? [splitFiles[0] as string, splitFiles[1] as string] : null };
}

function formatCount(value: number): string {
  return value.toLocaleString('en-GB').padStart(12);
}

function report(summary: PopulationSummary, split: boolean, seconds: number): string {
  const lines = [
    `records               ${formatCount(summary.records)}`,
    `people                ${formatCount(summary.people)}`,
    `families              ${formatCount(summary.families)}`,
    `twin pairs            ${formatCount(summary.twinPairs)}`,
    `true duplicate pairs  ${formatCount(summary.truePairs)}`,
  ];
  if (split) {
    lines.push(
      `left records          ${formatCount(summary.link.leftRecords)}`,
      `right records         ${formatCount(summary.link.rightRecords)}`,
      `people in both        ${formatCount(summary.link.sharedPeople)}`,
      `true link pairs       ${formatCount(summary.link.truePairs)}`,
    );
  }
  const rate = seconds > 0 ? Math.round(summary.records / seconds).toLocaleString('en-GB') : '-';
  lines.push(`took ${seconds.toFixed(2)} s (${rate} records/s)`);
  return lines.join('\n') + '\n';
}

async function closeAll(streams: readonly Writable[], io: CliIo): Promise<void> {
  await Promise.all(
    streams.map(async (stream) => {
      if (stream === io.stdout) return;
      stream.end();
      await finished(stream);
    }),
  );
}

/** Runs the command with the given arguments; resolves to the exit status. */
export async function runCli(args: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let parsed: ParsedArgs | 'help';
  try {
    parsed = parse(args);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      io.stderr.write(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (parsed === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  const open = (path: string): Writable => (path === '-' ? io.stdout : createWriteStream(path));
  const all = parsed.out === null ? undefined : open(parsed.out);
  const left = parsed.split === null ? undefined : open(parsed.split[0]);
  const right = parsed.split === null ? undefined : open(parsed.split[1]);
  const streams = [all, left, right].filter((stream) => stream !== undefined);
  const sinks: CsvSinks = {
    ...(all === undefined ? {} : { all }),
    ...(left === undefined ? {} : { left }),
    ...(right === undefined ? {} : { right }),
  };
  const started = performance.now();
  try {
    // A stream that fails to open (missing folder, no permission) reports it as an 'error' event.
    const failure = new Promise<never>((_, reject) => {
      for (const stream of streams) stream.once('error', reject);
    });
    const writing = writePopulationCsv(parsed.options, sinks);
    // If a stream fails first, the race reports it; the abandoned write must not also surface as
    // an unhandled rejection.
    writing.catch(() => undefined);
    const summary = await Promise.race([writing, failure]);
    await Promise.race([closeAll(streams, io), failure]);
    const seconds = (performance.now() - started) / 1000;
    // Counts go to standard error when the data itself is on standard output.
    (streams.includes(io.stdout) ? io.stderr : io.stdout).write(report(summary, parsed.split !== null, seconds));
    return 0;
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    for (const stream of streams) if (stream !== io.stdout) stream.destroy();
    return 1;
  }
}

if (import.meta.main) {
  process.exitCode = await runCli(process.argv.slice(2));
}
