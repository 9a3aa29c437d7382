/**
 * Bad input, generated (issue 7): 10,000 malformed requests — wrong types, missing fields, huge
 * strings, bad ID numbers, negative amounts, deep JSON, oversized and non-JSON bodies — spread
 * over every write route of the catalog. Every answer is a 4xx that says what is wrong, never a
 * 5xx, and nothing is written. Run by `test/integration/fuzz-*.test.ts`, each for some routes.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { routes } from '../../functions/catalog.ts';
import { annualArrangementSchema } from '../../shared/calendar/index.ts';
import { parameterSetSchema, sampleParameterVersions } from '../../shared/parameters/index.ts';
import { declarationBody, emergencyRequest, paperworkBody } from '../../shared/schemas/cases.ts';
import { decisionBody } from '../../shared/schemas/casework.ts';
import { applicationRequest } from '../../shared/schemas/household.ts';
import { meansTestRequest } from '../../shared/schemas/rules.ts';
import { staffGrantBody, staffRevocationBody } from '../../shared/schemas/staff.ts';
import { application, household as householdOf } from './households.ts';
import { defaultActor, useRuntime } from './runtime.ts';

// Thousands of requests a minute as one person per route would be refused by the rate limits
// (shared/rate-limits.ts) after the first dozens, and the input would never be looked at: what is
// fuzzed here is validation. The limits themselves are attacked in ratelimit.test.ts.
process.env.DOUDI_RATE_LIMIT_SCALE = '1000';

const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 10_000);

export const writeRoutes = routes.filter((r) => r.method === 'POST' || r.method === 'PUT');
type Route = (typeof writeRoutes)[number];

/**
 * The schema each route validates its body with: generated bodies are kept only where it rejects
 * them, so every request sent is invalid by the API's own definition. Routes not listed get only
 * the structural breakage (not JSON, wrong top-level type, too deep, too large, missing).
 */
const schemas: Record<string, z.ZodType> = {
  '/applications': applicationRequest,
  '/means-test': meansTestRequest,
  '/tasks/{taskId}/decision': decisionBody,
  '/admin/parameters/{regionCode}': parameterSetSchema,
  '/admin/calendar/{year}': annualArrangementSchema,
  '/emergency': emergencyRequest,
  '/emergency/{emergencyId}/paperwork': paperworkBody,
  '/cases/{caseId}/declaration': declarationBody,
  '/admin/staff/{subject}': staffGrantBody,
  '/admin/staff/{subject}/revocation': staffRevocationBody,
};

/** A valid body per route, which the generators then break. */
function validBody(path: string): unknown {
  const household = householdOf();
  const version = sampleParameterVersions[0]!;
  const bodies: Record<string, unknown> = {
    '/applications': application(),
    '/means-test': { ...household, asOf: '2026-06-01' },
    '/tasks/{taskId}/decision': { decision: 'reject', reasons: ['理由'] },
    '/admin/parameters/{regionCode}': {
      residence: version.residence,
      effectiveFrom: '2031-01-01',
      basis: '测试',
      values: version.values,
    },
    '/admin/calendar/{year}': {
      year: 2031,
      source: '测试',
      holidays: [{ name: '元旦', from: '2031-01-01', to: '2031-01-01' }],
    },
    '/emergency': {
      ...household,
      applicant: application().applicant,
      pledge: true,
      verificationConsent: true,
      hardship: { kind: 'fire', description: '家中失火', occurredOn: '2026-06-01' },
      requestedAmount: 800,
    },
    '/emergency/{emergencyId}/paperwork': { decision: 'reject', reasons: ['理由'] },
    '/cases/{caseId}/declaration': { ...household, pledge: true, verificationConsent: true },
    '/admin/staff/{subject}': { name: '王某', role: 'townshipCaseworker', regionCodes: ['430121'] },
    '/admin/staff/{subject}/revocation': { reason: '调离本县' },
  };
  return bodies[path] ?? { note: '说明' };
}

/** Fills a route's path parameters, sometimes with nonsense (which must be a 4xx too). */
const pathFor = (template: string) =>
  fc
    .constantFrom(
      'x',
      '../../etc',
      '%00',
      '9'.repeat(300),
      '430121',
      '2031',
      'task-000000000000000000000000',
      'app-zzz',
    )
    .map((v) => template.replace(/\{\w+\}/g, encodeURIComponent(v)));

const leafPaths = (value: unknown, prefix: string[] = []): string[][] =>
  value && typeof value === 'object'
    ? Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...leafPaths(v, [...prefix, k])])
    : [];

function setAt(body: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let node = copy as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[path.at(-1)!];
  else node[path.at(-1)!] = value;
  return copy;
}

