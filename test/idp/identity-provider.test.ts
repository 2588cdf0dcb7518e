import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as oidc from 'openid-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  createEmbeddedIdentityProvider,
  type EmbeddedClient,
  type EmbeddedIdentityProvider,
} from '../../src/idp/identity-provider.ts';
import { JWKS_FILE_NAME, loadOrCreateSigningKeys } from '../../src/idp/signing-keys.ts';
import { DEMO_ACCOUNTS } from '../../src/seed/demo-accounts.ts';

const STAFF_SECRET = 'staff-client-secret-for-tests';
const PARENT_SECRET = 'parent-client-secret-for-tests';
const STAFF_SUBJECTS = DEMO_ACCOUNTS.filter((a) => a.audience === 'staff').map((a) => a.subject);

let server: Server;
let baseUrl: string;
let issuer: string;
let idp: EmbeddedIdentityProvider;
let dataDir: string;
const reportedErrors: Error[] = [];

function staffClient(): EmbeddedClient {
  return {
    clientId: 'cairn-staff',
    clientSecret: STAFF_SECRET,
    redirectUris: [`${baseUrl}/callback`],
    postLogoutRedirectUris: [`${baseUrl}/signed-out`],
    audience: 'staff',
  };
}

function parentClient(): EmbeddedClient {
  return {
    clientId: 'cairn-parent',
    clientSecret: PARENT_SECRET,
    redirectUris: [`${baseUrl}/callback/parent`],
    postLogoutRedirectUris: [`${baseUrl}/signed-out`],
    audience: 'parent',
  };
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'cairn-idp-test-'));
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/idp' || url.startsWith('/idp/') || url.startsWith('/idp?')) {
      idp.handle(req, res).catch((error: unknown) => {
        reportedErrors.push(error instanceof Error ? error : new Error(String(error)));
        res.destroy();
      });
      return;
    }
    // The relying party's side is played by the test itself; these routes only need to exist.
    res.statusCode = url.startsWith('/callback') || url.startsWith('/signed-out') ? 200 : 404;
    res.end('relying party');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  issuer = `${baseUrl}/idp`;
  idp = await createEmbeddedIdentityProvider({
    issuer,
    clients: [staffClient(), parentClient()],
    accounts: DEMO_ACCOUNTS,
    cookieSecret: 'a-cookie-secret-used-only-in-tests',
    dataDir,
    onError: (error) => reportedErrors.push(error),
  });
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  await rm(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  // Every flow here is expected to succeed or fail cleanly; a server error means a real fault.
  expect(reportedErrors).toEqual([]);
});

/** Just enough of a browser cookie store for one user agent talking to one host. */
class CookieJar {
  readonly #cookies = new Map<string, { name: string; value: string; path: string }>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const equals = pair.indexOf('=');
      const name = pair.slice(0, equals);
      const value = pair.slice(equals + 1);
      let cookiePath = '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [key = '', attributeValue = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path') cookiePath = attributeValue;
        if (key.toLowerCase() === 'expires' && Date.parse(attributeValue) <= Date.now()) expired = true;
      }
      const key = `${name}@${cookiePath}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path: cookiePath });
    }
  }

  headerFor(url: URL): string {
    return [...this.#cookies.values()]
      .filter((cookie) => url.pathname === cookie.path || url.pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }

  names(): string[] {
    return [...this.#cookies.values()].map((cookie) => cookie.name);
  }
}

class Browser {
  readonly jar = new CookieJar();

  async request(url: URL | string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers({ accept: 'text/html' });
    const cookie = this.jar.headerFor(target);
    if (cookie !== '') headers.set('cookie', cookie);
    let body: string | undefined;
    if (init.form !== undefined) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(target, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body: body ?? null, redirect: 'manual' });
    this.jar.store(response);
    return response;
  }

  /**
   * Follows redirects the way a browser would, stopping at the first page served by something
   * other than the identity provider (the relying party) or at the first non-redirect response.
   */
  async follow(first: Response, from: URL): Promise<{ url: URL; response: Response }> {
    let response = first;
    let url = from;
    for (let hops = 0; hops < 10; hops += 1) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) return { url, response };
      url = new URL(location, url);
      if (!url.pathname.startsWith('/idp/')) return { url, response };
      response = await this.request(url);
    }
    throw new Error('Too many redirects');
  }

  async open(url: URL): Promise<{ url: URL; response: Response }> {
    return this.follow(await this.request(url), url);
  }

  async submit(url: URL, form: Record<string, string>): Promise<{ url: URL; response: Response }> {
    return this.follow(await this.request(url, { form }), url);
  }
}

async function discover(clientId: string, secret: string, auth: oidc.ClientAuth): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), clientId, secret, auth, { execute: [oidc.allowInsecureRequests] });
}

interface StartedSignIn {
  config: oidc.Configuration;
  verifier: string;
  state: string;
  interactionUrl: URL;
  page: string;
  response: Response;
}

async function startSignIn(browser: Browser, client: EmbeddedClient, auth: oidc.ClientAuth): Promise<StartedSignIn> {
  const config = await discover(client.clientId, client.clientSecret, auth);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: client.redirectUris[0] ?? '',
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  const { url, response } = await browser.open(authorizationUrl);
  const page = await response.text();
  return { config, verifier, state, interactionUrl: url, page, response };
}

function hiddenInputs(html: string): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)) {
    inputs[match[1] ?? ''] = match[2] ?? '';
  }
  return inputs;
}

function formAction(html: string, id?: string): URL {
  const pattern = id === undefined ? /<form[^>]*action="([^"]+)"/ : new RegExp(`<form id="${id.replace('.', '\\.')}"[^>]*action="([^"]+)"`);
  const action = pattern.exec(html)?.[1];
  if (action === undefined) throw new Error('No form found on the page');
  return new URL(action.replaceAll('&amp;', '&'), baseUrl);
}

