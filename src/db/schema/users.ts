import { pgTable, text, uuid, timestamp, boolean, integer, uniqueIndex } from 'drizzle-orm/pg-core';
import { schools } from './schools.ts';

/**
 * Everyone who signs in: council staff, school and partner-agency users, and parents. The role
 * decides what they may do; relationships (school, parent of, allocated to) decide to which records.
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** OpenID Connect issuer and subject identify the person across sign-ins. */
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role').notNull(),
    schoolId: uuid('school_id').references(() => schools.id),
    organisation: text('organisation'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSignedInAt: timestamp('last_signed_in_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('users_identity_idx').on(t.issuer, t.subject)],
);

/** Server-side sessions: the cookie holds only a random token; the row holds its hash. */
export const sessions = pgTable('sessions', {
  idHash: text('id_hash').primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  csrfToken: text('csrf_token').notNull(),
  idToken: text('id_token'),
  signInProvider: text('sign_in_provider').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/**
 * Systems that call the JSON API with a bearer token. Only a hash of the token is kept. Each client
 * acts as its own service user, so the same roles, policies and audit apply as to a person.
 */
export const apiClients = pgTable('api_clients', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  tokenHash: text('token_hash').notNull().unique(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});
