import * as client from 'openid-client';
import type { OidcClientConfig } from '../../config.ts';

export type SignInAudience = 'staff' | 'parent';

export interface AuthorisationRequest {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface SignedInIdentity {
  issuer: string;
  subject: string;
  name: string | null;
  email: string | null;
  idToken: string;
}

/**
 * The relying-party side of sign-in: the authorisation-code flow with PKCE, state and nonce, for
 * staff (Entra ID in production) and for parents (GOV.UK One Login), or both against the embedded
 * provider. Discovery happens on first use and is cached.
 */
export interface OidcSignIn {
  begin(audience: SignInAudience): Promise<AuthorisationRequest>;
  complete(audience: SignInAudience, callbackUrl: URL, expected: { state: string; nonce: string; codeVerifier: string }): Promise<SignedInIdentity>;
  endSessionUrl(audience: SignInAudience, idToken: string | null): Promise<string | null>;
}

export function createOidcSignIn(clients: Record<SignInAudience, OidcClientConfig>, baseUrl: string): OidcSignIn {
  const configurations = new Map<SignInAudience, Promise<client.Configuration>>();
  const redirectUri = `${baseUrl}/auth/callback`;

  function configuration(audience: SignInAudience): Promise<client.Configuration> {
    let pending = configurations.get(audience);
    if (!pending) {
      const settings = clients[audience];
      const insecure = settings.issuer.startsWith('http://');
      pending = client.discovery(
        new URL(settings.issuer),
        settings.clientId,
        settings.clientSecret,
        undefined,
        insecure ? { execute: [client.allowInsecureRequests] } : undefined,
      );
      pending.catch(() => configurations.delete(audience));
      configurations.set(audience, pending);
    }
    return pending;
  }

  return {
    async begin(audience) {
      const config = await configuration(audience);
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid profile email',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url: url.toString(), state, nonce, codeVerifier };
    },
    async complete(audience, callbackUrl, expected) {
      const config = await configuration(audience);
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
      });
      const claims = tokens.claims();
      if (!claims || !tokens.id_token) throw new Error('The identity provider did not return an ID token');
      return {
        issuer: claims.iss,
        subject: claims.sub,
        name: typeof claims['name'] === 'string' ? claims['name'] : null,
        email: typeof claims['email'] === 'string' ? claims['email'] : null,
        idToken: tokens.id_token,
      };
    },
    async endSessionUrl(audience, idToken) {
      const config = await configuration(audience);
      if (!config.serverMetadata().end_session_endpoint) return null;
      const parameters: Record<string, string> = { post_logout_redirect_uri: `${baseUrl}/signed-out`, client_id: clients[audience].clientId };
      if (idToken) parameters['id_token_hint'] = idToken;
      return client.buildEndSessionUrl(config, parameters).toString();
    },
  };
}
