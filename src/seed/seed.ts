import type { Database, Executor } from '../db/client.ts';
import {
  adults,
  allocations,
  caseNotes,
  childAdults,
  children,
  councils,
  domainEvents,
  cmeEnquiries,
  educationArrangements,
  educationProviders,
  enrolments,
  episodes,
  schools,
  users,
} from '../db/schema/index.ts';
import { generateDemoData } from './generate.ts';

/** How many rows the seed wrote to each table. */
export interface SeedSummary {
  councils: number;
  schools: number;
  users: number;
  adults: number;
  children: number;
  childAdults: number;
  enrolments: number;
  allocations: number;
  caseNotes: number;
  domainEvents: number;
}

export interface SeedOptions {
  /** Defaults to DEFAULT_SEED, so every fresh demo installation holds the same people. */
  seed?: number;
  /** Defaults to DEFAULT_CHILD_COUNT. */
  childCount?: number;
  /** YYYY-MM-DD; defaults to today's date in England. */
  today?: string;
  embeddedIssuer: string;
}

export const DEFAULT_SEED = 999;
export const DEFAULT_CHILD_COUNT = 300;
/** Rows per INSERT statement: keeps each statement well under PostgreSQL's parameter limit. */
export const SEED_BATCH_SIZE = 500;

/**
 * Whether the installation holds no council yet. Startup seeds demo data only into an empty
 * database, never on top of a council's real records.
 */
export async function isDatabaseEmpty(db: Executor): Promise<boolean> {
  const rows = await db.select({ id: councils.id }).from(councils).limit(1);
  return rows.length === 0;
}

/**
 * Fills an empty database with the Northshire demo council, all in one transaction so a failed
 * seed leaves nothing behind. Refuses a database that already has a council. Writes no audit
 * entry: the caller records the seed run once through the audit module.
 */
export async function seedDemoData(database: Database, options: SeedOptions): Promise<SeedSummary> {
  const data = generateDemoData({
    seed: options.seed ?? DEFAULT_SEED,
    childCount: options.childCount ?? DEFAULT_CHILD_COUNT,
    today: options.today ?? todayInEngland(),
    embeddedIssuer: options.embeddedIssuer,
  });

  await database.db.transaction(async (tx) => {
    if (!(await isDatabaseEmpty(tx))) {
      throw new Error('Refusing to seed demo data: the database already holds a council. Seed only an empty database.');
    }
    await inBatches(data.councils, (rows) => tx.insert(councils).values(rows));
    await inBatches(data.schools, (rows) => tx.insert(schools).values(rows));
    await inBatches(data.users, (rows) => tx.insert(users).values(rows));
    await inBatches(data.adults, (rows) => tx.insert(adults).values(rows));
    await inBatches(data.children, (rows) => tx.insert(children).values(rows));
    await inBatches(data.childAdults, (rows) => tx.insert(childAdults).values(rows));
    await inBatches(data.enrolments, (rows) => tx.insert(enrolments).values(rows));
    await inBatches(data.allocations, (rows) => tx.insert(allocations).values(rows));
    await inBatches(data.caseNotes, (rows) => tx.insert(caseNotes).values(rows));
    await inBatches(data.domainEvents, (rows) => tx.insert(domainEvents).values(rows));
    await inBatches(data.educationArrangements, (rows) => tx.insert(educationArrangements).values(rows));
    await inBatches(data.educationProviders, (rows) => tx.insert(educationProviders).values(rows));
    await inBatches(data.episodes, (rows) => tx.insert(episodes).values(rows));
    await inBatches(data.cmeEnquiries, (rows) => tx.insert(cmeEnquiries).values(rows));
  });

  return {
    councils: data.councils.length,
    schools: data.schools.length,
    users: data.users.length,
    adults: data.adults.length,
    children: data.children.length,
    childAdults: data.childAdults.length,
    enrolments: data.enrolments.length,
    allocations: data.allocations.length,
    caseNotes: data.caseNotes.length,
    domainEvents: data.domainEvents.length,
  };
}

async function inBatches<T>(rows: readonly T[], insert: (batch: T[]) => PromiseLike<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += SEED_BATCH_SIZE) {
    await insert(rows.slice(start, start + SEED_BATCH_SIZE));
  }
}

function todayInEngland(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}
