/**
 * 统一身份认证登录: the Authorization Code flow with PKCE against the deployment's OIDC issuer, through
 * oidc-client-ts (no hand-written crypto). The issuer and client id come from `GET /public/sign-in`,
 * so one build of the pages serves every deployment. Tokens are kept in memory only — a reload or
 * another page signs in again, which the issuer's own session makes a redirect without a prompt —
 * and the ID token is what the API's JWT authorizer verifies (its audience is the client id).
 */
import { InMemoryWebStorage, UserManager, WebStorageStateStore } from 'oidc-client-ts';

export interface OidcOptions {
  issuer: string;
  clientId: string;
  scope: string;
}

let manager: UserManager | undefined;

function managerFor(options: OidcOptions): UserManager {
  if (!manager) {
    // The page itself is the redirect target: it finishes the sign-in where it started.
    const here = `${location.origin}${location.pathname}`;
    manager = new UserManager({
      authority: options.issuer,
      client_id: options.clientId,
      redirect_uri: here,
      post_logout_redirect_uri: here,
      response_type: 'code',
      scope: options.scope,
      // The tokens stay in this page's memory; only the flow's state and verifier cross the redirect.
      userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
      automaticSilentRenew: false,
      loadUserInfo: false,
    });
  }
  return manager;
}

/** Sends the browser to the issuer's sign-in. */
export async function startOidcSignIn(options: OidcOptions): Promise<void> {
  await managerFor(options).signinRedirect();
}

/**
 * Finishes a sign-in the issuer redirected back with (`?code=…&state=…`): the ID token, and the
 * address without the code. Undefined when the page was not opened by such a redirect.
 */
export async function finishOidcSignIn(options: OidcOptions): Promise<string | undefined> {
  const params = new URLSearchParams(location.search);
  if (!params.has('state') || !(params.has('code') || params.has('error'))) return undefined;
  try {
    const user = await managerFor(options).signinRedirectCallback();
    if (!user.id_token) throw new Error('身份提供方未返回身份令牌');
    return user.id_token;
  } finally {
    history.replaceState(null, '', location.pathname);
  }
}

/** Forgets the tokens and ends the issuer's session where it offers that; otherwise reloads. */
export async function oidcSignOut(options: OidcOptions, idToken: string): Promise<void> {
  const users = managerFor(options);
  await users.removeUser();
  const metadata = await users.metadataService.getMetadata().catch(() => undefined);
  if (metadata?.end_session_endpoint) await users.signoutRedirect({ id_token_hint: idToken });
  else location.reload();
}
