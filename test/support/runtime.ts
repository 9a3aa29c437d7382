/** Starts an in-memory local runtime for one test file and gives typed helpers over its HTTP API. */
import { afterAll, beforeAll } from 'vitest';
import { type Runtime, startRuntime } from '../../local/runtime.ts';

export function useRuntime(): {
  readonly rt: Runtime;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are whatever the API answered; the assertions check them.
  api: (path: string, init?: RequestInit) => Promise<{ status: number; body: any }>;
} {
  let runtime: Runtime | undefined;
  beforeAll(async () => {
    runtime = await startRuntime({ dataDir: null, port: 0 });
  });
  afterAll(async () => {
    await runtime?.stop();
  });
  return {
    get rt() {
      if (!runtime) throw new Error('runtime not started');
      return runtime;
    },
    async api(path, init) {
      const res = await fetch(`${runtime!.apiUrl}${path}`, {
        ...init,
        headers: { 'content-type': 'application/json', ...(init?.headers ?? {}) },
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
}
