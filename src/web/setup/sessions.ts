import type {} from '@fastify/cookie';
import { createHash, randomBytes } from 'node:crypto';
import { eq, lt, or } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.ts';
import { sessions, users } from '../../db/schema/index.ts';
import type { Actor } from '../../domain/auth/actor.ts';
import { isRole, type Role } from '../../domain/auth/roles.ts';

export const SESSION_COOKIE = 'cairn_session';

export interface SessionUser {
  id: string;
  displayName: string;
  email: string;
  role: Role;
  schoolId: string | null;
}

export interface ActiveSession {
  idHash: string;
  user: SessionUser;
  csrfToken: string;
  idToken: string | null;
  signInProvider: 'staff' | 'parent';
}

declare module 'fastify' {
  interface FastifyRequest {
    session: ActiveSession | null;
    /** Set when a session cookie arrived but the session had timed out or been ended. */
    sessionEnded: 'idle' | 'expired' | null;
  }
}

export interface SessionSettings {
  idleMinutes: number;
  maxHours: number;
  secureCookies: boolean;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function actorFromSession(session: ActiveSession): Actor {
  return { kind: 'user', id: session.user.id, label: session.user.displayName, role: session.user.role, schoolId: session.user.schoolId };
}

/**
 * Server-side sessions. The cookie carries a random token; the database keeps its hash, the user
 * and the CSRF token. Sessions end after a period of inactivity, after a maximum age, and at once
 * on sign-out (the row is deleted, so a copied cookie is useless).
 */
export function setUpSessions(app: FastifyInstance, db: Db, settings: SessionSettings, now: () => Date = () => new Date()) {
  app.decorateRequest('session', null);
  app.decorateRequest('sessionEnded', null);

  const cookieOptions = {
    path: '/',
    httpOnly: true,
    secure: settings.secureCookies,
    sameSite: 'lax' as const,
  };

  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token || /^\/(assets|api|idp|health|ping|metrics)(\/|$)/.test(request.url)) return;
    const idHash = hashToken(token);
    const [row] = await db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.idHash, idHash))
      .limit(1);
    if (!row) {
      request.sessionEnded = 'expired';
      return;
    }
    const at = now();
    const idleLimit = row.session.lastSeenAt.getTime() + settings.idleMinutes * 60_000;
    if (at.getTime() > idleLimit || at >= row.session.expiresAt || !row.user.active || !isRole(row.user.role)) {
      await db.delete(sessions).where(eq(sessions.idHash, idHash));
      request.sessionEnded = at.getTime() > idleLimit ? 'idle' : 'expired';
      return;
    }
    if (at.getTime() - row.session.lastSeenAt.getTime() > 60_000) {
      await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.idHash, idHash));
    }
    request.session = {
      idHash,
      csrfToken: row.session.csrfToken,
      idToken: row.session.idToken,
      signInProvider: row.session.signInProvider === 'parent' ? 'parent' : 'staff',
      user: {
        id: row.user.id,
        displayName: row.user.displayName,
        email: row.user.email,
        role: row.user.role,
        schoolId: row.user.schoolId,
      },
    };
  });

  app.addHook('onSend', async (request, reply) => {
    if (request.sessionEnded && !request.session) reply.clearCookie(SESSION_COOKIE, cookieOptions);
  });

  return {
    /** Starts a session for a user who has just signed in; any earlier session cookie is replaced. */
    async start(reply: FastifyReply, userId: string, signInProvider: 'staff' | 'parent', idToken: string | null): Promise<void> {
      const token = randomBytes(32).toString('base64url');
      const at = now();
      await db.delete(sessions).where(or(lt(sessions.expiresAt, at)));
      await db.insert(sessions).values({
        idHash: hashToken(token),
        userId,
        csrfToken: randomBytes(32).toString('base64url'),
        idToken,
        signInProvider,
        createdAt: at,
        lastSeenAt: at,
        expiresAt: new Date(at.getTime() + settings.maxHours * 3_600_000),
      });
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: settings.maxHours * 3600 });
    },
    /** Ends the session on the server and in the browser. */
    async end(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      if (request.session) await db.delete(sessions).where(eq(sessions.idHash, request.session.idHash));
      request.session = null;
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
    },
  };
}

export type SessionManager = ReturnType<typeof setUpSessions>;
