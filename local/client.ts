/**
 * The one client of a running local API: it signs in through `POST /auth/dev-login` as a person's
 * page would, once per person and API, and sends each request with that person's bearer token. The
 * demo, the benchmarks, the register loader and the tests all speak to the API through it, so what
 * they send is what a page sends.
 */
import type { DevLogin } from './auth.ts';

const signedIn = new Map<string, Promise<string>>();

/** A token for `login` from the API at `apiUrl`, fetched once and shared. */
export function devToken(apiUrl: string, login: DevLogin): Promise<string> {
  const key = `${apiUrl} ${JSON.stringify(login)}`;
  let token = signedIn.get(key);
  if (!token) {
    token = fetch(`${apiUrl}/auth/dev-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(login),
    }).then(async (res) => {
      const body = (await res.json()) as { token?: string };
      if (res.status !== 200 || !body.token)
        throw new Error(`登录失败 dev-login failed (${res.status}): ${JSON.stringify(body)}`);
      return body.token;
    });
    // A failed sign-in is not remembered: the next call tries again.
    token.catch(() => signedIn.delete(key));
    signedIn.set(key, token);
  }
  return token;
}

/**
 * Who sends a request: a person to sign in as locally, a token already held (an ID token from a real
 * sign-in), or nobody (a public route, or a test of refusal).
 */
export type Caller = DevLogin | { bearer: string } | 'anonymous';

export interface ApiResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are whatever the API answered; callers check them.
  body: any;
  headers: Headers;
}

/** An answer other than the one a caller required. */
export class UnexpectedStatusError extends Error {
  constructor(
    readonly request: string,
    readonly response: ApiResponse,
  ) {
    super(`${request} answered ${response.status}: ${JSON.stringify(response.body)}`);
    this.name = 'UnexpectedStatusError';
  }
}

export class ApiClient {
  /** Requests sent, sign-ins not counted: what a benchmark divides by. */
  requests = 0;

  constructor(readonly apiUrl: string) {}

  /** The bearer header for `caller`, or none. */
  async authorization(caller: Caller): Promise<Record<string, string>> {
    if (caller === 'anonymous') return {};
    const token = 'bearer' in caller ? caller.bearer : await devToken(this.apiUrl, caller);
    return { authorization: `Bearer ${token}` };
  }

  /** One request as `caller`; a JSON body is sent as JSON, and the answer's body parsed when there is one. */
  async send(caller: Caller, path: string, init: RequestInit = {}): Promise<ApiResponse> {
    const headers = new Headers(init.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    for (const [name, value] of Object.entries(await this.authorization(caller)))
      if (!headers.has(name)) headers.set(name, value);
    this.requests++;
    const res = await fetch(`${this.apiUrl}${path}`, { ...init, headers });
    const text = await res.text();
    return { status: res.status, body: text ? parseBody(text) : undefined, headers: res.headers };
  }

  /** `method path` with a JSON body as `caller`. */
  call(
    caller: Caller,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse> {
    return this.send(caller, path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  /** Like `call`, but any status outside `expect` throws `UnexpectedStatusError`; answers the body. */
  async expect(
    caller: Caller,
    method: string,
    path: string,
    body?: unknown,
    expect: readonly number[] = [200],
    // biome-ignore lint/suspicious/noExplicitAny: as `ApiResponse.body`.
  ): Promise<any> {
    const res = await this.call(caller, method, path, body);
    if (!expect.includes(res.status)) {
      const who = caller === 'anonymous' ? 'anonymous' : 'bearer' in caller ? 'token' : caller.role;
      throw new UnexpectedStatusError(`${method} ${path} as ${who}`, res);
    }
    return res.body;
  }
}

/** JSON when it is JSON; some routes (the OpenAPI page, the web assets) answer text. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface WaitOptions {
  /** What is awaited, named in the error when it does not come. */
  what?: string;
  /** Real time to wait, in ms (default 60 s). */
  timeoutMs?: number;
  /** Real time between looks, in ms (default 50). */
  every?: number;
}

/**
 * Looks until `check` answers a value (not undefined), on real time: `Date` follows the virtual
 * clock, which jumps when someone moves it, and advancing it already runs whatever fell due (the
 * runtime's schedules look again after every jump), so there is nothing to nudge. An error thrown
 * by `check` counts as "not yet" and is named in the timeout's message. Generous by default: a
 * busy machine is slow, not wrong.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  options: WaitOptions | number = {},
): Promise<T> {
  const {
    what = 'condition',
    timeoutMs = 60_000,
    every = 50,
  } = typeof options === 'number' ? { timeoutMs: options } : options;
  const until = performance.now() + timeoutMs;
  let last: unknown;
  while (performance.now() < until) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(
    `${what} not met within ${timeoutMs} ms of real time${last ? `: ${(last as Error).message}` : ''}`,
  );
}
