import { pgTable, text, uuid, timestamp, date, index } from 'drizzle-orm/pg-core';
import { children } from './children.ts';

export const schools = pgTable('schools', {
  id: uuid('id').primaryKey().defaultRandom(),
  urn: text('urn').notNull().unique(),
  laestab: text('laestab').notNull().unique(),
  name: text('name').notNull(),
  /** e.g. community, academy, special, independent, pupil referral unit */
  type: text('type').notNull(),
  /** primary, secondary, all-through, special */
  phase: text('phase').notNull(),
  postcode: text('postcode').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A child's time on a school's roll. An open enrolment has no end date. */
export const enrolments = pgTable(
  'enrolments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id').notNull().references(() => children.id),
    schoolId: uuid('school_id').notNull().references(() => schools.id),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    /** Deletion ground (a)–(o) under SI 2024/208 reg 9(1) when the pupil left the roll. */
    deletionGround: text('deletion_ground'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('enrolments_child_idx').on(t.childId), index('enrolments_school_idx').on(t.schoolId, t.endDate)],
);
