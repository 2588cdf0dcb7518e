import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { POSTGRES_ADMIN_URL } from '../test/support/databases.ts';

export interface EmptyPostgresDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * An empty database on the test PostgreSQL server for a child Cairn to migrate and seed itself,
 * so the cold start measures what an operator's first and later starts really do.
 */
export async function createEmptyPostgresDatabase(): Promise<EmptyPostgresDatabase> {
  const name = `cairn_bench_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** The server's version string, so results from different PostgreSQL releases are not compared blindly. */
export async function postgresServerVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    const result = await client.query<{ server_version: string }>('show server_version');
    return result.rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
