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
