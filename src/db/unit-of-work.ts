import { desc, sql } from 'drizzle-orm';
import type { Db, Tx } from './client.ts';
import { auditLog, domainEvents } from './schema/index.ts';
import { auditHash, GENESIS_HASH } from '../domain/audit/audit-chain.ts';
import type { UseCaseContext } from '../domain/auth/actor.ts';

/** An audit entry a use case records; the unit of work adds who, when, correlation id and the chain. */
export interface AuditEntry {
  action: string;
  recordType: string;
  recordId: string | null;
  childId: string | null;
  details?: Record<string, unknown>;
}

/** A fact about a change; with a childId it appears on that child's timeline. */
export interface DomainEventEntry {
  type: string;
  aggregateType: string;
  aggregateId: string;
  childId: string | null;
  summary: string;
  visibility: 'staff' | 'partners' | 'family';
  payload?: Record<string, unknown>;
}

/** A follow-up job to run after the change commits, enqueued in the same transaction. */
export interface JobEntry {
  queue: string;
  data: Record<string, unknown>;
}

/** How jobs get into the queue inside a transaction; implemented over pg-boss in jobs/queue.ts. */
export interface TransactionalEnqueuer {
  enqueue(tx: Tx, job: JobEntry): Promise<void>;
}

export interface UnitOfWork {
  readonly tx: Tx;
  readonly ctx: UseCaseContext;
  audit(entry: AuditEntry): void;
  event(entry: DomainEventEntry): void;
  job(entry: JobEntry): void;
}

/** Arbitrary constant key for the advisory lock that orders audit appends into one chain. */
const AUDIT_CHAIN_LOCK = 727_001;

/**
 * Runs a use case in one transaction, then writes its events, jobs and audit rows in that same
 * transaction before commit: the change, its audit record, its event and its follow-up job land
 * together or not at all. Audit rows are appended last so the chain lock is held only briefly.
 */
export function createUnitOfWorkRunner(db: Db, enqueuer: TransactionalEnqueuer) {
  return async function runInTransaction<T>(ctx: UseCaseContext, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    return db.transaction(async (tx) => {
      const audits: AuditEntry[] = [];
      const events: DomainEventEntry[] = [];
      const jobs: JobEntry[] = [];
      const result = await work({
        tx,
        ctx,
        audit: (entry) => audits.push(entry),
        event: (entry) => events.push(entry),
        job: (entry) => jobs.push(entry),
      });
      if (events.length > 0) {
        await tx.insert(domainEvents).values(
          events.map((e) => ({
            type: e.type,
            aggregateType: e.aggregateType,
            aggregateId: e.aggregateId,
            childId: e.childId,
            actorId: ctx.actor.kind === 'user' ? ctx.actor.id : null,
            actorLabel: ctx.actor.label,
            summary: e.summary,
            visibility: e.visibility,
            payload: e.payload ?? {},
            correlationId: ctx.correlationId,
            occurredAt: ctx.now,
          })),
        );
      }
      for (const job of jobs) await enqueuer.enqueue(tx, job);
      if (audits.length > 0) await appendAudit(tx, ctx, audits);
      return result;
    });
  };
}

export type RunInTransaction = ReturnType<typeof createUnitOfWorkRunner>;

/** Appends entries to the hash chain. Must run inside a transaction. */
export async function appendAudit(tx: Tx, ctx: UseCaseContext, entries: readonly AuditEntry[]): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  let seq = last ? Number(last.seq) : 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const rows = entries.map((entry) => {
    seq += 1;
    const content = {
      seq,
      occurredAt: ctx.now,
      actorId: ctx.actor.id,
      actorLabel: `${ctx.actor.label} (${ctx.actor.role})`,
      action: entry.action,
      recordType: entry.recordType,
      recordId: entry.recordId,
      childId: entry.childId,
      correlationId: ctx.correlationId,
      details: entry.details ?? {},
    };
    const hash = auditHash(prevHash, content);
    const row = { ...content, prevHash, hash };
    prevHash = hash;
    return row;
  });
  await tx.insert(auditLog).values(rows);
}
