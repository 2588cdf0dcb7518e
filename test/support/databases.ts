import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, migrateDatabase, type Database } from '../../src/db/client.ts';

/**
 * Every data test runs on both engines Cairn supports. Each call gives a fresh, migrated,
 * throw-away database: PGlite in memory, or a new database on the PostgreSQL server.
 */
export const ENGINES = ['pglite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

export const POSTGRES_ADMIN_URL = process.env['CAIRN_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface ThrowAwayDatabase {
  database: Database;
  url: string | null;
  drop(): Promise<void>;
}

export async function createThrowAwayDatabase(engine: Engine): Promise<ThrowAwayDatabase> {
  if (engine === 'pglite') {
    const database = await openPglite(null);
    await migrateDatabase(database);
    return { database, url: null, drop: () => database.close() };
  }
  const name = `cairn_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString(), 10);
  await migrateDatabase(database);
  return {
    database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
