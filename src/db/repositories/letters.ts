import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { adults, childAdults, letters, letterTemplates, schools, users } from '../schema/index.ts';

export type LetterRow = typeof letters.$inferSelect;
export type LetterTemplateRow = typeof letterTemplates.$inferSelect;

/** An adult a letter about a child can go to, with how they want to hear from the council. */
export interface LetterRecipientAdult {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  addressLine1: string;
  town: string;
  postcode: string;
  preferredChannel: string;
  contactPreference: string;
}

/** The adults with parental responsibility for a child, in a stable order. */
export async function listParentsWithResponsibility(executor: Executor, childId: string): Promise<LetterRecipientAdult[]> {
  return executor
    .select({
      id: adults.id,
      firstName: adults.firstName,
      lastName: adults.lastName,
      email: adults.email,
      addressLine1: adults.addressLine1,
      town: adults.town,
      postcode: adults.postcode,
      preferredChannel: adults.preferredChannel,
      contactPreference: adults.contactPreference,
    })
    .from(childAdults)
    .innerJoin(adults, eq(adults.id, childAdults.adultId))
    .where(and(eq(childAdults.childId, childId), eq(childAdults.parentalResponsibility, true)))
    .orderBy(asc(adults.lastName), asc(adults.firstName), asc(adults.id));
}

/** Addresses of the child's adults that must not be disclosed, so a letter can be checked against them. */
export async function listProtectedAddresses(executor: Executor, childId: string): Promise<{ adultId: string; addressLine1: string; postcode: string }[]> {
  return executor
    .select({ adultId: adults.id, addressLine1: adults.addressLine1, postcode: adults.postcode })
    .from(childAdults)
    .innerJoin(adults, eq(adults.id, childAdults.adultId))
    .where(and(eq(childAdults.childId, childId), eq(adults.doNotDiscloseAddress, true)));
}

export async function findSchool(executor: Executor, schoolId: string) {
  const [row] = await executor.select({ id: schools.id, name: schools.name, postcode: schools.postcode }).from(schools).where(eq(schools.id, schoolId)).limit(1);
  return row;
}

/** The email addresses of the school's active users in Cairn, who receive the council's letters to the school. */
export async function listSchoolUserEmails(executor: Executor, schoolId: string): Promise<string[]> {
  const rows = await executor
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.schoolId, schoolId), eq(users.role, 'school_user'), eq(users.active, true)))
    .orderBy(asc(users.email));
  return [...new Set(rows.map((r) => r.email))];
}

export async function insertLetter(executor: Executor, values: typeof letters.$inferInsert): Promise<LetterRow> {
  const [row] = await executor.insert(letters).values(values).returning();
  if (!row) throw new Error('Insert returned no row');
  return row;
}

export async function findLetter(executor: Executor, letterId: string): Promise<LetterRow | undefined> {
  const [row] = await executor.select().from(letters).where(eq(letters.id, letterId)).limit(1);
  return row;
}

/** The letter, locked until the transaction ends, so two workers never send it at once. */
export async function lockLetter(executor: Executor, letterId: string): Promise<LetterRow | undefined> {
  const [row] = await executor.select().from(letters).where(eq(letters.id, letterId)).limit(1).for('update');
  return row;
}

export async function markLetterSent(executor: Executor, letterId: string, change: { status: 'sent' | 'delivered'; providerReference: string; sentAt: Date }): Promise<void> {
  await executor.update(letters).set({ ...change, statusDetail: null }).where(eq(letters.id, letterId));
}

export async function markLetterFailed(executor: Executor, letterId: string, detail: string): Promise<void> {
  await executor.update(letters).set({ status: 'failed', statusDetail: detail }).where(and(eq(letters.id, letterId), sql`${letters.status} not in ('sent', 'delivered')`));
}

/** What the correspondence list shows about each letter: not the content. */
export interface CorrespondenceItem {
  id: string;
  templateKey: string;
  recipientName: string;
  channel: string;
  emailAddress: string | null;
  reference: string;
  subject: string;
  status: string;
  statusDetail: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export async function listLettersForChild(executor: Executor, childId: string): Promise<CorrespondenceItem[]> {
  return executor
    .select({
      id: letters.id,
      templateKey: letters.templateKey,
      recipientName: letters.recipientName,
      channel: letters.channel,
      emailAddress: letters.emailAddress,
      reference: letters.reference,
      subject: letters.subject,
      status: letters.status,
      statusDetail: letters.statusDetail,
      createdAt: letters.createdAt,
      sentAt: letters.sentAt,
    })
    .from(letters)
    .where(eq(letters.childId, childId))
    .orderBy(desc(letters.createdAt), desc(letters.reference));
}

export async function findLetterTemplate(executor: Executor, key: string): Promise<LetterTemplateRow | undefined> {
  const [row] = await executor.select().from(letterTemplates).where(eq(letterTemplates.key, key)).limit(1);
  return row;
}

export async function listLetterTemplateRows(executor: Executor): Promise<LetterTemplateRow[]> {
  return executor.select().from(letterTemplates);
}

/**
 * Saves a council's wording only if nobody changed it since it was read: version 0 means the
 * shipped wording was in use, so the row must not exist yet. Undefined when the version moved on.
 */
export async function saveLetterTemplate(
  executor: Executor,
  key: string,
  expectedVersion: number,
  values: { subject: string; body: string; updatedBy: string | null; updatedAt: Date },
): Promise<LetterTemplateRow | undefined> {
  if (expectedVersion === 0) {
    const [row] = await executor.insert(letterTemplates).values({ key, ...values, version: 1 }).onConflictDoNothing().returning();
    return row;
  }
  const [row] = await executor
    .update(letterTemplates)
    .set({ ...values, version: sql`${letterTemplates.version} + 1` })
    .where(and(eq(letterTemplates.key, key), eq(letterTemplates.version, expectedVersion)))
    .returning();
  return row;
}

/** Removes a council's wording if it is still the version that was read; false when it had moved on. */
export async function deleteLetterTemplate(executor: Executor, key: string, expectedVersion: number): Promise<boolean> {
  const rows = await executor
    .delete(letterTemplates)
    .where(and(eq(letterTemplates.key, key), eq(letterTemplates.version, expectedVersion)))
    .returning({ key: letterTemplates.key });
  return rows.length > 0;
}
