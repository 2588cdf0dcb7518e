import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import { migrateDatabase, openDatabase, type Database } from './db/client.ts';
import { appendAudit, createUnitOfWorkRunner } from './db/unit-of-work.ts';
import { SYSTEM_ACTOR } from './domain/auth/actor.ts';
import { createEmbeddedIdentityProvider, type EmbeddedIdentityProvider } from './idp/identity-provider.ts';
import { startWorkers } from './jobs/worker.ts';
import { createJobQueue, type JobQueue } from './jobs/queue.ts';
import { createGovukNotifyNotifier, createOutboxNotifier, type Notifier } from './notify/notifier.ts';
import { DEMO_ACCOUNTS } from './seed/demo-accounts.ts';
import { createServices, type Services } from './services.ts';
import { createLinkageMatcher } from './domain/register/linkage-matcher.ts';
import { createApp } from './web/app.ts';
import { createOidcSignIn } from './web/auth/oidc.ts';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';

/**
 * The composition root: the one place that opens connections and wires parts together. Pages,
 * the API, jobs and the CLI receive what they need from here; nothing imports a global.
 */
export interface Runtime {
  config: Config;
  logger: Logger;
  database: Database;
  queue: JobQueue;
  notifier: Notifier;
  services: Services;
  runInTransaction: ReturnType<typeof createUnitOfWorkRunner>;
  close(): Promise<void>;
}

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { service: 'cairn' }, timestamp: pino.stdTimeFunctions.isoTime, redact: ['req.headers.authorization', 'req.headers.cookie'] });
}

/** Opens the database (migrating it), the queue and the services, without serving anything. */
export async function createRuntime(config: Config, options: { logger?: Logger; database?: Database } = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger(config);
  const database = options.database ?? (await openDatabase(config));
  await migrateDatabase(database);
  const queue = createJobQueue(database, (error) => logger.error({ err: error }, 'Job queue error'));
  const runInTransaction = createUnitOfWorkRunner(database.db, queue);
  const notifier =
    config.notify.kind === 'govuk-notify'
      ? createGovukNotifyNotifier(config.notify.apiKey, {
          'overdue-work-digest': config.notify.templates.digest,
          'case-note-added': config.notify.templates.caseNote,
          ...(config.notify.templates.letter ? { letter: config.notify.templates.letter } : {}),
        })
      : createOutboxNotifier();
  const services = createServices({ runInTransaction, policy: { schoolRecentLeaverDays: config.schoolRecentLeaverDays }, matcher: createLinkageMatcher(), baseUrl: config.baseUrl });
  return {
    config,
    logger,
    database,
    queue,
    notifier,
    services,
    runInTransaction,
    async close() {
      await queue.stop();
      await database.close();
    },
  };
}

/** Seeds the demo council into an empty embedded database, recording the load in the audit log. */
export async function seedIfEmpty(runtime: Runtime): Promise<boolean> {
  // Loaded only when seeding, so a production start never loads the data generator.
  const { isDatabaseEmpty, seedDemoData } = await import('./seed/seed.ts');
  if (!(await isDatabaseEmpty(runtime.database.db))) return false;
  const summary = await seedDemoData(runtime.database, { embeddedIssuer: `${runtime.config.baseUrl}/idp` });
  await runtime.database.db.transaction((tx) =>
    appendAudit(tx, { actor: SYSTEM_ACTOR, correlationId: `seed:${randomUUID()}`, now: new Date() }, [
      { action: 'seed.load', recordType: 'council', recordId: null, childId: null, details: { ...summary } },
    ]),
  );
  runtime.logger.info({ summary }, 'Seeded the Northshire demo council');
  return true;
}

export async function startJobs(runtime: Runtime, withWorkers: boolean): Promise<void> {
  await runtime.queue.start();
  if (withWorkers) {
    await startWorkers(
      runtime.queue,
      { db: runtime.database.db, runInTransaction: runtime.runInTransaction, notifier: runtime.notifier, baseUrl: runtime.config.baseUrl, now: () => new Date() },
      runtime.config.digestCron,
    );
  }
}

/** Builds the web app around a runtime, with the embedded identity provider when configured. */
export async function createWebApp(runtime: Runtime, options: { requestLogs?: boolean } = {}): Promise<FastifyInstance> {
  const { config } = runtime;
  let identityProvider: EmbeddedIdentityProvider | null = null;
  if (config.embeddedIdentityProvider) {
    identityProvider = await createEmbeddedIdentityProvider({
      issuer: `${config.baseUrl}/idp`,
      clients: (['staff', 'parent'] as const).map((audience) => {
        const client = audience === 'staff' ? config.staffSignIn : config.parentSignIn;
        return {
          clientId: client.clientId,
          clientSecret: client.clientSecret ?? '',
          redirectUris: [`${config.baseUrl}/auth/callback`],
          postLogoutRedirectUris: [`${config.baseUrl}/signed-out`],
          audience,
        };
      }),
      accounts: DEMO_ACCOUNTS,
      cookieSecret: config.session.secret,
      dataDir: config.database.kind === 'pglite' ? config.dataDir : null,
      onError: (error) => runtime.logger.warn({ err: error }, 'Embedded identity provider error'),
    });
  }
  const originOf = (url: string) => new URL(url).origin;
  return createApp({
    db: runtime.database.db,
    services: runtime.services,
    health: { database: () => runtime.database.ping(), queue: () => runtime.queue.healthy() },
    signIn: createOidcSignIn({ staff: config.staffSignIn, parent: config.parentSignIn }, config.baseUrl),
    identityProvider,
    settings: {
      baseUrl: config.baseUrl,
      sessionSecret: config.session.secret,
      idleMinutes: config.session.idleMinutes,
      maxHours: config.session.maxHours,
      signInRateLimitPerMinute: config.signInRateLimitPerMinute,
      trustProxy: config.trustProxy,
      formActionOrigins: [...new Set([originOf(config.staffSignIn.issuer), originOf(config.parentSignIn.issuer)])].filter((o) => o !== originOf(config.baseUrl)),
    },
    ...(options.requestLogs === false ? {} : { logger: runtime.logger }),
  });
}
