import { customType, pgTable, text, uuid, timestamp, date, integer, jsonb, index } from 'drizzle-orm/pg-core';
import { adults, children } from './children.ts';
import { episodes } from './register.ts';
import { eheSteps, letters } from './ehe.ts';
import { socialCareEpisodes, socialCareSteps } from './social-care.ts';
import { users } from './users.ts';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => new Uint8Array(value),
});

/**
 * Something a parent or carer sent the council through the family service: a notice of home
 * education, a reported change, a reply to an enquiry, a declined visit or chosen meeting, comments
 * on an assessment, a request for written confirmation of closure, views for a meeting, a request
 * for a correction or for support, or a complaint. `kind` says which; `details` holds what that kind
 * records (validated by its schema in src/domain/family). Each carries a reference the family can
 * quote, and what the council did with it (`status`, `outcome`), so both sides see the same history.
 */
export const familySubmissions = pgTable(
  'family_submissions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Shown to the family, e.g. FS-7K2M-9QXD. */
    reference: text('reference').notNull().unique(),
    kind: text('kind').notNull(),
    /** The parent or carer who sent it, and the account they used. */
    adultId: uuid('adult_id')
      .notNull()
      .references(() => adults.id),
    userId: uuid('user_id').references(() => users.id),
    childId: uuid('child_id').references(() => children.id),
    eheEpisodeId: uuid('ehe_episode_id').references(() => episodes.id),
    eheStepId: uuid('ehe_step_id').references(() => eheSteps.id),
    letterId: uuid('letter_id').references(() => letters.id),
    socialCareEpisodeId: uuid('social_care_episode_id').references(() => socialCareEpisodes.id),
    socialCareStepId: uuid('social_care_step_id').references(() => socialCareSteps.id),
    details: jsonb('details').notNull().default({}),
    /** received, then as the kind allows: acknowledged, done, declined, upheld, partly-upheld, not-upheld, escalated */
    status: text('status').notNull(),
    /** When the council must answer by, where a rule sets one. */
    dueOn: date('due_on', { mode: 'string' }),
    acknowledgedOn: date('acknowledged_on', { mode: 'string' }),
    /** What the council decided or did, in words the family reads. */
    outcome: text('outcome'),
    handledBy: uuid('handled_by').references(() => users.id),
    handledOn: date('handled_on', { mode: 'string' }),
    /** The member of staff it is with (a complaint goes to a team manager). */
    assignedTo: uuid('assigned_to').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('family_submissions_adult_idx').on(t.adultId, t.createdAt),
    index('family_submissions_child_idx').on(t.childId, t.createdAt),
    index('family_submissions_open_idx').on(t.kind, t.status),
  ],
);

/**
 * A file a family uploaded with a submission (a report, samples of work): checked for size and
 * type, its name made safe, and kept with its checksum.
 */
export const familyDocuments = pgTable(
  'family_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    submissionId: uuid('submission_id')
      .notNull()
      .references(() => familySubmissions.id),
    childId: uuid('child_id').references(() => children.id),
    adultId: uuid('adult_id')
      .notNull()
      .references(() => adults.id),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('family_documents_submission_idx').on(t.submissionId)],
);
