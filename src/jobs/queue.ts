import { sql } from 'drizzle-orm';
import { PgBoss, fromDrizzle } from 'pg-boss';
import type { Database, Tx } from '../db/client.ts';
import type { JobEntry, TransactionalEnqueuer } from '../db/unit-of-work.ts';

/** Every queue Cairn uses. Adding a queue means adding its name here and a handler in jobs/handlers.ts. */
export const QUEUES = ['case-note-added', 'overdue-work-digest', 'letter.send'] as const;
export type QueueName = (typeof QUEUES)[number];

export interface JobQueue extends TransactionalEnqueuer {
  boss: PgBoss;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** True when the queue's tables answer; used by /health. */
  healthy(): Promise<boolean>;
}

/**
 * pg-boss over the same database as everything else, so a job is enqueued inside the transaction
 * that makes the change: if the change rolls back, the job was never there.
 */
export function createJobQueue(database: Database, onError: (error: Error) => void): JobQueue {
  const boss =
    'db' in database.queueConnection
      ? new PgBoss({ db: database.queueConnection.db, backend: 'pglite', schema: 'pgboss', supervise: true })
      : new PgBoss({ ...database.queueConnection, schema: 'pgboss', supervise: true, application_name: 'cairn-queue' });
  boss.on('error', onError);
  let started = false;
  return {
    boss,
    async start() {
      await boss.start();
      for (const name of QUEUES) {
        const existing = await boss.getQueue(name);
        if (!existing) await boss.createQueue(name, { retryLimit: 3, retryBackoff: true, expireInSeconds: 900 });
      }
      started = true;
    },
    async stop() {
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, timeout: 10_000, close: true });
    },
    async enqueue(tx: Tx, job: JobEntry) {
      await boss.send(job.queue, job.data, { db: fromDrizzle(tx as never, sql) });
    },
    async healthy() {
      if (!started) return false;
      try {
        await boss.getQueue('case-note-added');
        return true;
      } catch {
        return false;
      }
    },
  };
}
