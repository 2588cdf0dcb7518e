import { hkdfSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import Provider, { errors, interactionPolicy } from 'oidc-provider';
import type { Account, ClientMetadata, Configuration, KoaContextWithOIDC } from 'oidc-provider';

import type { DemoAccount } from '../seed/demo-accounts.ts';
import { createMemoryAdapterFactory } from './memory-adapter.ts';
import {
  NO_ACCOUNT_CHOSEN,
  renderMessagePage,
  renderSignInPage,
  renderSignOutPage,
} from './pages.ts';
import { loadOrCreateSigningKeys } from './signing-keys.ts';

export type ClientAudience = 'staff' | 'parent';

export interface EmbeddedClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  audience: ClientAudience;
}

export interface EmbeddedIdentityProviderOptions {
  /** The issuer identifier, e.g. `http://localhost:3000/idp`; its path is the mount prefix. */
  issuer: string;
  clients: EmbeddedClient[];
  accounts: readonly DemoAccount[];
  /** Secret the provider's cookie-signing key is derived from. */
  cookieSecret: string;
  /** Directory for `idp-jwks.json`, so signing keys survive restarts; null keeps them in memory. */
  dataDir: string | null;
  /** Receives unexpected provider failures; nothing is written to the console. */
  onError?: (error: Error) => void;
}

export interface EmbeddedIdentityProvider {
  /** Handles any request whose URL path starts with the issuer's path prefix (e.g. /idp/...). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** The custom claim that carries the Cairn role of the person signing in. */
export const ROLE_CLAIM = 'cairn_role';

const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]{1,64})\/?$/;
const LOGOUT_FORM_ID = 'op.logoutForm';
const MAX_FORM_BYTES = 16 * 1024;

const HOUR = 60 * 60;

/** The Express-style fields oidc-provider reads to learn where it is mounted. */
type MountableRequest = IncomingMessage & { originalUrl?: string | undefined; baseUrl?: string | undefined };

class RequestBodyError extends Error {
  readonly statusCode: number;

  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** Returns the request URL relative to the mount prefix, or null when it is outside the prefix. */
function stripPrefix(url: string, prefix: string): string | null {
  if (prefix === '') return url;
  if (url === prefix) return '/';
  if (url.startsWith(`${prefix}/`)) return url.slice(prefix.length);
  if (url.startsWith(`${prefix}?`)) return `/${url.slice(prefix.length)}`;
  return null;
}

function sendHtml(res: ServerResponse, statusCode: number, html: string): void {
  const body = Buffer.from(html, 'utf8');
  res.statusCode = statusCode;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', body.byteLength);
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/x-www-form-urlencoded') {
    throw new RequestBodyError(415, 'Expected a form submission');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.byteLength;
    if (size > MAX_FORM_BYTES) throw new RequestBodyError(413, 'Form submission too large');
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The policy the pages run under. Scripts are limited to this origin (oidc-provider adds the hash of
 * its own auto-submit script when it needs one), and forms may post only to the provider and the
 * registered relying parties, because browsers also apply form-action to the redirects that follow.
 */
function contentSecurityPolicy(issuer: URL, clients: readonly EmbeddedClient[]): string {
  const origins = new Set<string>();
  for (const client of clients) {
    for (const uri of [...client.redirectUris, ...client.postLogoutRedirectUris]) {
      const { origin } = new URL(uri);
      if (origin !== issuer.origin) origins.add(origin);
    }
  }
  return [
    "default-src 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "img-src 'self' data:",
    "script-src 'self'",
    "style-src 'self'",
    ['form-action', "'self'", ...origins].join(' '),
  ].join('; ');
}

function validateOptions(options: EmbeddedIdentityProviderOptions): URL {
  const issuer = new URL(options.issuer);
  if (issuer.search !== '' || issuer.hash !== '') {
    throw new Error('The embedded issuer must not have a query or fragment');
  }
  if (options.cookieSecret.length < 16) {
    throw new Error('The embedded identity provider needs a cookie secret of at least 16 characters');
  }
  const seen = new Set<string>();
  for (const client of options.clients) {
    if (seen.has(client.clientId)) throw new Error(`Client ${client.clientId} is configured twice`);
    seen.add(client.clientId);
    if (client.redirectUris.length === 0) throw new Error(`Client ${client.clientId} has no redirect URI`);
  }
  return issuer;
}

/**
 * Starts Cairn's own OpenID Connect provider for embedded mode, so that signing in to the demo is
 * a genuine authorisation-code flow with PKCE rather than a shortcut the real deployment would
 * never take. The result is mounted under the issuer's path on the app's own HTTP server.
 */
export async function createEmbeddedIdentityProvider(
  options: EmbeddedIdentityProviderOptions,
): Promise<EmbeddedIdentityProvider> {
  const issuerUrl = validateOptions(options);
  const prefix = issuerUrl.pathname.replace(/\/+$/, '');
  const onError = options.onError ?? (() => {});

  const accountsBySubject = new Map(options.accounts.map((account) => [account.subject, account]));
  const audienceByClient = new Map(options.clients.map((client) => [client.clientId, client.audience]));

  const accountsFor = (audience: ClientAudience): DemoAccount[] =>
    options.accounts.filter((account) => account.audience === audience);

  const isOffered = (accountId: string, clientId: string): boolean => {
    const account = accountsBySubject.get(accountId);
    return account !== undefined && account.audience === audienceByClient.get(clientId);
  };

  const findAccount = (_ctx: KoaContextWithOIDC, sub: string): Account | undefined => {
    const account = accountsBySubject.get(sub);
    if (account === undefined) return undefined;
    return {
      accountId: account.subject,
      claims: () => ({
        sub: account.subject,
        name: account.displayName,
        email: account.email,
        [ROLE_CLAIM]: account.role,
      }),
    };
  };

  // Consent is implied: both clients are Cairn itself, so the grant covers whatever the request asks for.
  const loadExistingGrant: NonNullable<Configuration['loadExistingGrant']> = async (ctx) => {
    const { client, session } = ctx.oidc;
    const accountId = session?.accountId;
    if (client === undefined || session === undefined || accountId === undefined) return undefined;
    if (!isOffered(accountId, client.clientId)) return undefined;

    const { Grant } = ctx.oidc.provider;
    const existingId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
    let grant = existingId === undefined ? undefined : await Grant.find(existingId);
    if (grant !== undefined && (grant.accountId !== accountId || grant.clientId !== client.clientId)) {
      grant = undefined;
    }
    grant ??= new Grant({ accountId, clientId: client.clientId });
    grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes]);
    if (ctx.oidc.requestParamClaims.size > 0) grant.addOIDCClaims([...ctx.oidc.requestParamClaims]);
    await grant.save();
    return grant;
  };

