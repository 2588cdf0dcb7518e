import { pgTable, text, uuid, timestamp, date, boolean, integer, jsonb, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { children } from './children.ts';
import { schools } from './schools.ts';
import { users } from './users.ts';

/**
 * An episode on the register: an elective home education episode or a children-missing-education
 * case. Opened by intake (a deletion return, a parent's notification, a partner's referral or an
 * officer) and followed until it closes. `status` moves only through the lifecycle tables in
 * src/domain/register.
 */
export const episodes = pgTable(
  'episodes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** ehe or cme */
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    openedOn: date('opened_on', { mode: 'string' }).notNull(),
    /** deletion-return, admission-return, parent-notification, partner-referral or officer */
    openedBy: text('opened_by').notNull(),
    /** The id of the return or referral that opened it. */
    sourceId: uuid('source_id'),
    /** Why: for CME the deletion ground (h, i), unknown-destination or unknown-child; for EHE the parent's reason. */
    reason: text('reason'),
    allocatedTo: uuid('allocated_to').references(() => users.id),
    closedOn: date('closed_on', { mode: 'string' }),
    closeReason: text('close_reason'),
    /** Where a missing child was found, the council handed over to, or the escalation made. */
    outcome: jsonb('outcome'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('episodes_child_idx').on(t.childId), index('episodes_kind_status_idx').on(t.kind, t.status, t.openedOn)],
);

/**
 * A school's notice that a pupil of compulsory school age leaves its roll, with the fields the
 * School Attendance (Pupil Registration) (England) Regulations 2024 require, however it arrived.
 */
export const deletionReturns = pgTable(
  'deletion_returns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    childId: uuid('child_id').references(() => children.id),
    /** The person or API client who sent it; null when an operator imported it with the CLI. */
    submittedBy: uuid('submitted_by').references(() => users.id),
    /** form, csv or api */
    source: text('source').notNull(),
    /** The same return sent twice (a re-uploaded file, a retried API call) is recognised by this. */
    idempotencyKey: text('idempotency_key').notNull(),
    pupilFirstName: text('pupil_first_name').notNull(),
    pupilLastName: text('pupil_last_name').notNull(),
    pupilDateOfBirth: date('pupil_date_of_birth', { mode: 'string' }).notNull(),
    upn: text('upn'),
    parentName: text('parent_name').notNull(),
    parentAddressLine1: text('parent_address_line_1').notNull(),
    parentTown: text('parent_town').notNull(),
    parentPostcode: text('parent_postcode').notNull(),
    emergencyPhone: text('emergency_phone').notNull(),
    futureAddress: text('future_address'),
    destinationSchool: text('destination_school'),
    destinationStartDate: date('destination_start_date', { mode: 'string' }),
    /** Regulation 9(1) ground, a to o. */
    ground: text('ground').notNull(),
    deletionDate: date('deletion_date', { mode: 'string' }).notNull(),
    /** For ground f: the parent's reason for home education, from the DfE list, if given. */
    eheReason: text('ehe_reason'),
    safeguardingConcerns: boolean('safeguarding_concerns').notNull(),
    concernsDocumentedOn: date('concerns_documented_on', { mode: 'string' }),
    concernsDetail: text('concerns_detail'),
    /** The deletion waits for the council's consent (2026 Act s434A). */
    consentRequired: boolean('consent_required').notNull().default(false),
    /** processed, or held while consent is decided */
    status: text('status').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('deletion_returns_idempotency_idx').on(t.idempotencyKey), index('deletion_returns_school_idx').on(t.schoolId, t.createdAt)],
);

/** Reasonable enquiries made to find a child missing education. */
export const cmeEnquiries = pgTable(
  'cme_enquiries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    episodeId: uuid('episode_id')
      .notNull()
      .references(() => episodes.id),
    withWhom: text('with_whom').notNull(),
    /** phone, email, letter, visit, database check, other council */
    method: text('method').notNull(),
    madeOn: date('made_on', { mode: 'string' }).notNull(),
    outcome: text('outcome').notNull(),
    jointWithSchool: boolean('joint_with_school').notNull().default(false),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('cme_enquiries_episode_idx').on(t.episodeId, t.madeOn)],
);

/** Answers a person has given so far in a multi-page form, kept until they submit or abandon it. */
export const formDrafts = pgTable(
  'form_drafts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    journey: text('journey').notNull(),
    data: jsonb('data').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('form_drafts_user_journey_idx').on(t.userId, t.journey)],
);

/**
 * How the council heard of a child not in school other than from a school: a parent telling it
 * they home educate, or a partner (health visitor, GP practice, police, third sector, a member of
 * the public) referring a child not known to be in school.
 */
export const referrals = pgTable(
  'referrals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** parent-notification or partner-referral */
    kind: text('kind').notNull(),
    childId: uuid('child_id').references(() => children.id),
    /** processed, or awaiting-match while an officer decides who the child is */
    status: text('status').notNull(),
    submittedBy: uuid('submitted_by').references(() => users.id),
    /** health-visitor, gp-practice, police, third-sector, public, other-council, parent */
    referrerType: text('referrer_type').notNull(),
    referrerName: text('referrer_name').notNull(),
    referrerOrganisation: text('referrer_organisation'),
    childFirstName: text('child_first_name').notNull(),
    childLastName: text('child_last_name').notNull(),
    childDateOfBirth: date('child_date_of_birth', { mode: 'string' }).notNull(),
    addressLine1: text('address_line_1'),
    town: text('town'),
    postcode: text('postcode'),
    details: text('details'),
    homeEducationFrom: date('home_education_from', { mode: 'string' }),
    eheReason: text('ehe_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('referrals_status_idx').on(t.status, t.createdAt), index('referrals_child_idx').on(t.childId)],
);

/**
 * A data-matching exercise: a population list (a GP-registration extract, a neighbouring council's
 * list) matched against school rolls and the register to find children known to neither. The file's
 * checksum, every row's result and what was done with it are kept.
 */
export const matchingExercises = pgTable('matching_exercises', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  fileName: text('file_name').notNull(),
  sha256: text('sha256').notNull(),
  rowCount: integer('row_count').notNull(),
  knownCount: integer('known_count').notNull(),
  unknownCount: integer('unknown_count').notNull(),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const matchingExerciseRows = pgTable(
  'matching_exercise_rows',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    exerciseId: uuid('exercise_id')
      .notNull()
      .references(() => matchingExercises.id),
    line: integer('line').notNull(),
    /** The person as the list gave them. */
    person: jsonb('person').notNull(),
    /** known (on a roll or the register), unknown-record (a child Cairn has, on neither), unknown (no match), case-opened */
    status: text('status').notNull(),
    matchedChildId: uuid('matched_child_id').references(() => children.id),
    /** The best match's score (0–100) and why. */
    score: integer('score').notNull(),
    reasons: jsonb('reasons').notNull().default([]),
    caseChildId: uuid('case_child_id').references(() => children.id),
  },
  (t) => [index('matching_exercise_rows_exercise_idx').on(t.exerciseId, t.status)],
);
