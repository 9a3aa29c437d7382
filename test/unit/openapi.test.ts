/**
 * The OpenAPI document: every route of the catalog is in it with its schemas, it validates as
 * OpenAPI 3.1 (offline, against the specification's own JSON Schema), and the statuses it documents
 * are the ones the handlers label.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/catalog.ts';
import { statusLabels } from '../../functions/http/applications.ts';
import { buildDocument } from '../../functions/http/openapi.ts';
import { renderDocs } from '../../functions/http/openapi-page.ts';
import { applicationStatuses } from '../../shared/openapi.ts';

const doc = buildDocument();
type Operation = {
  operationId: string;
  parameters?: Array<{ name: string; in: string; required: boolean }>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
};
const operation = (method: string, path: string) =>
  (doc.paths[path] as Record<string, Operation> | undefined)?.[method.toLowerCase()];

describe('GET /openapi.json', () => {
  it('validates as OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('the validator does reject a broken document', async () => {
    const broken = structuredClone(doc) as Record<string, unknown>;
    (broken.paths as Record<string, unknown>)['/health'] = { get: { responses: { 200: { content: 5 } } } };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('lists every route of functions/catalog.ts, and nothing else', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of routes) expect(operation(route.method, route.path)?.operationId).toBe(route.function);
  });

  it('refuses to build when a route has no operation', () => {
    expect(() =>
      buildDocument([{ method: 'POST', path: '/new-route', function: 'meansTestStep' as never }]),
    ).toThrow(/no operation for POST \/new-route/);
  });

  it('declares every path parameter, and the request schemas of the routes that take them', () => {
    for (const route of routes) {
      const op = operation(route.method, route.path)!;
      const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(
        (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        `${route.method} ${route.path}`,
      ).toEqual(inPath);
      if (route.method !== 'GET') expect(op.requestBody, `${route.method} ${route.path}`).toBeDefined();
      expect(Object.keys(op.responses).some((s) => s.startsWith('2'))).toBe(true);
      expect(op.responses['500']?.content?.['application/json']?.schema).toEqual({
        $ref: '#/components/schemas/Error',
      });
    }
    expect(operation('GET', '/tasks')!.parameters).toEqual([
      expect.objectContaining({ name: 'township', in: 'query', required: true }),
    ]);
    expect(operation('POST', '/applications')!.parameters).toEqual([
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
    ]);
  });

  it('describes the declaration from the zod schema, constraints included', () => {
    const request = doc.components.schemas.ApplicationRequest as {
      required: string[];
      properties: Record<string, Record<string, unknown>>;
    };
    expect(request.required).toEqual(
      expect.arrayContaining(['regionCode', 'members', 'pledge', 'verificationConsent']),
    );
    expect(request.properties.regionCode).toMatchObject({ type: 'string', pattern: '^\\d{6}$' });
    expect(request.properties.pledge).toMatchObject({ const: true });
    const member = (request.properties.members as { items: { properties: Record<string, unknown> } }).items;
    expect(member.properties.idNumber).toMatchObject({ pattern: '^\\d{17}[\\dX]$' });
    expect(doc.components.schemas.Error).toMatchObject({ required: ['error'] });
  });

  it('documents exactly the application statuses the handlers label', () => {
    expect([...applicationStatuses].sort()).toEqual(Object.keys(statusLabels).sort());
  });
});

describe('GET /docs', () => {
  it('renders every operation and schema as HTML, escaped', () => {
    const html = renderDocs(doc);
    for (const route of routes) expect(html).toContain(`id="op-${route.function}"`);
    for (const name of Object.keys(doc.components.schemas)) expect(html).toContain(`id="schema-${name}"`);
    expect(html).toContain('提交救助申请（自主申报）');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;');
  });
});
