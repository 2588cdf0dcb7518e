import { z } from 'zod';

/**
 * Cairn's whole configuration, read once from the environment at boot and passed down from the
 * composition root. Nothing else reads process.env, so every setting is documented here and in
 * `.env.example`, and a bad value stops the process before it serves anything.
 */

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  CAIRN_BASE_URL: z.url().optional(),
  CAIRN_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  CAIRN_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  CAIRN_SESSION_SECRET: z.string().min(32, 'CAIRN_SESSION_SECRET must be at least 32 characters').optional(),
  CAIRN_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  CAIRN_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  CAIRN_EMBEDDED_IDP: booleanString.optional(),
  CAIRN_STAFF_OIDC_ISSUER: z.url().optional(),
  CAIRN_STAFF_OIDC_CLIENT_ID: z.string().min(1).optional(),
  CAIRN_STAFF_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  CAIRN_PARENT_OIDC_ISSUER: z.url().optional(),
  CAIRN_PARENT_OIDC_CLIENT_ID: z.string().min(1).optional(),
  CAIRN_PARENT_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  CAIRN_RUN_WORKER: booleanString.default(true),
  CAIRN_DIGEST_CRON: z.string().min(9).default('0 7 * * *'),
  CAIRN_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CAIRN_SIGN_IN_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  CAIRN_SCHOOL_RECENT_LEAVER_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
  CAIRN_TRUST_PROXY: booleanString.default(false),
  NOTIFY_API_KEY: z.string().min(1).optional(),
  NOTIFY_TEMPLATE_DIGEST: z.string().min(1).optional(),
  NOTIFY_TEMPLATE_CASE_NOTE: z.string().min(1).optional(),
  /** Letters sent by email; optional, as every Cairn email template is the same subject-and-body shell. */
  NOTIFY_TEMPLATE_LETTER: z.string().min(1).optional(),
});

export interface OidcClientConfig {
  issuer: string;
  clientId: string;
  clientSecret?: string;
}

export interface Config {
  environment: 'development' | 'test' | 'production';
  port: number;
  host: string;
  baseUrl: string;
  dataDir: string;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; poolSize: number };
  session: { secret: string; idleMinutes: number; maxHours: number };
  /** When true Cairn starts its own OpenID Connect provider with demo accounts at `${baseUrl}/idp`. */
  embeddedIdentityProvider: boolean;
  staffSignIn: OidcClientConfig;
  parentSignIn: OidcClientConfig;
  runWorker: boolean;
  digestCron: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  signInRateLimitPerMinute: number;
  schoolRecentLeaverDays: number;
  trustProxy: boolean;
  notify: { kind: 'outbox' } | { kind: 'govuk-notify'; apiKey: string; templates: { digest: string; caseNote: string; letter?: string } };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DEVELOPMENT_SESSION_SECRET = 'cairn-development-session-secret-not-for-production';

/** Builds the typed configuration; throws a ConfigError naming every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const baseUrl = (e.CAIRN_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const embedded = e.CAIRN_EMBEDDED_IDP ?? !production;
  const problems: string[] = [];

  if (production) {
    if (!e.CAIRN_SESSION_SECRET) problems.push('CAIRN_SESSION_SECRET is required in production');
    if (embedded) problems.push('CAIRN_EMBEDDED_IDP cannot be used in production: configure real OpenID Connect issuers');
    if (!e.DATABASE_URL) problems.push('DATABASE_URL is required in production (the embedded database is for trying Cairn out)');
    if (!e.NOTIFY_API_KEY) problems.push('NOTIFY_API_KEY is required in production');
    if (!baseUrl.startsWith('https://')) problems.push('CAIRN_BASE_URL must be an https:// address in production');
  }

  const client = (issuer?: string, clientId?: string, secret?: string, label?: string): OidcClientConfig => {
    if (embedded) {
      return { issuer: `${baseUrl}/idp`, clientId: `cairn-${label}`, clientSecret: `embedded-${label}-secret` };
    }
    if (!issuer || !clientId) {
      problems.push(`CAIRN_${label?.toUpperCase()}_OIDC_ISSUER and CAIRN_${label?.toUpperCase()}_OIDC_CLIENT_ID are required without the embedded identity provider`);
      return { issuer: 'https://invalid.invalid', clientId: 'invalid' };
    }
    if (production && issuer.startsWith('http://')) problems.push(`${label} OIDC issuer must use https in production`);
    if (production && !secret) problems.push(`CAIRN_${label?.toUpperCase()}_OIDC_CLIENT_SECRET is required in production`);
    return secret ? { issuer, clientId, clientSecret: secret } : { issuer, clientId };
  };
  const staffSignIn = client(e.CAIRN_STAFF_OIDC_ISSUER, e.CAIRN_STAFF_OIDC_CLIENT_ID, e.CAIRN_STAFF_OIDC_CLIENT_SECRET, 'staff');
  const parentSignIn = client(e.CAIRN_PARENT_OIDC_ISSUER, e.CAIRN_PARENT_OIDC_CLIENT_ID, e.CAIRN_PARENT_OIDC_CLIENT_SECRET, 'parent');

  let notify: Config['notify'] = { kind: 'outbox' };
  if (e.NOTIFY_API_KEY) {
    if (!e.NOTIFY_TEMPLATE_DIGEST || !e.NOTIFY_TEMPLATE_CASE_NOTE) {
      problems.push('NOTIFY_TEMPLATE_DIGEST and NOTIFY_TEMPLATE_CASE_NOTE are required with NOTIFY_API_KEY');
    } else {
      notify = {
        kind: 'govuk-notify',
        apiKey: e.NOTIFY_API_KEY,
        templates: { digest: e.NOTIFY_TEMPLATE_DIGEST, caseNote: e.NOTIFY_TEMPLATE_CASE_NOTE, ...(e.NOTIFY_TEMPLATE_LETTER ? { letter: e.NOTIFY_TEMPLATE_LETTER } : {}) },
      };
    }
  }

  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);

  return {
    environment: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    baseUrl,
    dataDir: e.CAIRN_DATA_DIR,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.CAIRN_DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: `${e.CAIRN_DATA_DIR.replace(/\/$/, '')}/pglite` },
    session: {
      secret: e.CAIRN_SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET,
      idleMinutes: e.CAIRN_SESSION_IDLE_MINUTES,
      maxHours: e.CAIRN_SESSION_MAX_HOURS,
    },
    embeddedIdentityProvider: embedded,
    staffSignIn,
    parentSignIn,
    runWorker: e.CAIRN_RUN_WORKER,
    digestCron: e.CAIRN_DIGEST_CRON,
    logLevel: e.CAIRN_LOG_LEVEL,
    signInRateLimitPerMinute: e.CAIRN_SIGN_IN_RATE_LIMIT,
    schoolRecentLeaverDays: e.CAIRN_SCHOOL_RECENT_LEAVER_DAYS,
    trustProxy: e.CAIRN_TRUST_PROXY,
    notify,
  };
}
