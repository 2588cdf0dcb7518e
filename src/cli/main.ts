import { Command } from 'commander';
import { loadConfig, ConfigError, type Config } from '../config.ts';
import { createLogger, createRuntime, createWebApp, seedIfEmpty, startJobs, type Runtime } from '../composition.ts';
import { describeBreak, verifyAuditLog } from '../domain/audit/verify-audit-log.ts';
import { SYSTEM_ACTOR, type UseCaseContext } from '../domain/auth/actor.ts';
import { DomainError } from '../domain/errors.ts';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BankHolidayFileError, formatLongDateWithDay, parseBankHolidays, todayIn, type BankHolidays } from '../domain/calendar/index.ts';
import { importBankHolidays, listBankHolidays } from '../db/repositories/calendar.ts';
import { registerLinkageCommands } from './linkage.ts';

/**
 * The `cairn` command for operators. Every subcommand builds the same runtime as the web server
 * and calls the same use cases.
 */

function config(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/** Stops cleanly on SIGINT/SIGTERM: stop taking requests, finish jobs, close the database. */
function onShutdown(runtime: Runtime, beforeClose: () => Promise<void>) {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    runtime.logger.info({ signal }, 'Shutting down');
    const timer = setTimeout(() => process.exit(1), 20_000);
    timer.unref();
    try {
      await beforeClose();
      await runtime.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/**
 * Runs an operator's command as Cairn itself against a fresh runtime: a rule the command breaks is
 * printed plainly with exit code 1, and the runtime is always closed.
 */
async function asOperator(work: (runtime: Runtime, ctx: UseCaseContext) => Promise<void>): Promise<void> {
  const runtime = await createRuntime(config());
  try {
    await work(runtime, { actor: SYSTEM_ACTOR, correlationId: `cli:${randomUUID()}`, now: new Date() });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    process.stderr.write(`${Object.values(error.fields).join('\n') || error.message}\n`);
    process.exitCode = 1;
  } finally {
    await runtime.close();
  }
}

const program = new Command();
program.name('cairn').description('Cairn: children not in school, and the safeguarding work around them').showHelpAfterError();

program
  .command('start')
  .description('Migrate the database, seed the demo council if the embedded database is empty, and serve Cairn')
  .option('--no-seed', 'do not seed demo data into an empty database')
  .action(async (options: { seed: boolean }) => {
    const cfg = config();
    const runtime = await createRuntime(cfg);
    if (options.seed && cfg.environment !== 'production' && cfg.embeddedIdentityProvider) await seedIfEmpty(runtime);
    await startJobs(runtime, cfg.runWorker);
    const app = await createWebApp(runtime);
    onShutdown(runtime, () => app.close());
    await app.listen({ port: cfg.port, host: cfg.host });
    runtime.logger.info({ url: cfg.baseUrl, database: runtime.database.kind, worker: cfg.runWorker }, `Cairn is running at ${cfg.baseUrl}`);
  });

program
  .command('worker')
  .description('Run the background job worker on its own (use with DATABASE_URL; the embedded database allows one process)')
  .action(async () => {
    const cfg = config();
    const runtime = await createRuntime(cfg);
    await startJobs(runtime, true);
    onShutdown(runtime, async () => {});
    runtime.logger.info({ database: runtime.database.kind }, 'Cairn worker is running');
  });

program
  .command('migrate')
  .description('Apply database migrations that have not yet run')
  .action(async () => {
    const runtime = await createRuntime(config());
    await runtime.close();
    process.stdout.write('Database is up to date.\n');
  });

program
  .command('seed')
  .description('Load the synthetic Northshire demo council into an empty database')
  .action(async () => {
    const runtime = await createRuntime(config());
    const seeded = await seedIfEmpty(runtime);
    await runtime.close();
    process.stdout.write(seeded ? 'Seeded the Northshire demo council.\n' : 'The database already holds data; nothing was seeded.\n');
  });

const audit = program.command('audit').description('Work with the audit log');
audit
  .command('verify')
  .description('Check every link of the audit log’s hash chain; exits 1 at the first broken link')
  .action(async () => {
    const runtime = await createRuntime(config());
    const result = await verifyAuditLog(runtime.database.db);
    await runtime.close();
    if (result.ok) {
      process.stdout.write(`Audit log intact: ${result.checked} rows checked.\n`);
    } else {
      process.stdout.write(`Audit log broken after ${result.checked} good rows. ${describeBreak(result.firstBreak)}\n`);
      process.exitCode = 1;
    }
  });

const apiClient = program.command('api-client').description('Manage systems that use the JSON API');
apiClient
  .command('create')
  .description('Create an API client and print its bearer token (shown once)')
  .requiredOption('--name <name>', 'a short name, e.g. case-system')
  .requiredOption('--role <role>', 'the role it acts with, e.g. social_worker or school_user')
  .option('--school-urn <urn>', 'for a school client: the school’s URN')
  .action(async (options: { name: string; role: string; schoolUrn?: string }) => {
    await asOperator(async (runtime, ctx) => {
      const created = await runtime.services.createApiClient(ctx, options);
      process.stdout.write(`Created API client ${created.name}.\nToken (shown once, keep it secret): ${created.token}\n`);
    });
  });

const importCommand = program.command('import').description('Import files into Cairn');
importCommand
  .command('deletion-returns')
  .description('Check and import a CSV file of school deletion returns as Cairn itself; exits 1 if bad rows or a failure stopped the import')
  .argument('<file>', 'the CSV file (UTF-8, header row; columns as on the upload page)')
  .option('--school-urn <urn>', 'the file is all for this school: the school_urn column may be left out')
  .option('--valid-only', 'import the valid rows even if some rows have problems (default: import nothing if any row has a problem)')
  .option('--max-size-mb <mb>', 'refuse files larger than this', '5')
  .action(async (file: string, options: { schoolUrn?: string; validOnly?: boolean; maxSizeMb: string }) => {
    const maxMb = Number(options.maxSizeMb);
    if (!Number.isFinite(maxMb) || maxMb <= 0) {
      process.stderr.write('--max-size-mb must be a positive number\n');
      process.exitCode = 2;
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(file));
    } catch (error) {
      process.stderr.write(`Could not read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
      return;
    }
    await asOperator(async (runtime, ctx) => {
      const result = await runtime.services.importDeletionReturns(ctx, bytes, { mode: options.validOnly ? 'valid-only' : 'all-or-nothing', schoolUrn: options.schoolUrn, maxBytes: Math.round(maxMb * 1024 * 1024) });
      const { report } = result;
      const out = (line: string) => process.stdout.write(`${line}\n`);
      if (report.fileError) {
        out(`The file was refused: ${report.fileError.message}`);
        out('Nothing was imported.');
        process.exitCode = 1;
        return;
      }
      out(`Checked ${file}: ${report.totalRows} rows, ${report.validRows} valid, ${report.invalidRows} with problems, ${report.alreadyReceived} already received.`);
      for (const p of report.problems) out(`Line ${p.line}, column ${p.column ?? '(whole row)'}: ${p.reason}`);
      if (result.status === 'refused') {
        out(report.validRows === 0 ? 'Nothing was imported: no row can be imported.' : 'Nothing was imported because some rows have problems. Fix them, or run again with --valid-only to import the valid rows.');
        process.exitCode = 1;
        return;
      }
      out(`Imported ${result.imported} new returns; ${result.duplicates} already received (not imported again); ${result.skipped} rows with problems left out.`);
      const outcomes = Object.entries(result.outcomes).filter(([, n]) => n > 0);
      if (outcomes.length > 0) out(`Outcomes: ${outcomes.map(([outcome, n]) => `${outcome} ${n}`).join(', ')}.`);
      if (result.failedBatch) {
        const f = result.failedBatch;
        out(`The import stopped: lines ${f.fromLine} to ${f.toLine} were rolled back (${f.reason}) and ${f.notAttempted} rows after them were not tried. Run the same file again to finish.`);
        process.exitCode = 1;
      }
    });
  });

registerLinkageCommands(program);

const calendar = program.command('calendar').description('The bank holidays deadlines are counted around');
calendar
  .command('import')
  .description('Add the bank holidays from a GOV.UK file (https://www.gov.uk/bank-holidays.json); exits 1 and imports nothing if the file is not usable')
  .argument('<file>', 'the JSON file: the whole GOV.UK file, or just its England and Wales part')
  .action(async (file: string) => {
    let parsed: BankHolidays;
    try {
      parsed = parseBankHolidays(JSON.parse(readFileSync(file, 'utf8')));
    } catch (error) {
      const reason =
        error instanceof BankHolidayFileError ? error.message : error instanceof SyntaxError ? `The bank holiday file is not valid JSON: ${error.message}` : `Could not read ${file}: ${error instanceof Error ? error.message : String(error)}`;
      process.stderr.write(`${reason}\nNothing was imported.\n`);
      process.exitCode = 1;
      return;
    }
    await asOperator(async (runtime, ctx) => {
      const result = await runtime.runInTransaction(ctx, async (uow) => {
        const counts = await importBankHolidays(uow.tx, parsed.holidays);
        uow.audit({ action: 'calendar.import', recordType: 'bank_holidays', recordId: null, childId: null, details: { division: parsed.division, ...counts } });
        return counts;
      });
      const plural = (n: number) => `${String(n)} bank ${n === 1 ? 'holiday' : 'holidays'}`;
      process.stdout.write(`Imported ${plural(result.added)} (${String(result.alreadyKnown)} already known)\n`);
    });
  });
calendar
  .command('list')
  .description('List the bank holidays Cairn counts in a year, shipped and imported')
  .option('--year <year>', 'the year, e.g. 2027 (default: this year)')
  .action(async (options: { year?: string }) => {
    const year = options.year ?? todayIn(new Date()).slice(0, 4);
    if (!/^[0-9]{4}$/.test(year)) {
      process.stderr.write('--year must be a year written as 4 digits, like 2027\n');
      process.exitCode = 2;
      return;
    }
    await asOperator(async (runtime) => {
      const holidays = await listBankHolidays(runtime.database.db, Number(year));
      const out = (line: string) => process.stdout.write(`${line}\n`);
      if (holidays.length === 0) {
        out(`Cairn has no bank holidays for ${year}, so only weekends are left out of working days that year.`);
        out('Import the newest file from https://www.gov.uk/bank-holidays.json with: cairn calendar import FILE');
        return;
      }
      out(`Bank holidays in England and Wales that Cairn uses in ${year}:`);
      for (const holiday of holidays) out(`${formatLongDateWithDay(holiday.date)}: ${holiday.title}${holiday.source === 'imported' ? ' (imported)' : ''}`);
    });
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  createLogger({ logLevel: 'error' }).error({ err: error }, 'Command failed');
  process.exit(1);
});
