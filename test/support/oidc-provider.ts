/**
 * An OpenID provider for the browser tests (the npm package `oidc-provider`), standing in for the
 * province's unified identity: Authorization Code with PKCE for one public client, ID tokens with the
 * person's `name`, and its development sign-in pages (any login, any password; the login is the
 * subject). Run in a process of its own, so that it keeps real time while the test process runs on
 * the pinned clock: `tsx test/support/oidc-provider.ts <port> <clientId> <redirectUri>…`; it prints
 * `ready` once listening. `startOidcProvider` below does that.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** Display names of the test's people, by login. */
export const OIDC_NAMES: Record<string, string> = {
  'oidc-applicant-li': '李申请',
  'oidc-caseworker-zhou': '周经办',
};

/** A free loopback port, to name the issuer before it listens. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startOidcProvider(
  port: number,
  clientId: string,
  redirectUris: string[],
): Promise<ChildProcess> {
  const child = spawn(
    join(ROOT, 'node_modules', '.bin', 'tsx'),
    ['test/support/oidc-provider.ts', String(port), clientId, ...redirectUris],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      output += d;
      if (output.includes('ready')) resolve();
    });
    child.stderr!.on('data', (d) => (output += d));
    child.on('exit', (code) => reject(new Error(`OIDC provider exited (${code}): ${output}`)));
  });
  return child;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [port, clientId, ...redirectUris] = process.argv.slice(2);
  const { default: Provider } = await import('oidc-provider');
  const provider = new Provider(`http://127.0.0.1:${port}`, {
    clients: [
      {
        client_id: clientId!,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: redirectUris,
        post_logout_redirect_uris: redirectUris,
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name'] },
    // The name in the ID token itself, which is what the API is given.
    conformIdTokenClaims: false,
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, name: OIDC_NAMES[sub] ?? sub }),
    }),
    cookies: { keys: ['doudi-test-provider'] },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  });
  provider.listen(Number(port), () => console.log('ready'));
}
