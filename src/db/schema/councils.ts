import { pgTable, text, uuid, timestamp, integer, jsonb } from 'drizzle-orm/pg-core';

/** The local authority this installation serves. One row in a normal installation. */
export const councils = pgTable('councils', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  laNumber: text('la_number').notNull().unique(),
  gssCode: text('gss_code').notNull(),
  /** The council's own settings (register regime, periods); see domain/council/settings.ts. */
  settings: jsonb('settings').notNull().default({}),
  /** The council's published home education policy, shown to families and referred to in letters. */
  homeEducationPolicy: text('home_education_policy').notNull().default(''),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
