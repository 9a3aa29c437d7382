/**
 * `GET /docs`: the OpenAPI document as one readable HTML page — operations grouped by tag, their
 * parameters, bodies and responses, and every named schema as a tree of fields. No scripts, no
 * CDN: the page is complete as served.
 */
import { escapeHtml } from '../../shared/http.ts';

type Schema = Record<string, unknown>;
interface Doc {
  info: { title: string; summary?: string; description?: string; version: string };
  tags: Array<{ name: string }>;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, Schema> };
}
interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: Schema;
}
interface Op {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}

const esc = escapeHtml;

const refName = (ref: string) => ref.replace('#/components/schemas/', '');

/** A one-line type: `string`, `integer`, `array<Task>`, `Notice | null`, an enum's values. */
function typeOf(schema: Schema): string {
  if (typeof schema.$ref === 'string') {
    const name = refName(schema.$ref);
    return `<a href="#schema-${esc(name)}">${esc(name)}</a>`;
  }
  if (Array.isArray(schema.enum))
    return schema.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(' | ');
  if ('const' in schema) return `<code>${esc(JSON.stringify(schema.const))}</code>`;
  const union = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (union) return union.map(typeOf).join(' | ');
  if (Array.isArray(schema.type)) return schema.type.map(esc).join(' | ');
  if (schema.type === 'array') return `array&lt;${typeOf((schema.items as Schema) ?? {})}&gt;`;
  return esc(schema.type ?? 'any');
}

function constraints(schema: Schema): string {
  const parts: string[] = [];
  const add = (label: string, key: string) => {
    const value = schema[key];
    if (value === undefined) return;
    parts.push(`${label} <code>${esc(typeof value === 'string' ? value : JSON.stringify(value))}</code>`);
  };
  add('格式', 'format');
  add('模式', 'pattern');
  add('最小', 'minimum');
  add('最大', 'maximum');
  add('最短', 'minLength');
  add('最长', 'maxLength');
  add('至少', 'minItems');
  add('至多', 'maxItems');
  add('倍数', 'multipleOf');
  add('默认', 'default');
  return parts.length ? `<span class="c">${parts.join('，')}</span>` : '';
}

/** The fields of an object schema (and of the objects nested in it) as nested lists. */
function fields(schema: Schema, depth = 0): string {
  if (depth > 6) return '';
  const target =
    schema.type === 'array' && schema.items && !(schema.items as Schema).$ref
      ? (schema.items as Schema)
      : schema;
  const properties = target.properties as Record<string, Schema> | undefined;
  const nested = ((target.anyOf ?? target.oneOf) as Schema[] | undefined)?.filter((s) => s.properties);
  if (!properties) {
    return nested?.length ? nested.map((s) => fields(s, depth)).join('') : '';
  }
  const required = new Set((target.required as string[] | undefined) ?? []);
  const items = Object.entries(properties).map(([name, prop]) => {
    const description = [prop.title, prop.description].filter(Boolean).map(esc).join('：');
    return `<li><code class="f">${esc(name)}</code>${required.has(name) ? '<span class="req">必填</span>' : ''} <span class="t">${typeOf(prop)}</span> ${constraints(prop)}${description ? ` <span class="d">${description}</span>` : ''}${fields(prop, depth + 1)}</li>`;
  });
  return `<ul class="fields">${items.join('')}</ul>`;
}

function schemaBlock(schema: Schema): string {
  return `<div class="schema"><span class="t">${typeOf(schema)}</span>${fields(schema)}</div>`;
}

function operation(path: string, method: string, op: Op): string {
  const params = op.parameters?.length
    ? `<h4>参数</h4><table><thead><tr><th>名称</th><th>位置</th><th>类型</th><th>说明</th></tr></thead><tbody>${op.parameters
        .map(
          (p) =>
            `<tr><td><code>${esc(p.name)}</code>${p.required ? '<span class="req">必填</span>' : ''}</td><td>${esc(p.in)}</td><td>${typeOf(p.schema)} ${constraints(p.schema)}</td><td>${esc(p.description ?? '')}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const body = op.requestBody
    ? `<h4>请求体</h4>${Object.entries(op.requestBody.content)
        .map(([type, { schema }]) => `<p class="mt">${esc(type)}</p>${schemaBlock(schema)}`)
        .join('')}`
    : '';
  const responses = Object.entries(op.responses)
    .map(
      ([status, r]) =>
        `<li><span class="status s${esc(status[0])}">${esc(status)}</span> ${esc(r.description)}${Object.entries(
          r.content ?? {},
        )
          .map(
            ([type, { schema }]) =>
              ` <span class="mt">${esc(type)}</span> <span class="t">${typeOf(schema)}</span>`,
          )
          .join('')}</li>`,
    )
    .join('');
  return `<section class="op" id="op-${esc(op.operationId)}">
<h3><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
<p class="summary">${esc(op.summary)}</p>${op.description ? `<p>${esc(op.description)}</p>` : ''}
${params}${body}<h4>响应</h4><ul class="responses">${responses}</ul></section>`;
}

