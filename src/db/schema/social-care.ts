import { pgTable, text, uuid, timestamp, date, boolean, integer, jsonb, index } from 'drizzle-orm/pg-core';
import { children } from './children.ts';
import { schools } from './schools.ts';
import { users } from './users.ts';

/**
 * A children's social care episode: a contact or referral and everything that follows it, to
 * closure (Working Together to Safeguard Children 2023). `status` moves only through the transition
 * table in src/domain/social-care/lifecycle.ts. The columns marked "census" are what the Children in
 * Need census asks for.
 */
export const socialCareEpisodes = pgTable(
  'social_care_episodes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    status: text('status').notNull(),
    /** census CINreferralDate */
    referralDate: date('referral_date', { mode: 'string' }).notNull(),
    /** school, gp, health-visitor, other-professional, police, public, deregistration-policy, other-council, family */
    referralSource: text('referral_source').notNull(),
    referrerName: text('referrer_name').notNull(),
    /** The concerns in the referrer's own words. */
    concerns: text('concerns').notNull(),
    /** Whether the referrer had documented any concern before (from their deletion return or the record). */
    priorConcernDocumented: boolean('prior_concern_documented').notNull(),
    priorConcernDetail: text('prior_concern_detail'),
    /** The referrer's only concern is that the child is home educated. */
    homeEducationOnly: boolean('home_education_only').notNull().default(false),
    /** Why a referral whose only concern is home education proceeds. */
    proceedReason: text('proceed_reason'),
    decisionDueOn: date('decision_due_on', { mode: 'string' }).notNull(),
    /** nfa, signposting, early-help, assessment or strategy-discussion */
    decision: text('decision'),
    decidedOn: date('decided_on', { mode: 'string' }),
    decidedBy: uuid('decided_by').references(() => users.id),
    /** census PrimaryNeedCode N0–N9 */
    primaryNeedCode: text('primary_need_code'),
    assessmentDueOn: date('assessment_due_on', { mode: 'string' }),
    allocatedTo: uuid('allocated_to').references(() => users.id),
    /** census CINclosureDate and ReasonForClosure RC1–RC9 */
    closedOn: date('closed_on', { mode: 'string' }),
    closureReason: text('closure_reason'),
    /** The family must be told of closure: by when, whether they have been, and how. */
    closureNoticeDueOn: date('closure_notice_due_on', { mode: 'string' }),
    familyToldOn: date('family_told_on', { mode: 'string' }),
    familyToldHow: text('family_told_how'),
    writtenClosureRequestedOn: date('written_closure_requested_on', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('social_care_episodes_child_idx').on(t.childId), index('social_care_episodes_status_idx').on(t.status, t.decisionDueOn)],
);

/**
 * Each step of a social care episode: contact with the family, a visit, an assessment, a strategy
 * discussion, a conference, a plan, a review, a closure, an escalation or a complaint. Open steps with
 * a due date are clocks. `details` holds what the step records: consent, the parent's and the child's
 * views separately, whether the child was seen alone, communication needs, a supportive person.
 */
export const socialCareSteps = pgTable(
  'social_care_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    episodeId: uuid('episode_id')
      .notNull()
      .references(() => socialCareEpisodes.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    kind: text('kind').notNull(),
    /** open, done or cancelled */
    status: text('status').notNull(),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    completedOn: date('completed_on', { mode: 'string' }),
    details: jsonb('details').notNull().default({}),
    /**
     * Marked by a social worker when the law lets the council withhold this step from the family
     * (disclosure would put a child at risk). Never shown to the family, nor hinted at.
     */
    withheldFromFamily: boolean('withheld_from_family').notNull().default(false),
    withheldReason: text('withheld_reason'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('social_care_steps_episode_idx').on(t.episodeId, t.createdAt), index('social_care_steps_open_due_idx').on(t.status, t.dueOn)],
);

/** A request from the intake team to another agency for what it knows, answered by that agency in Cairn. */
export const informationRequests = pgTable(
  'information_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    episodeId: uuid('episode_id')
      .notNull()
      .references(() => socialCareEpisodes.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** school, gp, health-visitor, police or other */
    agency: text('agency').notNull(),
    /** The agency's users who may answer: a school's users, or everyone with a role. */
    recipientSchoolId: uuid('recipient_school_id').references(() => schools.id),
    recipientRole: text('recipient_role'),
    question: text('question').notNull(),
    requestedOn: date('requested_on', { mode: 'string' }).notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    /** open or answered */
    status: text('status').notNull(),
    answer: text('answer'),
    answeredBy: uuid('answered_by').references(() => users.id),
    answeredOn: date('answered_on', { mode: 'string' }),
    requestedBy: uuid('requested_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('information_requests_episode_idx').on(t.episodeId), index('information_requests_recipient_idx').on(t.status, t.recipientRole, t.recipientSchoolId)],
);
