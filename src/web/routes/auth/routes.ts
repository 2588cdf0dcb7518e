import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SYSTEM_ACTOR } from '../../../domain/auth/actor.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { Services } from '../../../services.ts';
import type { OidcSignIn, SignInAudience } from '../../auth/oidc.ts';
import { paths } from '../../paths.ts';
import { actorFromSession, type SessionManager } from '../../setup/sessions.ts';
import { sendErrorPage } from '../../setup/errors.ts';

const AUTH_COOKIE = 'cairn_auth';

interface AuthDeps {
  services: Services;
  signIn: OidcSignIn;
  sessions: SessionManager;
  secureCookies: boolean;
  rateLimitPerMinute: number;
  now: () => Date;
  baseUrl: string;
}

/**
 * Sign-in and sign-out. The state, nonce and PKCE verifier travel in a short-lived signed cookie
 * between leaving for the identity provider and coming back, so nothing is stored for strangers.
 */
export function registerAuthRoutes(app: FastifyInstance, deps: AuthDeps) {
  const rateLimit = { rateLimit: { max: deps.rateLimitPerMinute, timeWindow: '1 minute' } };
  const authCookieOptions = { path: '/auth', httpOnly: true, secure: deps.secureCookies, sameSite: 'lax' as const, signed: true, maxAge: 600 };

  app.get(paths.start, async (request, reply) => reply.render('start/start.njk', { pageTitle: 'Children not in school', signedIn: request.session !== null }));

  app.get(paths.accessibility, async (_request, reply) => reply.render('start/accessibility.njk', { pageTitle: 'Accessibility statement' }));

  const begin = (audience: SignInAudience) => async (_request: FastifyRequest, reply: FastifyReply) => {
    const started = await deps.signIn.begin(audience);
    reply.setCookie(AUTH_COOKIE, JSON.stringify({ audience, state: started.state, nonce: started.nonce, codeVerifier: started.codeVerifier }), authCookieOptions);
    return reply.redirect(started.url);
  };
  app.get(paths.signIn, { config: rateLimit }, begin('staff'));
  app.get(paths.signInParent, { config: rateLimit }, begin('parent'));

  app.get(paths.signInCallback, { config: rateLimit }, async (request, reply) => {
    const raw = request.cookies[AUTH_COOKIE];
    const unsigned = raw ? request.unsignCookie(raw) : null;
    reply.clearCookie(AUTH_COOKIE, { path: '/auth' });
    if (!unsigned?.valid || !unsigned.value) {
      return reply.status(400).render('errors/error.njk', {
        pageTitle: 'Sign in again',
        heading: 'Sign in again',
        paragraphs: ['Your sign-in took too long or was started in another browser window.'],
        link: { href: paths.signIn, text: 'Sign in' },
      });
    }
    const expected = JSON.parse(unsigned.value) as { audience: SignInAudience; state: string; nonce: string; codeVerifier: string };
    let identity;
    try {
      identity = await deps.signIn.complete(expected.audience, new URL(request.url, deps.baseUrl), expected);
    } catch (error) {
      request.log.warn({ err: error }, 'Sign-in could not be completed');
      return reply.status(400).render('errors/error.njk', {
        pageTitle: 'Sign in again',
        heading: 'Sign in again',
        paragraphs: ['Your sign-in could not be completed.'],
        link: { href: paths.signIn, text: 'Sign in' },
      });
    }
    try {
      const user = await deps.services.signInUser({ actor: SYSTEM_ACTOR, correlationId: request.id, now: deps.now() }, identity);
      await deps.sessions.start(reply, user.id, expected.audience, identity.idToken);
      return reply.redirect(paths.home);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'forbidden') return sendErrorPage(request, reply, 403, error.message);
      throw error;
    }
  });

  app.post(paths.signOut, async (request, reply) => {
    const session = request.session;
    if (!session) return reply.redirect(paths.signedOut);
    await deps.services.signOutUser({ actor: actorFromSession(session), correlationId: request.id, now: deps.now() });
    await deps.sessions.end(request, reply);
    const endSession = await deps.signIn.endSessionUrl(session.signInProvider, session.idToken).catch(() => null);
    return reply.redirect(endSession ?? paths.signedOut);
  });

  // The timeout warning's "Stay signed in": any signed-in request resets the idle clock, so this
  // only has to answer. Script sends it with fetch; without script it is an ordinary form.
  app.post<{ Body: { returnTo?: unknown } }>('/session/keep-alive', async (request, reply) => {
    const wantsJson = (request.headers.accept ?? '').includes('application/json');
    if (!request.session) return wantsJson ? reply.status(401).send({ signedIn: false }) : reply.redirect(paths.signIn, 303);
    if (wantsJson) return reply.status(200).send({ signedIn: true });
    const returnTo = typeof request.body?.returnTo === 'string' ? request.body.returnTo : '';
    return reply.redirect(/^\/(?![\/\\])/.test(returnTo) ? returnTo : paths.home, 303);
  });

  app.get(paths.signedOut, async (request, reply) =>
    reply.render('start/signed-out.njk', { pageTitle: 'You have signed out', reason: request.sessionEnded === 'idle' ? 'idle' : null }),
  );
}
