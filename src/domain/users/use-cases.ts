import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { schools } from '../../db/schema/index.ts';
import { findUserByIdentity, insertApiClient, listNotifications, recordSignIn, type UserRow } from '../../db/repositories/users.ts';
import type { RunInTransaction } from '../../db/unit-of-work.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { canGlobally } from '../auth/policies.ts';
import { isRole, ROLES } from '../auth/roles.ts';
import { DomainError, forbidden } from '../errors.ts';

export interface UserDeps {
  runInTransaction: RunInTransaction;
}

export const API_CLIENT_ISSUER = 'urn:cairn:api-client';

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Completes sign-in for a person the identity provider vouched for. Only people already set up in
 * Cairn get in; each attempt, admitted or not, is audited.
 */
export async function signInUser(deps: UserDeps, ctx: UseCaseContext, identity: { issuer: string; subject: string }): Promise<UserRow> {
  const user = await deps.runInTransaction(ctx, async (uow) => {
    const found = await findUserByIdentity(uow.tx, identity.issuer, identity.subject);
    const admitted = found !== undefined && found.active && isRole(found.role);
    if (admitted) await recordSignIn(uow.tx, found.id, ctx.now);
    uow.audit({
      action: admitted ? 'user.sign-in' : 'user.sign-in.refused',
      recordType: 'user',
      recordId: found?.id ?? null,
      childId: null,
      details: { issuer: identity.issuer, subject: identity.subject },
    });
    return admitted ? found : null;
  });
  if (!user) throw forbidden('Your account is not set up in Cairn. Ask your manager or the Cairn administrator to add you.');
  return user;
}

/** Records a sign-out in the audit log. */
export async function signOutUser(deps: UserDeps, ctx: UseCaseContext): Promise<void> {
  await deps.runInTransaction(ctx, async (uow) => {
    uow.audit({ action: 'user.sign-out', recordType: 'user', recordId: ctx.actor.id, childId: null });
  });
}

/**
 * Creates an API client and returns its token. The token is shown once and only its hash is kept.
 */
export async function createApiClient(deps: UserDeps, ctx: UseCaseContext, input: { name: string; role: string; schoolUrn?: string | undefined }) {
  if (ctx.actor.role !== 'system' && ctx.actor.role !== 'administrator') throw forbidden();
  if (!/^[a-z0-9][a-z0-9-]{2,62}$/.test(input.name)) {
    throw new DomainError('validation', 'There is a problem', { name: 'Name must be 3 to 63 lower-case letters, digits or hyphens' });
  }
  if (!isRole(input.role) || input.role === 'parent') {
    throw new DomainError('validation', 'There is a problem', { role: `Role must be one of ${ROLES.filter((r) => r !== 'parent').join(', ')}` });
  }
  const role = input.role;
  const token = `cairn_${randomBytes(32).toString('base64url')}`;
  return deps.runInTransaction(ctx, async (uow) => {
    let schoolId: string | null = null;
    if (role === 'school_user') {
      const [school] = input.schoolUrn ? await uow.tx.select({ id: schools.id }).from(schools).where(eq(schools.urn, input.schoolUrn)).limit(1) : [];
      if (!school) throw new DomainError('validation', 'There is a problem', { schoolUrn: 'A school API client needs the URN of a school in Cairn' });
      schoolId = school.id;
    }
    const { client } = await insertApiClient(uow.tx, { name: input.name, tokenHash: hashApiToken(token), role, schoolId, issuer: API_CLIENT_ISSUER });
    uow.audit({ action: 'api-client.create', recordType: 'api_client', recordId: client.id, childId: null, details: { name: input.name, role } });
    return { id: client.id, name: client.name, token };
  });
}

/** Messages sent to the signed-in person; administrators see every message. */
export async function listMessages(deps: UserDeps, ctx: UseCaseContext, recipientEmail: string) {
  if (ctx.actor.kind !== 'user') throw forbidden();
  const all = canGlobally(ctx.actor, 'outbox.view-all');
  return deps.runInTransaction(ctx, async (uow) => {
    const rows = await listNotifications(uow.tx, all ? null : recipientEmail);
    uow.audit({ action: 'messages.list', recordType: 'notification', recordId: null, childId: null, details: { all, count: rows.length } });
    return { messages: rows, all };
  });
}
