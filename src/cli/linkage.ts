import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { dedupeFile, linkFiles, saveModel, writeClustersCsv, writePairsCsv, type LinkProgress, type LinkResult } from '../linkage/index.ts';
import { SettingsError } from '../linkage/settings.ts';

/**
 * `cairn link` and `cairn dedupe`: the record-linkage engine on CSV files, for data officers and
 * analysts. They need no database: files in, files out, with progress on standard error.
 */

interface LinkageOptions {
  settings?: string;
  train?: boolean;
  model?: string;
  threshold: string;
  threads?: string;
  out: string;
}

function progressPrinter(): (p: LinkProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.stage === 'scoring' && p.pairsDone !== undefined && p.totalPairs !== undefined && Number.isFinite(p.totalPairs) && p.totalPairs > 0) {
      if (now - last < 1000 && p.pairsDone < p.totalPairs) return;
      last = now;
      process.stderr.write(`scoring: ${p.pairsDone.toLocaleString('en-GB')} of ${p.totalPairs.toLocaleString('en-GB')} candidate pairs (${Math.floor((100 * p.pairsDone) / p.totalPairs)}%)\n`);
      return;
    }
    process.stderr.write(`${p.stage}: ${p.message}\n`);
  };
}

function common(options: LinkageOptions) {
  const threshold = Number(options.threshold);
  if (!(threshold >= 0 && threshold <= 1)) throw new UsageError('--threshold must be a match probability between 0 and 1, like 0.95');
  const threads = options.threads === undefined ? undefined : Number(options.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) throw new UsageError('--threads must be a whole number of at least 1');
  if (!options.settings && !options.model) throw new UsageError('Give --settings, or --model with a saved model');
  if (options.train && !options.settings) throw new UsageError('--train needs --settings');
  const settings = options.settings ? readFileSync(options.settings, 'utf8') : undefined;
  // With --train the model is fitted (and saved to --model if given); without it, --model is read.
  const model = options.model && !options.train ? readFileSync(options.model, 'utf8') : undefined;
  return { threshold, ...(threads === undefined ? {} : { threads }), ...(settings === undefined ? {} : { settings }), ...(model === undefined ? {} : { model }), train: Boolean(options.train) || model === undefined, onProgress: progressPrinter() };
}

class UsageError extends Error {}

async function finish(result: LinkResult, options: LinkageOptions, write: (stream: Writable) => Promise<void>) {
  if (options.train && options.model) {
    writeFileSync(options.model, saveModel(result.model));
    process.stderr.write(`model saved to ${options.model}\n`);
  }
  const out = createWriteStream(options.out);
  await write(out);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

async function guarded(work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    if (error instanceof SettingsError || error instanceof UsageError || error instanceof RangeError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    if (error instanceof Error && 'code' in error && (error as { code?: string }).code === 'ENOENT') {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

export function registerLinkageCommands(program: Command) {
  program
    .command('link')
    .description('Link two CSV files: pairs of records that are the same child, with their match weight and probability')
    .option('--settings <file>', 'linkage settings (JSON; see src/linkage/README.md)')
    .requiredOption('--left <file>', 'the first CSV file')
    .requiredOption('--right <file>', 'the second CSV file')
    .requiredOption('--out <file>', 'where to write the pairs (CSV)')
    .option('--train', 'fit a model on these files (saved to --model when given)')
    .option('--model <file>', 'a saved model to use, or where to save the one --train fits')
    .option('--threshold <probability>', 'keep pairs with at least this match probability', '0.95')
    .option('--threads <n>', 'worker threads for scoring')
    .action(async (options: LinkageOptions & { left: string; right: string }) =>
      guarded(async () => {
        const result = await linkFiles({ ...common(options), left: options.left, right: options.right });
        await finish(result, options, (out) => writePairsCsv(out, result.pairs));
        process.stderr.write(`${result.pairs.length.toLocaleString('en-GB')} pairs written to ${options.out}\n`);
      }),
    );

  program
    .command('dedupe')
    .description('Find records of the same child within one CSV file and group them into clusters')
    .option('--settings <file>', 'linkage settings (JSON; see src/linkage/README.md)')
    .requiredOption('--input <file>', 'the CSV file')
    .requiredOption('--out <file>', 'where to write each record’s cluster (CSV)')
    .option('--train', 'fit a model on this file (saved to --model when given)')
    .option('--model <file>', 'a saved model to use, or where to save the one --train fits')
    .option('--threshold <probability>', 'join records with at least this match probability', '0.95')
    .option('--threads <n>', 'worker threads for scoring')
    .action(async (options: LinkageOptions & { input: string }) =>
      guarded(async () => {
        const result = await dedupeFile({ ...common(options), file: options.input });
        await finish(result, options, (out) => writeClustersCsv(out, result.table, result.clusters!));
        process.stderr.write(`${result.table.size.toLocaleString('en-GB')} records in ${result.clusters!.count.toLocaleString('en-GB')} clusters written to ${options.out}\n`);
      }),
    );
}
