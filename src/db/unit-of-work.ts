import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from './client.ts';
import { auditHead, auditLog, domainEvents } from './schema/index.ts';
import { auditHash } from '../domain/audit/audit-chain.ts';
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
  /** Who sees it on the child's timeline: social care staff only, council staff, partners too, or the family too. */
  visibility: 'social-care' | 'staff' | 'partners' | 'family';
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

/**
 * Appends entries to the hash chain. Must run inside a transaction. Locking the head row orders
 * concurrent appends (a waiting transaction re-reads the head once the lock is free), and the rows
 * and the new head are written in one statement, so an append costs two round trips.
 */
export async function appendAudit(tx: Tx, ctx: UseCaseContext, entries: readonly AuditEntry[]): Promise<void> {
  const [head] = await tx.select().from(auditHead).where(eq(auditHead.id, 1)).for('update');
  if (!head) throw new Error('The audit chain has no head row; run the migrations');
  let seq = Number(head.seq);
  let prevHash = head.hash;
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
  const inserted = tx.$with('inserted').as(tx.insert(auditLog).values(rows).returning({ seq: auditLog.seq }));
  await tx.with(inserted).update(auditHead).set({ seq, hash: prevHash }).where(and(eq(auditHead.id, 1), sql`exists (select 1 from ${inserted})`));
}
