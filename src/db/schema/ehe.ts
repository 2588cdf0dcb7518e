import { pgTable, text, uuid, timestamp, date, boolean, integer, jsonb, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { children, adults } from './children.ts';
import { episodes, deletionReturns } from './register.ts';
import { schools } from './schools.ts';
import { users } from './users.ts';
import { socialCareEpisodes } from './social-care.ts';

/**
 * Every formal step of a home education episode, in order: an informal enquiry, information
 * received, a notice, an order, the next annual contact. An open step with a due date is a clock;
 * the due date is fixed when the step starts, so a later change to a council's periods applies to
 * new steps only.
 */
export const eheSteps = pgTable(
  'ehe_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    episodeId: uuid('episode_id')
      .notNull()
      .references(() => episodes.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** informal-enquiry, information, judgement, moderation, s437-notice, satisfied, notice-of-intention, school-choice, school-attendance-order, sao-complied, sao-revoked, prosecution, annual-contact, home-consideration, provider-update-request, preliminary-notice, closed */
    kind: text('kind').notNull(),
    /** open (a clock is running), done, or cancelled (the episode moved on without it) */
    status: text('status').notNull(),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    completedOn: date('completed_on', { mode: 'string' }),
    details: jsonb('details').notNull().default({}),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ehe_steps_episode_idx').on(t.episodeId, t.createdAt), index('ehe_steps_open_due_idx').on(t.status, t.dueOn)],
);

/**
 * A judgement of whether a child's education is suitable, against the legal test (Education Act
 * 1996 s7): efficient, full-time, suitable to age, ability and aptitude, and to any special
 * educational needs. A "not suitable" or "not satisfied" outcome takes effect only when a second
 * officer has moderated it.
 */
export const suitabilityJudgements = pgTable(
  'suitability_judgements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    episodeId: uuid('episode_id')
      .notNull()
      .references(() => episodes.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** yes, no or not-known for each part of the test; SEN may be not-applicable */
    efficient: text('efficient').notNull(),
    fullTime: text('full_time').notNull(),
    suitableToAgeAbilityAptitude: text('suitable_to_age_ability_aptitude').notNull(),
    suitableToSen: text('suitable_to_sen').notNull(),
    /** The evidence considered: written-report, samples-of-work, meeting, visit, provider-information, other */
    evidence: jsonb('evidence').notNull().default([]),
    reasoning: text('reasoning').notNull(),
    /** suitable, not-suitable or not-satisfied */
    outcome: text('outcome').notNull(),
    /** in-effect, awaiting-moderation or returned (the moderator did not agree) */
    status: text('status').notNull(),
    judgedBy: uuid('judged_by')
      .notNull()
      .references(() => users.id),
    judgedOn: date('judged_on', { mode: 'string' }).notNull(),
    moderatedBy: uuid('moderated_by').references(() => users.id),
    moderatedAt: timestamp('moderated_at', { withTimezone: true }),
    moderationNote: text('moderation_note'),
    /** Recorded separately: what the family said, and what the child said. */
    familyResponse: text('family_response'),
    childViews: text('child_views'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('suitability_judgements_episode_idx').on(t.episodeId, t.createdAt)],
);

/** What a family sent or said in response to a step: a written reply, a report, a meeting note. */
export const familyResponses = pgTable(
  'family_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    episodeId: uuid('episode_id')
      .notNull()
      .references(() => episodes.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    stepId: uuid('step_id').references(() => eheSteps.id),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    /** letter, email, meeting, phone or online */
    method: text('method').notNull(),
    summary: text('summary').notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('family_responses_episode_idx').on(t.episodeId)],
);

/**
 * The council's consent before a child is taken off roll for home education (2026 Act s434A): a
 * child at a special school, or subject to s47 enquiries or a child protection plan. Opened by the
 * school's held deletion return; decided with written reasons.
 */
export const consentRequests = pgTable(
  'consent_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    deletionReturnId: uuid('deletion_return_id').references(() => deletionReturns.id),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    /** requested, under-consideration, granted or refused */
    status: text('status').notNull(),
    requestedOn: date('requested_on', { mode: 'string' }).notNull(),
    /** Why consent is needed: special-school, s47-enquiry, cp-plan, previous-protection */
    grounds: jsonb('grounds').notNull().default([]),
    /** The child's social care status when consideration began, pulled from the record. */
    protectionSnapshot: jsonb('protection_snapshot'),
    parentViews: text('parent_views'),
    childViews: text('child_views'),
    schoolView: text('school_view'),
    bestInterests: text('best_interests'),
    /** The council must refuse where school attendance is in the child's best interests. */
    schoolAttendanceInBestInterests: boolean('school_attendance_in_best_interests'),
    decisionReasons: text('decision_reasons'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedOn: date('decided_on', { mode: 'string' }),
    allocatedTo: uuid('allocated_to').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('consent_requests_return_idx').on(t.deletionReturnId), index('consent_requests_status_idx').on(t.status, t.requestedOn), index('consent_requests_child_idx').on(t.childId)],
);

/**
 * Correspondence the council sends: each letter as rendered (the letter model, so the PDF can be
 * produced again exactly), who it went to and how, and its delivery status.
 */
export const letters = pgTable(
  'letters',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id').references(() => children.id),
    episodeId: uuid('episode_id').references(() => episodes.id),
    consentRequestId: uuid('consent_request_id').references(() => consentRequests.id),
    socialCareEpisodeId: uuid('social_care_episode_id').references(() => socialCareEpisodes.id),
    stepId: uuid('step_id').references(() => eheSteps.id),
    templateKey: text('template_key').notNull(),
    recipientAdultId: uuid('recipient_adult_id').references(() => adults.id),
    recipientSchoolId: uuid('recipient_school_id').references(() => schools.id),
    recipientName: text('recipient_name').notNull(),
    /** post or email */
    channel: text('channel').notNull(),
    emailAddress: text('email_address'),
    reference: text('reference').notNull(),
    subject: text('subject').notNull(),
    /** The whole letter as rendered (src/letters Letter). */
    content: jsonb('content').notNull(),
    /** queued, sent, delivered or failed */
    status: text('status').notNull(),
    statusDetail: text('status_detail'),
    providerReference: text('provider_reference'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('letters_child_idx').on(t.childId, t.createdAt), index('letters_status_idx').on(t.status)],
);

/** A council's own wording for a letter; a template without a row here uses the shipped wording. */
export const letterTemplates = pgTable('letter_templates', {
  key: text('key').primaryKey(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  version: integer('version').notNull().default(1),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Bank holidays imported by an operator; they add to the list shipped with Cairn. */
export const bankHolidays = pgTable('bank_holidays', {
  date: date('date', { mode: 'string' }).primaryKey(),
  title: text('title').notNull(),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
});
