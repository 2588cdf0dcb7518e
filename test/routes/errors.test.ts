import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { apiClients, users } from '../../src/db/schema/index.ts';
import { hashApiToken } from '../../src/domain/users/use-cases.ts';
import type { Services } from '../../src/services.ts';
import { createApp } from '../../src/web/app.ts';
import { createThrowAwayDatabase, type ThrowAwayDatabase } from '../support/databases.ts';
import { sessionFor, type TestSession } from '../support/sessions.ts';

/**
 * The web app built around fakes from the composition root's point of view: a use case that fails
 * unexpectedly must give the GOV.UK error page with a reference, never the error's detail.
 */
describe('unexpected errors', () => {
  let throwAway: ThrowAwayDatabase;
  let app: FastifyInstance;
  let session: TestSession;

  beforeAll(async () => {
    throwAway = await createThrowAwayDatabase('pglite');
    const db = throwAway.database.db;
    const [user] = await db.insert(users).values({ issuer: 'test', subject: 'officer', email: 'officer@northshire.example', displayName: 'Test Officer', role: 'social_worker' }).returning();
    await db.insert(apiClients).values({ name: 'test-client', tokenHash: hashApiToken('cairn_test_token'), userId: user!.id });
    session = await sessionFor(db, 'officer');
    const failing = async () => {
      throw new Error('connection reset while reading secret-table');
    };
    const services = new Proxy({}, { get: () => failing }) as unknown as Services;
    app = await createApp({
      db,
      services,
      health: { database: async () => { throw new Error('down'); }, queue: async () => false },
      signIn: { begin: failing, complete: failing, endSessionUrl: failing },
      identityProvider: null,
      settings: { baseUrl: 'http://localhost:3000', sessionSecret: 'x'.repeat(40), idleMinutes: 30, maxHours: 12, signInRateLimitPerMinute: 20, trustProxy: false, formActionOrigins: [] },
    });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await throwAway?.drop();
  });

  test('a page gets the GOV.UK “problem with the service” page with the correlation id, and no detail', async () => {
    const response = await app.inject({ url: '/children/00000000-0000-4000-8000-000000000000', headers: { cookie: session.cookie, 'x-correlation-id': 'trace-123' } });
    expect(response.statusCode).toBe(500);
    expect(response.body).toContain('Sorry, there is a problem with the service');
    expect(response.body).toContain('Reference: trace-123');
    expect(response.body).not.toContain('secret-table');
  });

  test('the API gets a problem body without the detail', async () => {
    const response = await app.inject({ url: '/api/v1/children?name=a', headers: { authorization: 'Bearer cairn_test_token', 'x-correlation-id': 'trace-456' } });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toEqual({ type: 'https://cairn.example/problems/internal', title: 'internal', status: 500, detail: 'Something went wrong.', correlationId: 'trace-456' });
  });

  test('health reports which dependency is down with 503', async () => {
    const response = await app.inject({ url: '/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'error', checks: { database: 'error', queue: 'error' } });
  });
});
