/**
 * The rate limits' definition and window arithmetic (`shared/rate-limits.ts`), and that the catalog
 * and the limits agree: every write route has a class, every class names a real route, and every
 * function behind a limited route may write the counters it is counted in.
 */
import { describe, expect, it } from 'vitest';
import { functions, routes } from '../../functions/catalog.ts';
import {
  rateClasses,
  rateLimitScale,
  rateLimits,
  retryAfterSeconds,
  routeRateClasses,
  windowAt,
} from '../../shared/rate-limits.ts';

const MINUTE = 60_000;

describe('windows', () => {
  it('are burst ÷ rate long, aligned to the epoch, and allow the burst', () => {
    const limit = { rate: 0.05, burst: 30 }; // 600 s
    const at = Date.parse('2026-12-02T02:03:20Z');
    const w = windowAt(limit, at);
    expect(w.end - w.start).toBe(10 * MINUTE);
    expect(w.start % (10 * MINUTE)).toBe(0);
    expect(w.start).toBeLessThanOrEqual(at);
    expect(w.end).toBeGreaterThan(at);
    expect(w.allowed).toBe(30);
    // Every instance, at any instant of the same window, counts in the same item.
    expect(windowAt(limit, w.start)).toEqual(w);
    expect(windowAt(limit, w.end - 1)).toEqual(w);
    expect(windowAt(limit, w.end).start).toBe(w.end);
  });

  it('scale the burst, never below one request, and keep their length', () => {
    const limit = { rate: 1, burst: 60 };
    expect(windowAt(limit, 0, 1000).allowed).toBe(60_000);
    expect(windowAt(limit, 0, 0.001).allowed).toBe(1);
    expect(windowAt(limit, 0, 1000).end).toBe(MINUTE);
  });

  it('Retry-After: whole seconds up to the window’s end, at least one', () => {
    const w = { start: 0, end: 10 * MINUTE, allowed: 30 };
    expect(retryAfterSeconds(w, 0)).toBe(600);
    expect(retryAfterSeconds(w, 10 * MINUTE - 1500)).toBe(2);
    expect(retryAfterSeconds(w, 10 * MINUTE - 1)).toBe(1);
    expect(retryAfterSeconds(w, 10 * MINUTE)).toBe(1);
  });
});

describe('DOUDI_RATE_LIMIT_SCALE', () => {
  it('is 1 unset, a positive number when set, and refused otherwise', () => {
    expect(rateLimitScale(undefined)).toBe(1);
    expect(rateLimitScale('')).toBe(1);
    expect(rateLimitScale('1000')).toBe(1000);
    expect(rateLimitScale('0.5')).toBe(0.5);
    for (const bad of ['0', '-1', 'lots', 'Infinity']) expect(() => rateLimitScale(bad)).toThrow(RangeError);
  });
});

describe('the limits and the catalog', () => {
  it('every class has a positive rate and burst, and its window is at most an hour', () => {
    for (const c of rateClasses) {
      const { rate, burst } = rateLimits[c];
      expect(rate, c).toBeGreaterThan(0);
      expect(Number.isInteger(burst) && burst >= 1, c).toBe(true);
      expect(burst / rate, c).toBeLessThanOrEqual(3600);
    }
  });

  it('every write route of the catalog has a class, and every limited route is in the catalog', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    const writes = routes.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    expect(Object.keys(routeRateClasses).sort()).toEqual(writes.sort());
    for (const key of Object.keys(routeRateClasses)) expect(keys).toContain(key);
  });

  it('every function behind a limited route may write the counters', () => {
    for (const route of routes.filter((r) => routeRateClasses[`${r.method} ${r.path}`])) {
      const grants: ReadonlyArray<{ table?: string; access?: string }> = functions[route.function].grants;
      expect(
        grants.some((g) => g.table === 'RateLimits' && g.access === 'readWrite'),
        route.function,
      ).toBe(true);
    }
  });
});
