import { pgTable, text, uuid, timestamp, bigint, jsonb, integer } from 'drizzle-orm/pg-core';

/**
 * Append-only, hash-chained record of every read and write of a child's record. Each row's hash
 * covers its content and the previous row's hash, so altering or removing a row breaks the chain
 * from that point (`cairn audit verify`). A trigger in the migration refuses UPDATE and DELETE.
 */
export const auditLog = pgTable('audit_log', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  actorId: text('actor_id'),
  actorLabel: text('actor_label').notNull(),
  action: text('action').notNull(),
  recordType: text('record_type').notNull(),
  recordId: text('record_id'),
  childId: uuid('child_id'),
  correlationId: text('correlation_id').notNull(),
  details: jsonb('details').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

/**
 * The head of the audit chain: the last row's sequence number and hash, in one row. Appending locks
 * this row (SELECT … FOR UPDATE), which orders concurrent appends into one chain, and `cairn audit
 * verify` compares it with the log's last row, so rows removed from the end are noticed too.
 */
export const auditHead = pgTable('audit_head', {
  id: integer('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});