describe('embedded identity provider', () => {
  it('publishes discovery metadata with every endpoint under the /idp prefix', async () => {
    const config = await discover('cairn-staff', STAFF_SECRET, oidc.ClientSecretBasic(STAFF_SECRET));
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(issuer);
    expect(metadata.authorization_endpoint).toBe(`${issuer}/auth`);
    expect(metadata.token_endpoint).toBe(`${issuer}/token`);
    expect(metadata.userinfo_endpoint).toBe(`${issuer}/me`);
    expect(metadata.jwks_uri).toBe(`${issuer}/jwks`);
    expect(metadata.end_session_endpoint).toBe(`${issuer}/session/end`);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.claims_supported).toEqual(expect.arrayContaining(['sub', 'name', 'email', 'cairn_role']));
  });

  it('signs a staff member in with the authorisation code flow and PKCE, putting their details in the ID token', async () => {
    const browser = new Browser();
    const client = staffClient();
    const started = await startSignIn(browser, client, oidc.ClientSecretBasic(STAFF_SECRET));

    expect(started.response.status).toBe(200);
    expect(started.interactionUrl.pathname).toMatch(/^\/idp\/interaction\/[\w-]+$/);
    expect(started.page).toContain('<h1 class="govuk-heading-l">Sign in to the Northshire demo</h1>');
    expect(started.page).toContain('Northshire demo identity provider');
    expect(started.page).toContain('href="/assets/govuk/govuk-frontend.min.css"');
    for (const subject of STAFF_SUBJECTS) expect(started.page).toContain(`value="${subject}"`);
    expect(started.page).not.toContain('value="demo-parent"');
    expect(started.page).not.toContain('Robin Fairweather');
    expect(started.page).toContain('Jordan Kettleby');
    expect(started.page).toContain('Social worker, Northshire Council');
    expect(started.page).not.toMatch(/<script|style=/);
    expect(started.response.headers.get('content-security-policy')).toContain("default-src 'self'");

    const { url: callbackUrl } = await browser.submit(started.interactionUrl, { account: 'demo-social-worker' });
    expect(`${callbackUrl.origin}${callbackUrl.pathname}`).toBe(client.redirectUris[0]);
    expect(callbackUrl.searchParams.get('code')).toBeTruthy();

    const tokens = await oidc.authorizationCodeGrant(started.config, callbackUrl, {
      pkceCodeVerifier: started.verifier,
      expectedState: started.state,
    });
    const claims = tokens.claims();
    expect(claims).toMatchObject({
      iss: issuer,
      aud: 'cairn-staff',
      sub: 'demo-social-worker',
      name: 'Jordan Kettleby',
      email: 'jordan.kettleby@northshire.example',
      cairn_role: 'social_worker',
    });

    const userInfo = await oidc.fetchUserInfo(started.config, tokens.access_token, 'demo-social-worker');
    expect(userInfo).toMatchObject({
      sub: 'demo-social-worker',
      name: 'Jordan Kettleby',
      email: 'jordan.kettleby@northshire.example',
      cairn_role: 'social_worker',
    });

    // The same code cannot be exchanged twice.
    await expect(
      oidc.authorizationCodeGrant(started.config, callbackUrl, { pkceCodeVerifier: started.verifier, expectedState: started.state }),
    ).rejects.toThrow();
  });

  it('keeps its cookies under the /idp path', async () => {
    const browser = new Browser();
    const config = await discover('cairn-staff', STAFF_SECRET, oidc.ClientSecretBasic(STAFF_SECRET));
    const response = await browser.request(
      oidc.buildAuthorizationUrl(config, {
        redirect_uri: `${baseUrl}/callback`,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
      }),
    );
    const cookies = response.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/; path=\/idp\//);
      expect(cookie).toContain('httponly');
      expect(cookie).toContain('samesite=lax');
    }
  });

  it('re-renders the sign-in page with an error when no account is chosen', async () => {
    const browser = new Browser();
    const started = await startSignIn(browser, staffClient(), oidc.ClientSecretBasic(STAFF_SECRET));

    const response = await browser.request(started.interactionUrl, { form: {} });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('<title>Error: Sign in to the Northshire demo');
    expect(page).toContain('There is a problem');
    expect(page).toContain('<a href="#account">Select an account to sign in as</a>');
    expect(page).toMatch(/<p id="account-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:<\/span> Select an account to sign in as/);
    expect(page).toContain('value="demo-social-worker"');

    // An account meant for the other client is refused in the same way.
    const wrongAudience = await browser.request(started.interactionUrl, { form: { account: 'demo-parent' } });
    expect(wrongAudience.status).toBe(400);
    expect(await wrongAudience.text()).toContain('Select an account to sign in as');

    // The interaction is still usable afterwards.
    const { url } = await browser.submit(started.interactionUrl, { account: 'demo-ehe-officer' });
    expect(url.pathname).toBe('/callback');
    expect(url.searchParams.get('code')).toBeTruthy();
  });

  it('offers only the parent account to the parent client, which may authenticate with client_secret_post', async () => {
    const browser = new Browser();
    const client = parentClient();
    const started = await startSignIn(browser, client, oidc.ClientSecretPost(PARENT_SECRET));

    expect(started.page).toContain('value="demo-parent"');
    expect(started.page).toContain('Robin Fairweather');
    expect(started.page).toContain('Parent or carer');
    for (const subject of STAFF_SUBJECTS) expect(started.page).not.toContain(`value="${subject}"`);

    const { url: callbackUrl } = await browser.submit(started.interactionUrl, { account: 'demo-parent' });
    expect(callbackUrl.pathname).toBe('/callback/parent');
    const tokens = await oidc.authorizationCodeGrant(started.config, callbackUrl, {
      pkceCodeVerifier: started.verifier,
      expectedState: started.state,
    });
    expect(tokens.claims()).toMatchObject({ sub: 'demo-parent', aud: 'cairn-parent', cairn_role: 'parent' });
  });

  it('does not carry a staff session over to the parent client', async () => {
    const browser = new Browser();
    const staff = await startSignIn(browser, staffClient(), oidc.ClientSecretBasic(STAFF_SECRET));
    const { url: staffCallback } = await browser.submit(staff.interactionUrl, { account: 'demo-team-manager' });
    expect(staffCallback.searchParams.get('code')).toBeTruthy();

    // Signed in to the provider as staff, a second staff sign-in needs no interaction...
    const again = await startSignIn(browser, staffClient(), oidc.ClientSecretBasic(STAFF_SECRET));
    expect(again.interactionUrl.pathname).toBe('/callback');

    // ...but the parent client asks again and offers only the parent.
    const parent = await startSignIn(browser, parentClient(), oidc.ClientSecretPost(PARENT_SECRET));
    expect(parent.interactionUrl.pathname).toMatch(/^\/idp\/interaction\//);
    expect(parent.page).toContain('value="demo-parent"');
    expect(parent.page).not.toContain('value="demo-team-manager"');

    // Choosing the parent ends the staff session first; the provider's auto-submitting form
    // carries its script's hash in the content security policy, so it works without 'unsafe-inline'.
    const switching = await browser.submit(parent.interactionUrl, { account: 'demo-parent' });
    expect(switching.response.status).toBe(200);
    const switchPage = await switching.response.text();
    const scriptHash = /'sha256-[A-Za-z0-9+/=]+'/.exec(switching.response.headers.get('content-security-policy') ?? '');
    expect(scriptHash).not.toBeNull();
    const { url: parentCallback } = await browser.submit(formAction(switchPage), hiddenInputs(switchPage));
    expect(parentCallback.pathname).toBe('/callback/parent');
    const tokens = await oidc.authorizationCodeGrant(parent.config, parentCallback, {
      pkceCodeVerifier: parent.verifier,
      expectedState: parent.state,
    });
    expect(tokens.claims()).toMatchObject({ sub: 'demo-parent', cairn_role: 'parent' });
  });

  it('rejects an authorisation request without PKCE', async () => {
    const browser = new Browser();
    const config = await discover('cairn-staff', STAFF_SECRET, oidc.ClientSecretBasic(STAFF_SECRET));
    const state = oidc.randomState();
    const { url } = await browser.open(
      oidc.buildAuthorizationUrl(config, { redirect_uri: `${baseUrl}/callback`, scope: 'openid profile email', state }),
    );
    expect(url.pathname).toBe('/callback');
    expect(url.searchParams.get('error')).toBe('invalid_request');
    expect(url.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(url.searchParams.get('state')).toBe(state);
    expect(url.searchParams.has('code')).toBe(false);
  });

  it('rejects a code exchange with the wrong PKCE verifier', async () => {
    const browser = new Browser();
    const started = await startSignIn(browser, staffClient(), oidc.ClientSecretBasic(STAFF_SECRET));
    const { url: callbackUrl } = await browser.submit(started.interactionUrl, { account: 'demo-social-worker' });
    await expect(
      oidc.authorizationCodeGrant(started.config, callbackUrl, {
        pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
        expectedState: started.state,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('signs out through the end session endpoint and returns to the post-logout redirect URI', async () => {
    const browser = new Browser();
    const started = await startSignIn(browser, staffClient(), oidc.ClientSecretBasic(STAFF_SECRET));
    const { url: callbackUrl } = await browser.submit(started.interactionUrl, { account: 'demo-social-worker' });
    const tokens = await oidc.authorizationCodeGrant(started.config, callbackUrl, {
      pkceCodeVerifier: started.verifier,
      expectedState: started.state,
    });

    const endSessionUrl = oidc.buildEndSessionUrl(started.config, {
      id_token_hint: tokens.id_token ?? '',
      post_logout_redirect_uri: `${baseUrl}/signed-out`,
      state: 'after-sign-out',
    });
    const confirm = await browser.request(endSessionUrl);
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    expect(page).toContain('<h1 class="govuk-heading-l">Sign out</h1>');
    expect(page).toContain('Jordan Kettleby');
    const button = /<button[^>]*>/s.exec(page)?.[0] ?? '';
    expect(button).toContain('name="logout"');
    expect(button).toContain('value="yes"');
    expect(button).toContain('form="op.logoutForm"');
    expect(page).not.toMatch(/<script|style=/);

    const done = await browser.request(formAction(page, 'op.logoutForm'), {
      form: { ...hiddenInputs(page), logout: 'yes' },
    });
    expect(done.status).toBe(303);
    const location = new URL(done.headers.get('location') ?? '', baseUrl);
    expect(`${location.origin}${location.pathname}`).toBe(`${baseUrl}/signed-out`);
    expect(location.searchParams.get('state')).toBe('after-sign-out');

    // The provider session is gone, so signing in again asks who you are.
    const next = await startSignIn(browser, staffClient(), oidc.ClientSecretBasic(STAFF_SECRET));
    expect(next.interactionUrl.pathname).toMatch(/^\/idp\/interaction\//);
  });

  it('refuses a post-logout redirect URI that the client did not register', async () => {
    const browser = new Browser();
    const config = await discover('cairn-staff', STAFF_SECRET, oidc.ClientSecretBasic(STAFF_SECRET));
    const response = await browser.request(
      oidc.buildEndSessionUrl(config, { client_id: 'cairn-staff', post_logout_redirect_uri: 'https://attacker.example/' }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('Sorry, there is a problem signing in');
  });

  it('answers an expired or unknown interaction with a page rather than an error', async () => {
    const response = await new Browser().request(`${issuer}/interaction/not-a-real-interaction`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Your sign-in has timed out');
  });

  it('signs ID tokens with the key persisted in the data directory', async () => {
    const file = path.join(dataDir, JWKS_FILE_NAME);
    const stored = JSON.parse(await readFile(file, 'utf8')) as { keys: Array<{ kid: string }> };
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const published = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(published.keys.map((key) => key['kid'])).toEqual(stored.keys.map((key) => key.kid));
    expect(published.keys[0]).not.toHaveProperty('d');

    // A restart reads the same key back rather than making a new one.
    const reloaded = await loadOrCreateSigningKeys(dataDir);
    expect(reloaded.keys.map((key) => key.kid)).toEqual(stored.keys.map((key) => key.kid));
  });

  it('keeps keys in memory only when there is no data directory', async () => {
    const first = await loadOrCreateSigningKeys(null);
    const second = await loadOrCreateSigningKeys(null);
    expect(first.keys[0]?.kid).not.toBe(second.keys[0]?.kid);
  });

  it('serves nothing outside its prefix', async () => {
    const outside = await new Promise<number>((resolve, reject) => {
      const probe = createServer((req, res) => {
        idp.handle(req, res).catch(reject);
      });
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        fetch(`http://127.0.0.1:${port}/idpx/.well-known/openid-configuration`)
          .then((res) => resolve(res.status), reject)
          .finally(() => probe.close());
      });
    });
    expect(outside).toBe(404);
  });
});
