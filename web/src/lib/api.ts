/**
 * The pages' only way to the API. Answers are `{ ok: true, status, data }` or
 * `{ ok: false, status, error }` with the API's error shape; a network failure becomes status 0.
 * The signed-in person's token (`lib/signin.ts` keeps it) is added here and nowhere else; a 401
 * tells the sign-in to ask again.
 */
import type { ErrorResponse } from '../../../shared/openapi.ts';

export type ApiError = ErrorResponse['error'];
export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; error: ApiError };

export const TOKEN_KEY = 'doudi.token';

let onUnauthorized: (() => void) | undefined;

/** What to do when the API answers 401 (no token, or one that lapsed): the sign-in asks again. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** A token held in memory only (统一身份认证); the dev sign-in's is kept for the tab. */
let memoryToken: string | undefined;

export function useMemoryToken(token: string | undefined): void {
  memoryToken = token;
}

function authHeaders(): Record<string, string> {
  const token = memoryToken ?? sessionStorage.getItem(TOKEN_KEY);
  return token ? { authorization: `Bearer ${token}` } : {};
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...authHeaders(),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    return {
      ok: false,
      status: 0,
      error: { code: 'NetworkError', message: '网络连接失败，请检查网络后重试' },
    };
  }
  const text = await response.text();
  let payload: unknown;
  try {
    payload = text ? JSON.parse(text) : undefined;
  } catch {
    payload = undefined;
  }
  if (response.ok) return { ok: true, status: response.status, data: payload as T };
  if (response.status === 401) onUnauthorized?.();
  // API Gateway's own throttling answers 429 without doudi's error shape (and without Retry-After).
  const error =
    (payload as ErrorResponse | undefined)?.error ??
    (response.status === 429
      ? { code: 'TooManyRequests', message: '请求过于频繁，请稍后再试' }
      : { code: 'HttpError', message: `服务返回错误（${response.status}）` });
  return { ok: false, status: response.status, error };
}

/** Whether the running API has an operation (from `GET /openapi.json`), e.g. a route that comes later. */
export async function hasOperation(method: string, path: string): Promise<boolean> {
  const doc = await api<{ paths?: Record<string, Record<string, unknown>> }>('GET', '/openapi.json');
  return doc.ok && Boolean(doc.data.paths?.[path]?.[method.toLowerCase()]);
}
