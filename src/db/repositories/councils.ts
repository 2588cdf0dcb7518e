import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { councils } from '../schema/index.ts';
import { readCouncilSettings, type CouncilSettings } from '../../domain/council/settings.ts';

export interface CouncilRow {
  id: string;
  name: string;
  laNumber: string;
  version: number;
  settings: CouncilSettings;
}

/** The council this installation serves, with its settings; defaults when none is set up yet. */
export async function loadCouncil(executor: Executor): Promise<CouncilRow | undefined> {
  const [row] = await executor.select().from(councils).limit(1);
  if (!row) return undefined;
  return { id: row.id, name: row.name, laNumber: row.laNumber, version: row.version, settings: readCouncilSettings(row.settings) };
}

export async function loadCouncilSettings(executor: Executor): Promise<CouncilSettings> {
  return (await loadCouncil(executor))?.settings ?? readCouncilSettings({});
}

/** The council row as stored, for the settings pages: settings as saved, so keys Cairn does not know survive a save. */
export async function loadCouncilForChange(executor: Executor) {
  const [row] = await executor
    .select({ id: councils.id, name: councils.name, version: councils.version, settings: councils.settings, homeEducationPolicy: councils.homeEducationPolicy })
    .from(councils)
    .limit(1);
  return row;
}

/**
 * Saves a change to the council row only if nobody saved one since it was read; undefined when
 * the version moved on. Settings and policy share the row's version, as both are one record.
 */
export async function updateCouncil(
  executor: Executor,
  id: string,
  expectedVersion: number,
  change: { settings?: Record<string, unknown>; homeEducationPolicy?: string },
): Promise<{ version: number } | undefined> {
  const [row] = await executor
    .update(councils)
    .set({ ...change, version: sql`${councils.version} + 1` })
    .where(and(eq(councils.id, id), eq(councils.version, expectedVersion)))
    .returning({ version: councils.version });
  return row;
}