  // A session for a parent must not carry over into the staff client, or the other way round.
  const policy = interactionPolicy.base();
  policy.get('login')?.checks.add(
    new interactionPolicy.Check(
      'account_not_offered',
      'the signed-in account is not offered to this client',
      (ctx) => {
        const accountId = ctx.oidc.session?.accountId;
        const clientId = ctx.oidc.client?.clientId;
        if (accountId === undefined || clientId === undefined) {
          return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        }
        return isOffered(accountId, clientId)
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT;
      },
    ),
  );

  const clients: ClientMetadata[] = options.clients.map((client) => ({
    client_id: client.clientId,
    client_secret: client.clientSecret,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    response_types: ['code'],
    grant_types: ['authorization_code'],
    // oidc-provider also accepts client_secret_post from a client registered for basic.
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
  }));

  const cookieKey = Buffer.from(
    hkdfSync('sha256', options.cookieSecret, 'cairn-embedded-idp', 'cookie-signing', 32),
  ).toString('base64url');

  const jwks = await loadOrCreateSigningKeys(options.dataDir);

  const configuration: Configuration = {
    adapter: createMemoryAdapterFactory(),
    jwks,
    clients,
    findAccount,
    loadExistingGrant,
    claims: {
      openid: ['sub', ROLE_CLAIM],
      profile: ['name'],
      email: ['email'],
    },
    scopes: ['openid'],
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    pkce: { required: () => true },
    conformIdTokenClaims: false,
    clientBasedCORS: () => false,
    cookies: {
      names: {
        session: 'cairn_idp_session',
        interaction: 'cairn_idp_interaction',
        resume: 'cairn_idp_resume',
      },
      keys: [cookieKey],
      long: { httpOnly: true, sameSite: 'lax', path: prefix === '' ? '/' : prefix },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    ttl: {
      AccessToken: HOUR,
      AuthorizationCode: 60,
      IdToken: HOUR,
      Interaction: HOUR,
      Session: 8 * HOUR,
      Grant: 8 * HOUR,
    },
    interactions: {
      policy,
      url: (_ctx, interaction) => `${prefix}/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          const accountId = ctx.oidc.session?.accountId;
          const account = accountId === undefined ? undefined : accountsBySubject.get(accountId);
          ctx.type = 'html';
          ctx.body = renderSignOutPage({
            logoutFormHtml: form,
            logoutFormId: LOGOUT_FORM_ID,
            accountName: account?.displayName ?? null,
          });
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = renderMessagePage('You have signed out', [
            'You have signed out of the Northshire demo.',
            'Go back to the service if you want to sign in again.',
          ]);
        },
      },
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = renderMessagePage('Sorry, there is a problem signing in', [
        out.error_description ?? out.error,
        'Go back to the service and try signing in again.',
      ]);
    },
  };

  const provider = new Provider(options.issuer, configuration);
  provider.on('server_error', (_ctx: KoaContextWithOIDC, error: Error) => onError(error));
  // Koa's default handler prints to the console; it is bound when callback() is first called.
  provider.onerror = (error: unknown) => onError(toError(error));

  const callback = provider.callback();
  const csp = contentSecurityPolicy(issuerUrl, options.clients);

  const sendExpired = (res: ServerResponse): void => {
    sendHtml(
      res,
      400,
      renderMessagePage('Your sign-in has timed out', [
        'We could not find the sign-in you started, or it took too long.',
        'Go back to the service and try signing in again.',
      ]),
    );
  };

  async function handleInteraction(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      res.setHeader('Allow', 'GET, HEAD, POST');
      sendHtml(res, 405, renderMessagePage('Method not allowed', []));
      return;
    }

    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (error: unknown) {
      if (error instanceof errors.SessionNotFound) {
        sendExpired(res);
        return;
      }
      throw error;
    }
    if (details.uid !== uid) {
      sendExpired(res);
      return;
    }

    const clientId = details.params['client_id'];
    const audience = typeof clientId === 'string' ? audienceByClient.get(clientId) : undefined;
    if (audience === undefined || details.prompt.name !== 'login') {
      // Consent is granted when the grant loads, so only the login prompt should ever reach here.
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The demo identity provider cannot complete this request' },
        { mergeWithLastSubmission: false },
      );
      return;
    }

    const offered = accountsFor(audience);
    const formAction = `${prefix}/interaction/${uid}`;

    if (method !== 'POST') {
      sendHtml(
        res,
        200,
        renderSignInPage({ formAction, accounts: offered, selectedAccount: null, errorMessage: null }),
      );
      return;
    }

    let form: URLSearchParams;
    try {
      form = await readForm(req);
    } catch (error: unknown) {
      if (error instanceof RequestBodyError) {
        sendHtml(res, error.statusCode, renderMessagePage('Sorry, there is a problem signing in', [error.message]));
        return;
      }
      throw error;
    }

    const chosen = form.get('account');
    const account = offered.find((candidate) => candidate.subject === chosen);
    if (account === undefined) {
      sendHtml(
        res,
        400,
        renderSignInPage({
          formAction,
          accounts: offered,
          selectedAccount: null,
          errorMessage: NO_ACCOUNT_CHOSEN,
        }),
      );
      return;
    }

    // A transient session: closing the browser signs the demo user out of the provider.
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.subject, remember: false } },
      { mergeWithLastSubmission: false },
    );
  }

  return {
    async handle(req, res) {
      const originalUrl = req.url ?? '/';
      const relative = stripPrefix(originalUrl, prefix);
      res.setHeader('Content-Security-Policy', csp);
      if (relative === null) {
        sendHtml(res, 404, renderMessagePage('Page not found', []));
        return;
      }

      try {
        const pathname = relative.split('?', 1)[0] ?? '/';
        const interaction = INTERACTION_PATH.exec(pathname);
        if (interaction?.[1] !== undefined) {
          await handleInteraction(req, res, interaction[1]);
          return;
        }

        // oidc-provider routes on the prefix-free url and builds its public URLs from baseUrl,
        // as it would under Express; originalUrl would take precedence, so it is hidden meanwhile.
        const mounted: MountableRequest = req;
        const { originalUrl: previousOriginalUrl, baseUrl: previousBaseUrl } = mounted;
        mounted.originalUrl = undefined;
        mounted.baseUrl = prefix;
        mounted.url = relative;
        try {
          await callback(req, res);
        } finally {
          mounted.url = originalUrl;
          mounted.originalUrl = previousOriginalUrl;
          mounted.baseUrl = previousBaseUrl;
        }
      } catch (error: unknown) {
        onError(toError(error));
        if (!res.headersSent) {
          sendHtml(res, 500, renderMessagePage('Sorry, there is a problem signing in', ['Try again later.']));
        } else {
          res.destroy();
        }
      }
    },
  };
}
