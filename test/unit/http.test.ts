/** The HTTP middleware stack on API Gateway v2 events, without a server. */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { matchRoute } from '../../local/http.ts';
import { ConflictError } from '../../shared/errors.ts';
import { httpRoute, MAX_BODY_BYTES } from '../../shared/http.ts';

const event = (over: Partial<APIGatewayProxyEventV2>): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /x',
    rawPath: '/x',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: caseworker,
    ...over,
  }) as APIGatewayProxyEventV2;
const ctx = {} as Context;

/** Claims as API Gateway's JWT authorizer hands them on. */
const signedIn = (claims: Record<string, string>) =>
  ({ authorizer: { jwt: { claims, scopes: [] } } }) as unknown as APIGatewayProxyEventV2['requestContext'];
const caseworker = signedIn({
  sub: 'u1',
  name: '王五',
  'custom:role': 'townshipCaseworker',
  'custom:regionCodes': '430121',
});

const route = httpRoute(
  {
    roles: ['townshipCaseworker'],
    body: z.object({ amount: z.number().nonnegative({ error: '金额不能为负数' }), name: z.string() }),
    query: z.object({ page: z.coerce.number().int().optional() }),
  },
  async ({ body, query, principal }) => {
    if (body.name === 'taken') throw new ConflictError('已存在');
    return { statusCode: 201, body: { ...body, page: query.page ?? 1, by: principal.name } };
  },
);

describe('httpRoute', () => {
  it('passes validated input to the handler and serialises its result', async () => {
    const res = await route(
      event({ body: JSON.stringify({ amount: 5, name: 'a' }), queryStringParameters: { page: '2' } }),
      ctx,
    );
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body!)).toEqual({ amount: 5, name: 'a', page: 2, by: '王五' });
  });

  it('answers 401 without verified claims and 403 to a role it does not serve, before validating', async () => {
    const bad = { body: JSON.stringify({ amount: -1 }) };
    const anonymous = await route(event({ ...bad, requestContext: {} as never }), ctx);
    expect(anonymous.statusCode).toBe(401);
    expect(JSON.parse(anonymous.body!).error.code).toBe('Unauthorized');
    const incomplete = await route(event({ ...bad, requestContext: signedIn({ sub: 'u2' }) }), ctx);
    expect(incomplete.statusCode).toBe(401);
    const auditor = signedIn({ sub: 'u3', 'custom:role': 'auditor', 'custom:regionCodes': '430121' });
    const forbidden = await route(event({ ...bad, requestContext: auditor }), ctx);
    expect(forbidden.statusCode).toBe(403);
    expect(JSON.parse(forbidden.body!).error.message).toContain('审计人员');
  });

  it('names every invalid field, body and query alike, with Chinese messages', async () => {
    const res = await route(
      event({ body: JSON.stringify({ amount: -1 }), queryStringParameters: { page: 'x' } }),
      ctx,
    );
    expect(res.statusCode).toBe(400);
    const { error } = JSON.parse(res.body!);
    expect(error.code).toBe('ValidationError');
    expect(error.fields).toEqual(
      expect.arrayContaining([
        { field: 'amount', message: '金额不能为负数' },
        expect.objectContaining({ field: 'name' }),
        expect.objectContaining({ field: 'query.page' }),
      ]),
    );
  });

  it('answers 400 for malformed JSON, 413 for an oversized body, and the typed error’s status', async () => {
    expect((await route(event({ body: '{' }), ctx)).statusCode).toBe(400);
    expect(
      (await route(event({ body: JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) }) }), ctx)).statusCode,
    ).toBe(413);
    const conflict = await route(event({ body: JSON.stringify({ amount: 1, name: 'taken' }) }), ctx);
    expect(conflict.statusCode).toBe(409);
    expect(JSON.parse(conflict.body!).error.message).toBe('已存在');
  });

  it('hides an unexpected error behind a 500 without its message', async () => {
    const broken = httpRoute({ roles: 'public' }, async () => {
      throw new Error('secret internals');
    });
    const res = await broken(event({}), ctx);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
  });
});

describe('local route matching', () => {
  it('matches path parameters and tells a wrong method from an unknown path', () => {
    const m = matchRoute('POST', '/tasks/task-abc/decision');
    expect(m).toMatchObject({ route: { function: 'decideTask' }, params: { taskId: 'task-abc' } });
    expect(matchRoute('DELETE', '/tasks/task-abc/decision')).toBe('method-not-allowed');
    expect(matchRoute('GET', '/nowhere')).toBeUndefined();
  });
});
