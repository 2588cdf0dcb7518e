import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { Db } from '../db/client.ts';
import type { UseCaseContext } from '../domain/auth/actor.ts';
import type { EmbeddedIdentityProvider } from '../idp/identity-provider.ts';
import type { Services } from '../services.ts';
import { registerApi } from '../api/v1/routes.ts';
import type { OidcSignIn } from './auth/oidc.ts';
import { registerAuthRoutes } from './routes/auth/routes.ts';
import { registerChildRoutes } from './routes/children/routes.ts';
import { registerHomeRoutes } from './routes/home/routes.ts';
import { registerWorkRoutes } from './routes/work/routes.ts';
import { registerReturnRoutes } from './routes/returns/routes.ts';
import { registerRegisterRoutes } from './routes/register/routes.ts';
import { registerImportRoutes } from './routes/imports/routes.ts';
import { registerReferralRoutes } from './routes/referrals/routes.ts';
import { registerHomeEducationRoutes } from './routes/home-education/routes.ts';
import { registerSocialCareRoutes } from './routes/social-care/routes.ts';
import { registerMatchingRoutes } from './routes/matching/routes.ts';
import { registerAdminRoutes } from './routes/admin/routes.ts';
import { registerLetterRoutes } from './routes/letters/routes.ts';
import { registerFamilyRoutes } from './routes/family/routes.ts';
import { setUpCsrf } from './setup/csrf.ts';
import { setUpErrorHandling } from './setup/errors.ts';
import { createTemplateEnvironment } from './setup/nunjucks.ts';
import { setUpObservability, type HealthChecks } from './setup/observability.ts';
import { renderPage } from './setup/render.ts';
import { actorFromSession, setUpSessions } from './setup/sessions.ts';
import { DomainError } from '../domain/errors.ts';
import type { FastifyRequest } from 'fastify';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export interface AppOptions {
  db: Db;
  services: Services;
  health: HealthChecks;
  signIn: OidcSignIn;
  identityProvider: EmbeddedIdentityProvider | null;
  settings: {
    baseUrl: string;
    sessionSecret: string;
    idleMinutes: number;
    maxHours: number;
    signInRateLimitPerMinute: number;
    trustProxy: boolean;
    /** Extra origins forms may post or redirect to (the identity providers' sign-out pages). */
    formActionOrigins: string[];
  };
  /** A pino logger for request logs; none in tests. */
  logger?: FastifyBaseLogger;
  now?: () => Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The use-case context for a signed-in person; throws not-signed-in without a session. */
    context(): UseCaseContext;
  }
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Builds the web application from ready-made services. Nothing here opens connections or reads the
 * environment, so tests build the same app around a throw-away database.
 */
export async function createApp(options: AppOptions): Promise<FastifyInstance> {
  const now = options.now ?? (() => new Date());
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    trustProxy: options.settings.trustProxy,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-correlation-id'];
      return typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: 1_048_576,
    return503OnClosing: true,
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-correlation-id', request.id);
  });

  const env = createTemplateEnvironment();
  app.decorateReply('render', function render(this: import('fastify').FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const idleSeconds = options.settings.idleMinutes * 60;
    const sessionTimeout = this.request.session ? { idleSeconds, warnSeconds: Math.min(120, Math.floor(idleSeconds / 2)), idleMinutes: options.settings.idleMinutes } : null;
    return this.type('text/html; charset=utf-8').send(renderPage(env, this.request, this, template, { sessionTimeout, ...context }));
  });

  const secure = options.settings.baseUrl.startsWith('https://') || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(options.settings.baseUrl);
  const https = options.settings.baseUrl.startsWith('https://');

  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'", ...options.settings.formActionOrigins],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  await app.register(cookie, { secret: options.settings.sessionSecret });
  await app.register(rateLimit, { global: false });

  const staticRoot = here('../../node_modules/');
  await app.register(fastifyStatic, { root: `${staticRoot}govuk-frontend/dist/govuk/assets`, prefix: '/assets/', decorateReply: false, maxAge: '1d' });
  await app.register(fastifyStatic, { root: `${staticRoot}govuk-frontend/dist/govuk`, prefix: '/assets/govuk/', decorateReply: false, maxAge: '1d', allowedPath: (path) => /\.(css|js|mjs|map)$/.test(path) || path.startsWith('/assets/') });
  await app.register(fastifyStatic, { root: `${staticRoot}@ministryofjustice/frontend/moj`, prefix: '/assets/moj/', decorateReply: false, maxAge: '1d', allowedPath: (path) => /\.(css|js|map)$/.test(path) || path.startsWith('/assets/') });
  await app.register(fastifyStatic, { root: here('./public'), prefix: '/assets/cairn/', decorateReply: false, maxAge: '1h' });

  if (options.identityProvider) {
    const idp = options.identityProvider;
    // The identity provider reads its own request bodies, so this context parses none.
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
      const handler = async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
        reply.hijack();
        await idp.handle(request.raw, reply.raw);
      };
      scope.all('/idp', handler);
      scope.all('/idp/*', handler);
    });
  }

  await app.register(formbody);
  const sessions = setUpSessions(app, options.db, { idleMinutes: options.settings.idleMinutes, maxHours: options.settings.maxHours, secureCookies: secure }, now);
  app.decorateRequest('context', function context(this: FastifyRequest): UseCaseContext {
    if (!this.session) throw new DomainError('not-signed-in', 'Sign in to continue');
    return { actor: actorFromSession(this.session), correlationId: this.id, now: now() };
  });
  setUpCsrf(app);
  setUpErrorHandling(app);
  registerAuthRoutes(app, { services: options.services, signIn: options.signIn, sessions, secureCookies: secure, rateLimitPerMinute: options.settings.signInRateLimitPerMinute, now, baseUrl: options.settings.baseUrl });
  registerHomeRoutes(app, options.services);
  registerChildRoutes(app, options.services);
  registerWorkRoutes(app, options.services);
  registerReturnRoutes(app, options.services);
  registerRegisterRoutes(app, options.services);
  registerImportRoutes(app, options.services);
  registerReferralRoutes(app, options.services);
  registerHomeEducationRoutes(app, options.services);
  registerSocialCareRoutes(app, options.services);
  registerMatchingRoutes(app, options.services);
  registerAdminRoutes(app, options.services);
  registerLetterRoutes(app, options.services);
  registerFamilyRoutes(app, options.services);

  await app.register(async (api) => registerApi(api, { db: options.db, services: options.services, now }), { prefix: '/api/v1' });

  setUpObservability(app, options.health);
  return app;
}
