import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import { sessions, users } from '../../src/db/schema/index.ts';

export interface TestSession {
  cookie: string;
  csrfToken: string;
  userId: string;
}

/**
 * Starts a session for a seeded user straight in the database, as the sign-in callback would, so
 * route tests and benchmarks can act as any role without driving the identity provider.
 */
export async function sessionFor(db: Db, subject: string): Promise<TestSession> {
  const [user] = await db.select().from(users).where(eq(users.subject, subject)).limit(1);
  if (!user) throw new Error(`No user with subject ${subject}`);
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const now = new Date();
  await db.insert(sessions).values({
    idHash: createHash('sha256').update(token).digest('hex'),
    userId: user.id,
    csrfToken,
    idToken: null,
    signInProvider: user.role === 'parent' ? 'parent' : 'staff',
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + 3_600_000),
  });
  return { cookie: `cairn_session=${token}`, csrfToken, userId: user.id };
}