/** Breaks one field of a valid body in a way no valid request could look. */
const fieldMutation = (body: unknown): fc.Arbitrary<unknown> => {
  const paths = leafPaths(body);
  return fc
    .record({
      path: fc.constantFrom(...paths),
      value: fc.oneof(
        fc.constant(undefined),
        fc.constant(null),
        fc.constant(-1),
        fc.constant(-123456.789),
        fc.constant(1e300),
        fc.constant('X'.repeat(20_000)),
        fc.constant('11010519491231002Y'),
        fc.constant({ nested: { deeper: [1, 2, 3] } }),
        fc.constant([[[[[]]]]]),
        fc.boolean(),
        fc.string({ maxLength: 40 }),
      ),
    })
    .map(({ path, value }) => setAt(body, path, value));
};

const deepJson = fc
  .integer({ min: 200, max: 5000 })
  .map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
const notJson = fc.oneof(
  fc.constant('{"unterminated": '),
  fc.constant('<xml/>'),
  fc.string({ minLength: 1, maxLength: 50 }).map((s) => `{${s}`),
);
const oversized = fc.constant(JSON.stringify({ blob: 'x'.repeat(300 * 1024) }));

/** A request body as text: a broken valid body, a wrong top-level type, deep, oversized or not JSON. */
const bodyFor = (path: string): fc.Arbitrary<string | undefined> => {
  const valid = validBody(path);
  const schema = schemas[path];
  const structural = [
    { weight: 1, arbitrary: fc.constantFrom('[]', '"text"', '42', 'null', 'true') },
    { weight: 1, arbitrary: deepJson },
    { weight: 1, arbitrary: notJson },
    { weight: 1, arbitrary: oversized },
    { weight: 1, arbitrary: fc.constant(undefined) },
  ];
  if (!schema) return fc.oneof(...structural);
  const broken = fieldMutation(valid)
    .filter((b) => !schema.safeParse(b).success)
    .map((b) => JSON.stringify(b));
  return fc.oneof({ weight: 6, arbitrary: broken }, ...structural);
};

async function countItems(runtime: ReturnType<typeof useRuntime>): Promise<number> {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      // Sweepers' cursors are the runtime's own bookkeeping, written on their schedule whatever comes in.
      new ScanCommand({
        TableName: runtime.rt.env.CASES_TABLE,
        Select: 'COUNT',
        FilterExpression: 'sk <> :cursor',
        ExpressionAttributeValues: { ':cursor': 'CURSOR' },
        ExclusiveStartKey,
      }),
    );
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

/**
 * One test file's share of the fuzzing: the write routes `pick` selects, each sent its share of the
 * `FUZZ_REQUESTS` (10,000) spread over every write route. Two files share the routes so that
 * neither runs much over a minute; a test checks that together they cover every write route.
 */
export function fuzzWriteRoutes(title: string, pick: (route: Route) => boolean): void {
  const runtime = useRuntime();
  const picked = writeRoutes.filter(pick);
  const runs = Math.ceil(TOTAL / writeRoutes.length);
  describe(title, () => {
    it(`answer ${runs * picked.length} times with a clear 4xx and write nothing`, {
      timeout: 600_000,
    }, async () => {
      expect(picked.length).toBeGreaterThan(0);
      // Signing a staff member in records their grant (local/auth.ts): done before counting.
      for (const route of picked) await runtime.api('/me', {}, await defaultActor(route.method, route.path));
      const before = await countItems(runtime);
      const statuses = new Map<number, number>();
      for (const route of picked) {
        await fc.assert(
          fc.asyncProperty(pathFor(route.path), bodyFor(route.path), async (path, body) => {
            // Signed in as whoever may call the route: what is fuzzed is the input, not the access.
            const actor = await defaultActor(route.method, path);
            const res = await runtime.api(path, { method: route.method, body }, actor);
            const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            expect(
              res.status,
              `${route.method} ${path} → ${res.status} ${text.slice(0, 300)}`,
            ).toBeGreaterThanOrEqual(400);
            expect(res.status, `${route.method} ${path} → ${res.status} ${text.slice(0, 300)}`).toBeLessThan(
              500,
            );
            const { error } = res.body as {
              error: { code: string; message: string; fields?: Array<{ field: string; message: string }> };
            };
            expect(error.message.length).toBeGreaterThan(0);
            if (res.status === 400 && error.code === 'ValidationError') {
              expect(error.fields?.length, text.slice(0, 300)).toBeGreaterThan(0);
              for (const f of error.fields ?? [])
                expect(f.field.length * f.message.length).toBeGreaterThan(0);
            }
          }),
          { numRuns: runs, seed: 20261125 },
        );
      }
      expect(await countItems(runtime)).toBe(before);
      expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
    });
  });
}

/** The routes a household calls: applying, objecting, consenting, an emergency, its declaration, the preview. */
export const householdRoute = (route: Route): boolean =>
  /^\/(applications|means-test|cases\/\{caseId\}\/declaration)|^\/emergency$/.test(route.path);
