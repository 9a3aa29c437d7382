/**
 * Rate limits, defined once: the functions enforce the per-caller limits (`shared/rate-limiter.ts`,
 * through `httpRoute`), the local runtime enforces the same ones on its dev sign-in, CDK sets the
 * HTTP API's aggregate throttling from `apiThrottle`, and the OpenAPI document lists 429 for the
 * routes named here. A test checks that every write route of `functions/catalog.ts` has a class.
 *
 * Each class has a rate and a burst, as API Gateway's throttling does. Per caller they are enforced
 * as a fixed window of `burst / rate` seconds allowing `burst` requests (one conditional DynamoDB
 * update per request): over time the same rate as a token bucket of that rate and burst, but one
 * atomic write rather than a read-modify-write that a flood of concurrent requests would keep
 * retrying. At a window's edge a caller may get up to twice the burst in a short time, which is
 * harmless for what the limits guard against (thousands of requests, not dozens).
 */

export const rateClasses = ['signIn', 'submission', 'objection', 'casework', 'preview', 'admin'] as const;
export type RateClass = (typeof rateClasses)[number];

export interface RateLimit {
  /** Requests per second a caller may keep up. */
  rate: number;
  /** Requests a caller may make at once (and in each window of `burst / rate` seconds). */
  burst: number;
}

/**
 * Per caller: the signed-in subject, or the client's address where nobody is signed in yet. The
 * numbers are far above what a person does by hand — every request behind them is a form filled
 * in or a decision with written reasons — and far below what a script does in a minute.
 */
export const rateLimits: Record<RateClass, RateLimit> = {
  // The local runtime's `POST /auth/dev-login` (on AWS, Cognito signs people in and limits itself).
  // 30 a minute from one address: a whole township office behind one NAT signing in at nine
  // o'clock stays under it (a token lasts 12 hours); a loop minting tokens does not.
  signIn: { rate: 0.5, burst: 30 },
  // 30 in 10 minutes: an application or a declaration takes a person minutes to fill in, even a
  // caseworker entering households during a campaign; a script submitting households floods the
  // inbox, the register claims and the workflows, and is held to 3 a minute.
  submission: { rate: 0.05, burst: 30 },
  // 20 in 10 minutes: a person objects once per notice and answers a consent once; a caseworker
  // recording objections heard in person at a village meeting writes each one's reasons, one every
  // half minute at most. A loop re-opening reviews is held to 2 a minute.
  objection: { rate: 1 / 30, burst: 20 },
  // 120 in 10 minutes: one decision every 5 seconds, each with its reasons, is faster than anyone
  // reviews a household; a script deciding tasks without reading them is held to 12 a minute.
  casework: { rate: 0.2, burst: 120 },
  // 60 in 10 minutes: the 试算 button, pressed after each change of a form; nothing is stored, but
  // each one evaluates the rules and reads parameters, and anyone signed in may call it.
  preview: { rate: 0.1, burst: 60 },
  // 60 a minute: loading parameters or a calendar is rare; a register is loaded in pages of 1,000
  // households, and one page a second is as fast as the writes behind it go (the load script waits
  // out the Retry-After it is given).
  admin: { rate: 1, burst: 60 },
};

/**
 * The class of each limited route, by API Gateway's route key (`POST /applications`): every write
 * route of the catalog. Reads are not limited per caller; the aggregate throttling covers them.
 */
export const routeRateClasses: Record<string, RateClass> = {
  'POST /applications': 'submission',
  'POST /emergency': 'submission',
  'POST /cases/{caseId}/declaration': 'submission',
  'PUT /cases/{caseId}/payee-account': 'submission',
  'PUT /cases/{caseId}/contact': 'submission',
  'POST /applications/{applicationId}/objection': 'objection',
  'POST /applications/{applicationId}/consent': 'objection',
  'POST /cases/{caseId}/hearing': 'objection',
  'POST /cases/{caseId}/end-objection': 'objection',
  'POST /tasks/{taskId}/decision': 'casework',
  'POST /emergency/{emergencyId}/paperwork': 'casework',
  'POST /applications/{applicationId}/extension': 'casework',
  'POST /applications/{applicationId}/investigation': 'casework',
  'POST /warnings/{warningId}/feedback': 'casework',
  'POST /register/lookup': 'casework',
  'POST /demands/{demandId}/feedback': 'casework',
  'POST /discoveries': 'casework',
  'POST /complaints': 'submission',
  'POST /complaints/recorded': 'casework',
  'POST /staff/me/relatives': 'casework',
  'PUT /staff/me/work-channel': 'casework',
  'POST /staff/committee-relatives': 'casework',
  'POST /cases/{caseId}/appeals': 'casework',
  'POST /payrolls': 'casework',
  'POST /cases/{caseId}/recoveries': 'casework',
  'POST /cases/{caseId}/recoveries/{recoveryId}/repayments': 'casework',
  'POST /payrolls/{rollId}/decision': 'casework',
  'POST /payrolls/{rollId}/bank-file': 'casework',
  'POST /payrolls/{rollId}/bank-return': 'casework',
  'POST /means-test': 'preview',
  'PUT /admin/parameters/{regionCode}': 'admin',
  'PUT /admin/calendar/{year}': 'admin',
  'PUT /admin/staff/{subject}': 'admin',
  'POST /admin/staff/{subject}/revocation': 'admin',
  'PUT /admin/register': 'admin',
};

/**
 * The HTTP API's default route throttling on AWS, for all callers together: what protects the
 * functions and the account's Lambda concurrency (1,000 by default) from a flood however many
 * callers it comes from. Peak use nationwide — tens of thousands of caseworkers and applicants each
 * making a request every few seconds — stays under 500 a second; the account's own limit (10,000 a
 * second) is shared with every other API in it. Refused here, a request gets API Gateway's own 429
 * (`{"message":"Too Many Requests"}`, no Retry-After) and no function runs.
 */
export const apiThrottle: RateLimit = { rate: 500, burst: 1000 };

/**
 * `DOUDI_RATE_LIMIT_SCALE` multiplies every per-caller burst (the windows stay as long): for a
 * benchmark or a load test that fires thousands of requests as one person. Unset on AWS.
 */
export function rateLimitScale(value = process.env.DOUDI_RATE_LIMIT_SCALE): number {
  if (value === undefined || value === '') return 1;
  const scale = Number(value);
  if (!(Number.isFinite(scale) && scale > 0))
    throw new RangeError(`DOUDI_RATE_LIMIT_SCALE 应为正数（如 1000） (got ${value})`);
  return scale;
}

export interface Window {
  /** Epoch ms at which the window began and at which the next one begins. */
  start: number;
  end: number;
  /** Requests allowed in it. */
  allowed: number;
}

/** The fixed window `now` falls in for a limit (windows are aligned to the epoch, so all instances agree). */
export function windowAt(limit: RateLimit, now: number, scale = 1): Window {
  const length = Math.round((limit.burst / limit.rate) * 1000);
  const start = Math.floor(now / length) * length;
  return { start, end: start + length, allowed: Math.max(1, Math.floor(limit.burst * scale)) };
}

/** Whole seconds until the window ends (at least 1): what `Retry-After` says. */
export const retryAfterSeconds = (window: Window, now: number): number =>
  Math.max(1, Math.ceil((window.end - now) / 1000));
