import { pgTable, text, uuid, timestamp, bigserial, jsonb, index } from 'drizzle-orm/pg-core';
import { children } from './children.ts';
import { users } from './users.ts';

/**
 * What happened, as a fact about a record. Written in the same transaction as the change; a child's
 * timeline is the events that name the child. `visibility` says who outside the council may see it.
 */
export const domainEvents = pgTable(
  'domain_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    type: text('type').notNull(),
    aggregateType: text('aggregate_type').notNull(),
    aggregateId: text('aggregate_id').notNull(),
    childId: uuid('child_id').references(() => children.id),
    actorId: uuid('actor_id').references(() => users.id),
    actorLabel: text('actor_label').notNull(),
    summary: text('summary').notNull(),
    /** staff: council staff only; family: also the child's parents; partners: also the school. */
    visibility: text('visibility').notNull(),
    payload: jsonb('payload').notNull(),
    correlationId: text('correlation_id').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('domain_events_child_idx').on(t.childId, t.occurredAt)],
);

/** Messages sent by email or letter. In embedded mode this is the outbox users read. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recipientEmail: text('recipient_email').notNull(),
    template: text('template').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** queued, sent (Notify accepted it) or delivered to the embedded outbox */
    status: text('status').notNull(),
    providerReference: text('provider_reference'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('notifications_recipient_idx').on(t.recipientEmail, t.createdAt)],
);
