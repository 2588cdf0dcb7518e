import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const PRODUCTION = {
  NODE_ENV: 'production',
  CAIRN_BASE_URL: 'https://cairn.council.example',
  CAIRN_SESSION_SECRET: 'x'.repeat(40),
  DATABASE_URL: 'postgres://db/cairn',
  NOTIFY_API_KEY: 'key',
  NOTIFY_TEMPLATE_DIGEST: 't1',
  NOTIFY_TEMPLATE_CASE_NOTE: 't2',
};

describe('configuration', () => {
  test('defaults give an embedded installation on port 3000 with data in ./data', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './data/pglite' });
    expect(config.embeddedIdentityProvider).toBe(true);
    expect(config.staffSignIn.issuer).toBe('http://localhost:3000/idp');
    expect(config.notify).toEqual({ kind: 'outbox' });
  });

  test('DATABASE_URL selects PostgreSQL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/cairn', CAIRN_DATABASE_POOL_SIZE: '20' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/cairn', poolSize: 20 });
  });

  test('bad values are rejected with every problem named', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (error) {
      expect(String(error)).toContain('PORT');
      expect(String(error)).toContain('DATABASE_URL');
    }
  });

  test('production refuses to start without secrets and real identity providers', () => {
    const attempt = () => loadConfig({ NODE_ENV: 'production' });
    expect(attempt).toThrow(/CAIRN_SESSION_SECRET is required/);
    expect(attempt).toThrow(/CAIRN_STAFF_OIDC_ISSUER and CAIRN_STAFF_OIDC_CLIENT_ID are required/);
    expect(attempt).toThrow(/DATABASE_URL is required/);
    expect(() => loadConfig({ NODE_ENV: 'production', CAIRN_EMBEDDED_IDP: 'true' })).toThrow(/CAIRN_EMBEDDED_IDP cannot be used in production/);
  });

  test('production refuses an http identity provider', () => {
    expect(() =>
      loadConfig({
        ...PRODUCTION,
        CAIRN_STAFF_OIDC_ISSUER: 'http://login.example/tenant/v2.0',
        CAIRN_STAFF_OIDC_CLIENT_ID: 'cairn',
        CAIRN_STAFF_OIDC_CLIENT_SECRET: 's',
        CAIRN_PARENT_OIDC_ISSUER: 'https://oidc.account.gov.uk',
        CAIRN_PARENT_OIDC_CLIENT_ID: 'cairn-parents',
        CAIRN_PARENT_OIDC_CLIENT_SECRET: 's',
      }),
    ).toThrow(/staff OIDC issuer must use https/);
  });

  test('a complete production configuration loads', () => {
    const config = loadConfig({
      ...PRODUCTION,
      CAIRN_STAFF_OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0',
      CAIRN_STAFF_OIDC_CLIENT_ID: 'cairn',
      CAIRN_STAFF_OIDC_CLIENT_SECRET: 's',
      CAIRN_PARENT_OIDC_ISSUER: 'https://oidc.account.gov.uk',
      CAIRN_PARENT_OIDC_CLIENT_ID: 'cairn-parents',
      CAIRN_PARENT_OIDC_CLIENT_SECRET: 's',
    });
    expect(config.embeddedIdentityProvider).toBe(false);
    expect(config.notify.kind).toBe('govuk-notify');
    expect(config.parentSignIn.issuer).toBe('https://oidc.account.gov.uk');
  });
});
