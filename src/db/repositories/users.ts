import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { apiClients, notifications, users } from '../schema/index.ts';

export type UserRow = typeof users.$inferSelect;

export async function findUserByIdentity(executor: Executor, issuer: string, subject: string): Promise<UserRow | undefined> {
  const [row] = await executor.select().from(users).where(and(eq(users.issuer, issuer), eq(users.subject, subject))).limit(1);
  return row;
}

export async function recordSignIn(executor: Executor, userId: string, at: Date): Promise<void> {
  await executor.update(users).set({ lastSignedInAt: at }).where(eq(users.id, userId));
}

/** The active API client holding a token (by hash), with the service user it acts as. */
export async function findApiClientByTokenHash(executor: Executor, tokenHash: string) {
  const [row] = await executor
    .select({ client: apiClients, user: users })
    .from(apiClients)
    .innerJoin(users, eq(users.id, apiClients.userId))
    .where(and(eq(apiClients.tokenHash, tokenHash), isNull(apiClients.revokedAt), eq(users.active, true)))
    .limit(1);
  return row;
}

export async function insertApiClient(executor: Executor, values: { name: string; tokenHash: string; role: string; schoolId: string | null; issuer: string }) {
  const [user] = await executor
    .insert(users)
    .values({ issuer: values.issuer, subject: values.name, email: `${values.name}@api-clients.invalid`, displayName: `API client: ${values.name}`, role: values.role, schoolId: values.schoolId, organisation: 'API client' })
    .returning();
  if (!user) throw new Error('Insert returned no row');
  const [client] = await executor.insert(apiClients).values({ name: values.name, tokenHash: values.tokenHash, userId: user.id }).returning();
  if (!client) throw new Error('Insert returned no row');
  return { client, user };
}

export async function listNotifications(executor: Executor, recipientEmail: string | null, limit = 100) {
  const query = executor.select().from(notifications);
  return (recipientEmail ? query.where(eq(notifications.recipientEmail, recipientEmail)) : query).orderBy(desc(notifications.createdAt)).limit(limit);
}
