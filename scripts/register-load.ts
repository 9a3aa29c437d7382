/**
 * `npm run register:load -- <file.csv|file.jsonl> [--region 430000] [--api http://127.0.0.1:3000] [--token <JWT>]`
 *
 * Loads an export of the national low-income register (one household a line, `registerDefinition` in
 * `shared/monitoring/compare/register.ts`: householdId, caseId, regionCode, tier, status, perCapitaMonthlyIncome,
 * members, assistance — e.g. the `register.csv` of `npm run generate`) into the register that monitoring
 * compares against, through `PUT /admin/register` in batches of 500. The file is read as a stream and
 * checked line by line first: a bad line is reported with its number and reason and left out, as the
 * API reports the rows it refuses. The export's caseId column is left out: it is the national
 * register's case number, and a register row may not link a household to a case (the API refuses it;
 * the system links its own cases when they change), so loading it would refuse every row that has one.
 *
 * Against `npm start` it signs in through the local dev sign-in as an administrator of `--region`
 * (default 000000, the whole country); elsewhere pass `--token` (an administrator's ID token).
 */
import { createReadStream } from 'node:fs';
import { ApiClient, type ApiResponse, type Caller } from '../local/client.ts';
import { type RegisterRecord, registerDefinition } from '../shared/monitoring/compare/index.ts';
import { lineBatches, RecordDecoder } from '../shared/monitoring/feeds/index.ts';

const BATCH = 500;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const file = process.argv[2];
if (!file || file.startsWith('--') || !/\.(csv|jsonl)$/i.test(file)) {
  console.error(
    '用法 usage: npm run register:load -- <file.csv|file.jsonl> [--region 430000] [--api URL] [--token JWT]',
  );
  process.exit(2);
}
const format = /\.csv$/i.test(file) ? 'csv' : 'jsonl';
const region = option('region', '000000');
const api = option('api', `http://127.0.0.1:${process.env.PORT ?? 3000}`);

// The administrator who loads: the token passed, or one signed in through the local dev sign-in.
const given = option('token', '');
const admin: Caller = given ? { bearer: given } : { role: 'admin', regionCodes: [region], name: '名单载入' };
const client = new ApiClient(api);
let loaded = 0;
let rejected = 0;
let caseIdsLeftOut = 0;
let batch: Array<{ line: number; row: RegisterRecord }> = [];

/**
 * One batch, sent again after the wait a 429 names: a large register outruns the administrators'
 * rate limit (shared/rate-limits.ts), and the load is meant to go on rather than stop half-way.
 */
async function put(): Promise<ApiResponse> {
  for (;;) {
    const res = await client.call(admin, 'PUT', `/admin/register?regionCode=${region}`, {
      households: batch.map((b) => b.row),
    });
    if (res.status !== 429) return res;
    const seconds = Math.max(1, Number(res.headers.get('retry-after')) || 1);
    console.log(`请求过于频繁，${seconds} 秒后继续 rate limited, resuming in ${seconds} s`);
    await new Promise((r) => setTimeout(r, seconds * 1000));
  }
}

async function send(): Promise<void> {
  if (!batch.length) return;
  const res = await put();
  const body = res.body as {
    loaded?: number;
    rejected?: Array<{ index: number; reason: string }>;
    error?: { message: string; fields?: Array<{ field: string; message: string }> };
  };
  if (res.status !== 200)
    throw new Error(
      `载入失败 load failed (${res.status}): ${body.error?.message} ${JSON.stringify(body.error?.fields ?? [])}`,
    );
  loaded += body.loaded ?? 0;
  for (const r of body.rejected ?? []) {
    rejected++;
    console.log(`第${batch[r.index]!.line}行 line ${batch[r.index]!.line}: ${r.reason}`);
  }
  batch = [];
}

const decoder = new RecordDecoder(registerDefinition, format);
for await (const lines of lineBatches(createReadStream(file))) {
  for (const line of lines) {
    const item = decoder.push(line);
    if (!item) continue;
    if (!item.ok) {
      rejected++;
      console.log(`第${item.line}行 line ${item.line}: ${item.reason}`);
      continue;
    }
    const { caseId, ...row } = item.row;
    if (caseId && !caseIdsLeftOut++)
      console.log(
        '名单的 caseId（案件编号）列不载入：案件关联由本系统登记 (the caseId column is not loaded)',
      );
    batch.push({ line: item.line, row });
    if (batch.length >= BATCH) {
      await send();
      process.stdout.write(`\r已载入 loaded ${loaded} 户 …`);
    }
  }
}
await send();
console.log(`\n已载入 loaded ${loaded} 户 households；未载入 rejected ${rejected} 行 lines（${file}）`);
process.exit(rejected ? 1 : 0);