export function renderDocs(doc: Doc): string {
  const ops: Array<{ path: string; method: string; op: Op }> = [];
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods)) ops.push({ path, method, op: op as Op });
  const byTag = doc.tags
    .map(({ name }) => ({ name, ops: ops.filter((o) => o.op.tags.includes(name)) }))
    .filter((t) => t.ops.length);
  const toc = byTag
    .map(
      (t) =>
        `<li>${esc(t.name)}<ul>${t.ops
          .map(
            (o) =>
              `<li><a href="#op-${esc(o.op.operationId)}"><span class="method ${esc(o.method)}">${esc(o.method.toUpperCase())}</span> ${esc(o.path)}</a></li>`,
          )
          .join('')}</ul></li>`,
    )
    .join('');
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([name, schema]) =>
        `<section class="op" id="schema-${esc(name)}"><h3>${esc(name)}${schema.title ? ` <small>${esc(schema.title)}</small>` : ''}</h3>${schemaBlock(schema)}</section>`,
    )
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} · 接口文档</title><link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1f2933;background:#f5f7fa;line-height:1.6}
header{background:#8b1d1d;color:#fff;padding:16px}header h1{margin:0;font-size:1.4rem}header p{margin:4px 0 0}
header a{color:#ffe4b5}
main{max-width:1100px;margin:0 auto;padding:12px}
nav ul{list-style:none;padding-left:12px}nav a{text-decoration:none;color:#1f2933;overflow-wrap:anywhere}
.op{background:#fff;border:1px solid #d9e2ec;border-radius:8px;padding:12px;margin:12px 0;overflow-wrap:anywhere}
.op h3{margin:0 0 4px;font-size:1.05rem}.op h3 small{color:#52606d;font-weight:normal}
.method{display:inline-block;min-width:3.2em;text-align:center;border-radius:4px;color:#fff;font-size:.8rem;padding:0 4px;font-family:monospace}
.get{background:#2f80ed}.post{background:#27ae60}.put{background:#f2994a}
.summary{font-weight:600;margin:4px 0}
table{border-collapse:collapse;width:100%;font-size:.9rem;display:block;overflow-x:auto}td,th{border:1px solid #d9e2ec;padding:4px 6px;text-align:left;vertical-align:top}
.fields{list-style:none;padding-left:14px;border-left:2px solid #e4e7eb;margin:4px 0}.fields li{margin:2px 0}
.f{font-weight:600}.t{color:#7b3fa0;font-family:monospace;font-size:.85rem}.c{color:#52606d;font-size:.8rem}.d{color:#3e4c59;font-size:.85rem}
.req{background:#fde8e8;color:#9b1c1c;border-radius:3px;font-size:.7rem;padding:0 3px;margin-left:4px}
.status{font-family:monospace;font-weight:700;padding:0 4px;border-radius:3px}.s2{background:#def7ec}.s4{background:#fdf6b2}.s5{background:#fde8e8}
.mt{font-family:monospace;font-size:.8rem;color:#52606d}
.responses{padding-left:16px}
</style></head><body>
<header><h1>${esc(doc.info.title)}</h1><p>${esc(doc.info.summary ?? '')} · 版本 ${esc(doc.info.version)} · <a href="/openapi.json">OpenAPI 3.1 JSON</a></p></header>
<main><p>${esc(doc.info.description ?? '')}</p>
<nav><h2>接口</h2><ul>${toc}</ul></nav>
${byTag.map((t) => `<h2>${esc(t.name)}</h2>${t.ops.map((o) => operation(o.path, o.method, o.op)).join('')}`).join('')}
<h2>数据结构</h2>${schemas}
</main></body></html>`;
}
