import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import { adults, childAdults, users } from '../../src/db/schema/index.ts';

/**
 * Gives a parent in another family (not the demo parent's) an account, so tests can prove one
 * family never reaches another's records. Returns the subject to sign in with and their ids.
 */
export async function parentInAnotherFamily(db: Db, subject = 'test-parent-other'): Promise<{ subject: string; userId: string; adultId: string; childIds: string[] }> {
  const [existing] = await db.select().from(users).where(eq(users.subject, subject)).limit(1);
  const [demo] = await db.select({ id: users.id }).from(users).where(eq(users.subject, 'demo-parent')).limit(1);
  const [demoAdult] = await db.select({ id: adults.id }).from(adults).where(eq(adults.userId, demo!.id)).limit(1);
  const demoChildren = (await db.select({ childId: childAdults.childId }).from(childAdults).where(eq(childAdults.adultId, demoAdult!.id))).map((r) => r.childId);
  let adultId: string;
  let userId: string;
  if (existing) {
    userId = existing.id;
    adultId = (await db.select({ id: adults.id }).from(adults).where(eq(adults.userId, existing.id)).limit(1))[0]!.id;
  } else {
    const [candidate] = await db
      .select({ id: adults.id, firstName: adults.firstName, lastName: adults.lastName })
      .from(adults)
      .innerJoin(childAdults, eq(childAdults.adultId, adults.id))
      .where(and(isNull(adults.userId), ne(adults.id, demoAdult!.id), eq(childAdults.parentalResponsibility, true), sql`${childAdults.childId} not in (${sql.join(demoChildren.map((c) => sql`${c}`), sql`, `)})`))
      .limit(1);
    const [user] = await db
      .insert(users)
      .values({ issuer: 'test', subject, email: `${subject}@family.example`, displayName: `${candidate!.firstName} ${candidate!.lastName}`, role: 'parent' })
      .returning();
    await db.update(adults).set({ userId: user!.id }).where(eq(adults.id, candidate!.id));
    userId = user!.id;
    adultId = candidate!.id;
  }
  const childIds = (await db.select({ childId: childAdults.childId }).from(childAdults).where(eq(childAdults.adultId, adultId))).map((r) => r.childId);
  return { subject, userId, adultId, childIds };
}
