import { sql } from 'drizzle-orm';
import { pgTable, text, uuid, timestamp, date, boolean, integer, index, primaryKey } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

export const children = pgTable(
  'children',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The council's own identifier (the CIN census LAchildID). */
    laChildId: text('la_child_id').notNull().unique(),
    upn: text('upn').unique(),
    nhsNumber: text('nhs_number').unique(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    preferredName: text('preferred_name'),
    dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
    /** F, M or U as in the CIN census. */
    sex: text('sex').notNull(),
    addressLine1: text('address_line_1').notNull(),
    addressLine2: text('address_line_2'),
    town: text('town').notNull(),
    postcode: text('postcode').notNull(),
    /** Upper-case postcode without spaces, for search. */
    postcodeKey: text('postcode_key').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('children_last_name_idx').on(t.lastName),
    index('children_dob_idx').on(t.dateOfBirth),
    index('children_postcode_idx').on(t.postcodeKey),
  ],
);

/** Parents and carers. A parent who signs in is linked through userId. */
export const adults = pgTable('adults', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').references(() => users.id).unique(),
  firstName: text('first_name').notNull(),
  lastName: text('last_name').notNull(),
  email: text('email'),
  phone: text('phone'),
  addressLine1: text('address_line_1').notNull(),
  town: text('town').notNull(),
  postcode: text('postcode').notNull(),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const childAdults = pgTable(
  'child_adults',
  {
    childId: uuid('child_id').notNull().references(() => children.id),
    adultId: uuid('adult_id').notNull().references(() => adults.id),
    relationship: text('relationship').notNull(),
    parentalResponsibility: boolean('parental_responsibility').notNull(),
    livesWith: boolean('lives_with').notNull(),
  },
  (t) => [primaryKey({ columns: [t.childId, t.adultId] }), index('child_adults_adult_idx').on(t.adultId)],
);

/** A worker allocated to a child (social worker, health visitor, officer). */
export const allocations = pgTable(
  'allocations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id').notNull().references(() => children.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    endedOn: date('ended_on', { mode: 'string' }),
  },
  (t) => [index('allocations_child_idx').on(t.childId), index('allocations_user_idx').on(t.userId)],
);

/**
 * A practitioner's note on a child's record. Notes are kept, never rewritten; a follow-up date makes
 * the note a piece of work for its author until it is marked done.
 */
export const caseNotes = pgTable(
  'case_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id').notNull().references(() => children.id),
    authorId: uuid('author_id').notNull().references(() => users.id),
    body: text('body').notNull(),
    followUpBy: date('follow_up_by', { mode: 'string' }),
    followUpDoneAt: timestamp('follow_up_done_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('case_notes_child_idx').on(t.childId),
    index('case_notes_follow_up_idx').on(t.authorId, t.followUpBy),
    // Timeline events name their note by id as text; this lets the timeline join use an index.
    index('case_notes_id_text_idx').on(sql`(${t.id}::text)`),
  ],
);
