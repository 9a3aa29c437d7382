/**
 * The HTTP middleware stack on API Gateway v2 events, without a server — but with the staff records
 * it reads the caller's role from (DynamoDB Local, through the runtime the test starts).
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { matchRoute } from '../../local/http.ts';
import { ConflictError } from '../../shared/errors.ts';
import { httpRoute, MAX_BODY_BYTES } from '../../shared/http.ts';
import { putStaffAsSystem } from '../../shared/staff.ts';
import { useRuntime } from '../support/runtime.ts';

useRuntime();
beforeAll(async () => {
  const by = { subject: 'test', name: '测试' };
  await putStaffAsSystem('u1', { name: '王五', role: 'townshipCaseworker', regionCodes: ['430121'] }, by);
  await putStaffAsSystem('u3', { name: '审计', role: 'auditor', regionCodes: ['430121'] }, by);
});

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
const caseworker = signedIn({ sub: 'u1', name: '王五' });

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
    const incomplete = await route(event({ ...bad, requestContext: signedIn({ name: '无编号' }) }), ctx);
    expect(incomplete.statusCode).toBe(401);
    const forbidden = await route(event({ ...bad, requestContext: signedIn({ sub: 'u3' }) }), ctx);
    expect(forbidden.statusCode).toBe(403);
    expect(JSON.parse(forbidden.body!).error.message).toContain('审计人员');
  });

  it('takes the role from the staff record, never from a claim of the token', async () => {
    const body = JSON.stringify({ amount: 1, name: 'a' });
    // Somebody with no staff record who claims to be a caseworker is an applicant.
    const stranger = signedIn({
      sub: 'u9',
      'custom:role': 'townshipCaseworker',
      'custom:regionCodes': '430121',
    });
    const refused = await route(event({ body, requestContext: stranger }), ctx);
    expect(refused.statusCode).toBe(403);
    expect(JSON.parse(refused.body!).error.message).toContain('申请人');
    // The auditor who claims to be a caseworker is the auditor.
    const auditor = signedIn({
      sub: 'u3',
      'custom:role': 'townshipCaseworker',
      'custom:regionCodes': '430121',
    });
    expect((await route(event({ body, requestContext: auditor }), ctx)).statusCode).toBe(403);
    // The caseworker is who the record says, whatever name the token carries.
    const caseworker = signedIn({ sub: 'u1', name: '冒名', 'custom:role': 'admin' });
    const res = await route(event({ body, requestContext: caseworker }), ctx);
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body!).by).toBe('王五');
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
