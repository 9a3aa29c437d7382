/**
 * Rate limits (issue 10, finding 16), attacked on the local runtime: an applicant flooding
 * submissions or objections and a client flooding the dev sign-in get what the limits allow and
 * then 429 with `Retry-After`, all at once as well as one by one; a refused request writes nothing
 * (no application, no objection, no Idempotency-Key kept); another person is served meanwhile; and
 * once the window has passed — the virtual clock moved, nobody waits — the caller is served again.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { clock } from '../../local/clock.ts';
import { type RateClass, rateLimits, windowAt } from '../../shared/rate-limits.ts';
import { type Actor, actors } from '../support/actors.ts';
import { applicationFlow } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const doc = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** Moves the virtual clock to the start of the class's next window: a count of its own, from zero. */
function nextWindow(rateClass: RateClass): void {
  const now = Date.now();
  clock.advance(windowAt(rateLimits[rateClass], now).end - now);
}

const flooder: Actor = { role: 'applicant', subject: 'flood-applicant', name: '刷单者' };

const submit = (as: Actor, headers: Record<string, string> = {}, body: unknown = application()) =>
  api('/applications', { method: 'POST', body: JSON.stringify(body), headers }, as);

async function applicationsOf(subject: string): Promise<number> {
  const { Items = [] } = await doc().send(
    new ScanCommand({
      TableName: runtime.rt.env.CASES_TABLE,
      FilterExpression: 'sk = :app AND ownerSubject = :s',
      ExpressionAttributeValues: { ':app': 'APP', ':s': subject },
    }),
  );
  return Items.length;
}

function expectRefused(res: { status: number; body: { error: { code: string; message: string } } }) {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe('TooManyRequests');
  expect(res.body.error.message).toMatch(/^请求过于频繁，请 \d+ 秒后再试$/);
}

describe('an applicant flooding submissions', () => {
  it('gets the burst, then 429 with Retry-After; nothing refused is written; others are served', async () => {
    const { burst } = rateLimits.submission;
    // Signed in before the window starts: the sign-ins are counted in a class of their own anyway.
    await api('/applications/app-none', {}, flooder);
    await api('/applications/app-none', {}, actors.applicant);
    nextWindow('submission');

    // All at once: the count is one conditional update, so simultaneous requests never overshoot.
    const flood = await Promise.all(Array.from({ length: burst + 10 }, () => submit(flooder)));
    const statuses = flood.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(burst);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    for (const res of flood.filter((r) => r.status === 429)) expectRefused(res);
    expect(await applicationsOf(flooder.subject!)).toBe(burst);

    // One by one, after: still refused, saying when to come back (the window is 10 minutes long).
    const raw = await api(
      '/applications',
      { method: 'POST', headers: { 'idempotency-key': 'flood-late' }, body: JSON.stringify(application()) },
      flooder,
    );
    expect(raw.status).toBe(429);
    const retryAfter = raw.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    const window = windowAt(rateLimits.submission, Date.now());
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(Math.ceil((window.end - window.start) / 1000));
    expectRefused(raw);
    expect(await applicationsOf(flooder.subject!)).toBe(burst);

    // The counter stopped at the limit: refused requests are not counted either.
    const { Item } = await doc().send(
      new GetCommand({
        TableName: runtime.rt.env.RATE_LIMITS_TABLE,
        Key: { id: `submission#sub:${flooder.subject}#${window.start}` },
      }),
    );
    expect(Item?.requests).toBe(burst);

    // Another person is not held to the flooder's count.
    expect((await submit(actors.applicant)).status).toBe(202);

    // Once the window has passed, the flooder is served again; the key of the refused request was
    // never recorded, so it takes another body as a first request (a kept key would answer 422).
    nextWindow('submission');
    const again = await submit(flooder, { 'Idempotency-Key': 'flood-late' });
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    expect(await applicationsOf(flooder.subject!)).toBe(burst + 1);
  });

  it('the OpenAPI document lists the 429 and its Retry-After on write routes, not on reads', async () => {
    const { body } = await api('/openapi.json', {}, 'anonymous');
    const refused = body.paths['/applications'].post.responses['429'];
    expect(refused.headers['Retry-After'].schema.type).toBe('integer');
    expect(body.paths['/applications/{applicationId}'].get.responses['429']).toBeUndefined();
  });
});

describe('an applicant flooding objections', () => {
  it('gets the burst — one objection, the rest 409 — then 429; another person still objects', async () => {
    const { burst } = rateLimits.objection;
    const flow = applicationFlow(runtime);
    const { applicationId } = await flow.submit(application());
    const review = await flow.task(applicationId, 'townshipReview');
    expect(
      (await flow.decide(review.taskId, { decision: 'approve', reasons: ['入户核实属实'] })).status,
    ).toBe(200);
    await flow.applicationWhen(applicationId, (a) => a.status === 'publicNotice');

    const objector: Actor = { role: 'applicant', subject: 'flood-objector', name: '反复异议者' };
    const object = (as: Actor, reason: string) =>
      api(
        `/applications/${applicationId}/objection`,
        { method: 'POST', body: JSON.stringify({ reason }) },
        as,
      );
    // Signed in before the window starts, as in the flood of submissions.
    await api(`/applications/${applicationId}`, {}, objector);
    await api(`/applications/${applicationId}`, {}, actors.otherApplicant);
    nextWindow('objection');

    const flood = await Promise.all(
      Array.from({ length: burst + 10 }, (_, n) => object(objector, `异议${n}`)),
    );
    const statuses = flood.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(burst - 1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    for (const res of flood.filter((r) => r.status === 429)) expectRefused(res);

    // Another person is not held to the flooder's count.
    expect((await object(actors.otherApplicant, '该户有房未申报')).status).toBe(201);
    // What the notice records: the flooder's one objection and the other person's, nothing refused.
    const noticed = await flow.application(applicationId);
    const reasons = noticed.publicNotice.objections.map((o: { reason: string }) => o.reason);
    expect(reasons.filter((r: string) => r.startsWith('异议'))).toHaveLength(1);
    expect(reasons).toHaveLength(2);
  });
});

describe('a client flooding the dev sign-in', () => {
  const login = (n: number) =>
    fetch(`${runtime.rt.apiUrl}/auth/dev-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'applicant', subject: `flood-login-${n}` }),
    });

  it('gets the burst per address, then 429 with Retry-After; after the window it signs in again', async () => {
    const { burst } = rateLimits.signIn;
    // A token issued before the flood keeps working: the limit is on minting tokens, not using them.
    expect((await api('/applications/app-none', {}, actors.applicant)).status).toBe(404);
    nextWindow('signIn');

    const flood = await Promise.all(Array.from({ length: burst + 10 }, (_, n) => login(n)));
    expect(flood.filter((r) => r.status === 200)).toHaveLength(burst);
    const refused = flood.filter((r) => r.status === 429);
    expect(refused).toHaveLength(10);
    for (const res of refused) {
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      const body = await res.json();
      expect(body.token).toBeUndefined();
      expectRefused({ status: res.status, body });
    }
    expect((await api('/applications/app-none', {}, actors.applicant)).status).toBe(404);

    nextWindow('signIn');
    expect((await login(burst + 10)).status).toBe(200);
  });
});
