import { sql } from 'drizzle-orm';
import { pgTable, text, uuid, timestamp, date, boolean, integer, index, jsonb, primaryKey } from 'drizzle-orm/pg-core';
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
    /** A UPN the child had before (a temporary UPN replaced, or one from another council). */
    formerUpn: text('former_upn'),
    /** none, sen-support or ehcp */
    senStatus: text('sen_status').notNull().default('none'),
    /** CIN census ethnicity code, e.g. WBRI, when known. */
    ethnicity: text('ethnicity'),
    disabilities: text('disabilities'),
    /** From children's social care. */
    lookedAfter: boolean('looked_after').notNull().default(false),
    childInNeed: boolean('child_in_need').notNull().default(false),
    /** none, s47-enquiry or cp-plan: from children's social care; decides whether withdrawal needs the council's consent. */
    protectionStatus: text('protection_status').notNull().default('none'),
    /** When the child last stopped being subject to s47 enquiries or a plan, for the consent look-back. */
    protectionEndedOn: date('protection_ended_on', { mode: 'string' }),
    dateOfDeath: date('date_of_death', { mode: 'string' }),
    /** Set when this record was merged into another as a duplicate; such a record is kept, not shown. */
    mergedInto: uuid('merged_into'),
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
  /** The address must never be shown to anyone outside the council, nor put in letters or exports. */
  doNotDiscloseAddress: boolean('do_not_disclose_address').notNull().default(false),
  /** any, or written-only: contact about home education only in writing */
  contactPreference: text('contact_preference').notNull().default('any'),
  /** e.g. large print, easy read, braille */
  contactFormat: text('contact_format'),
  contactLanguage: text('contact_language'),
  /** post or email: how formal letters reach them (email only when they have given an address) */
  preferredChannel: text('preferred_channel').notNull().default('post'),
  /** Someone the parent wants with them or copied in (a friend, an advocate): name and how to reach them. */
  supportivePersonName: text('supportive_person_name'),
  supportivePersonContact: text('supportive_person_contact'),
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
    /** This adult provides the child's education at home. */
    providesEducation: boolean('provides_education').notNull().default(false),
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

/** Names the child was known by before, with when. */
export const childPreviousNames = pgTable(
  'child_previous_names',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id').notNull().references(() => children.id),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    usedUntil: date('used_until', { mode: 'string' }),
    /** parent, school, partner or officer */
    source: text('source').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('child_previous_names_child_idx').on(t.childId)],
);

/** Where the child has lived, from and to; the current address is also on the child. */
export const childAddresses = pgTable(
  'child_addresses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id').notNull().references(() => children.id),
    addressLine1: text('address_line_1').notNull(),
    addressLine2: text('address_line_2'),
    town: text('town').notNull(),
    postcode: text('postcode').notNull(),
    livedFrom: date('lived_from', { mode: 'string' }),
    livedTo: date('lived_to', { mode: 'string' }),
    source: text('source').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('child_addresses_child_idx').on(t.childId)],
);

/**
 * The register items of the Children's Wellbeing and Schools Act 2026 about how a child is educated:
 * time educated by parents and by others. Each statement records where it came from and when; the
 * newest is current, earlier ones stay as history.
 */
export const educationArrangements = pgTable(
  'education_arrangements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id').notNull().references(() => children.id),
    parentHoursPerWeek: integer('parent_hours_per_week'),
    otherHoursPerWeek: integer('other_hours_per_week'),
    /** parent, school, partner or officer */
    source: text('source').notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('education_arrangements_child_idx').on(t.childId, t.recordedAt)],
);

/** Each other provider of a child's education, with its source. */
export const educationProviders = pgTable(
  'education_providers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id').notNull().references(() => children.id),
    name: text('name').notNull(),
    /** tutor, online school, tuition centre, alternative provision, college, other */
    type: text('type').notNull(),
    addressOrWebsite: text('address_or_website').notNull(),
    hoursPerWeek: integer('hours_per_week'),
    hoursWithoutParentPerWeek: integer('hours_without_parent_per_week'),
    endedOn: date('ended_on', { mode: 'string' }),
    source: text('source').notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('education_providers_child_idx').on(t.childId)],
);

/**
 * A merge of a duplicate child into another: both records as they were, the rows moved from one to
 * the other, and where each of the kept record's values came from, so the merge can be shown and
 * undone exactly.
 */
export const childMerges = pgTable(
  'child_merges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    survivorId: uuid('survivor_id')
      .notNull()
      .references(() => children.id),
    mergedId: uuid('merged_id')
      .notNull()
      .references(() => children.id),
    /** Both child rows before the merge. */
    before: jsonb('before').notNull(),
    /** Table name → ids of the rows moved from the merged child to the survivor. */
    moved: jsonb('moved').notNull(),
    /** Field group → 'survivor' or 'merged': where the kept value came from. */
    provenance: jsonb('provenance').notNull(),
    reason: text('reason').notNull(),
    mergedBy: uuid('merged_by').references(() => users.id),
    mergedAt: timestamp('merged_at', { withTimezone: true }).notNull().defaultNow(),
    unmergedBy: uuid('unmerged_by').references(() => users.id),
    unmergedAt: timestamp('unmerged_at', { withTimezone: true }),
  },
  (t) => [index('child_merges_survivor_idx').on(t.survivorId), index('child_merges_merged_idx').on(t.mergedId)],
);
