import { Command } from 'commander';
import { loadConfig, ConfigError, type Config } from '../config.ts';
import { createLogger, createRuntime, createWebApp, seedIfEmpty, startJobs, type Runtime } from '../composition.ts';
import { describeBreak, verifyAuditLog } from '../domain/audit/verify-audit-log.ts';
import { SYSTEM_ACTOR } from '../domain/auth/actor.ts';
import { DomainError } from '../domain/errors.ts';
import { randomUUID } from 'node:crypto';

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
    const runtime = await createRuntime(config());
    try {
      const created = await runtime.services.createApiClient({ actor: SYSTEM_ACTOR, correlationId: `cli:${randomUUID()}`, now: new Date() }, options);
      process.stdout.write(`Created API client ${created.name}.\nToken (shown once, keep it secret): ${created.token}\n`);
    } catch (error) {
      if (error instanceof DomainError) {
        process.stderr.write(`${Object.values(error.fields).join('\n') || error.message}\n`);
        process.exitCode = 1;
      } else throw error;
    } finally {
      await runtime.close();
    }
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  createLogger({ logLevel: 'error' }).error({ err: error }, 'Command failed');
  process.exit(1);
});
