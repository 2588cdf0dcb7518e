import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import { users } from '../../src/db/schema/index.ts';
import type { UseCaseContext } from '../../src/domain/auth/actor.ts';
import { isRole } from '../../src/domain/auth/roles.ts';

/** A use-case context acting as a seeded user, as a signed-in request would build it. */
export async function contextFor(db: Db, subject: string, now = new Date()): Promise<UseCaseContext> {
  const [user] = await db.select().from(users).where(eq(users.subject, subject)).limit(1);
  if (!user || !isRole(user.role)) throw new Error(`No user with subject ${subject}`);
  return { actor: { kind: 'user', id: user.id, label: user.displayName, role: user.role, schoolId: user.schoolId }, correlationId: randomUUID(), now };
}
