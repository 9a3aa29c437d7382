/**
 * A Distributed Map's items and results: reading them from S3 (an object's JSON, JSON Lines or CSV,
 * or a listing), batching them for the children, the item and execution counts DescribeMapRun
 * reports, and the ResultWriter's export.
 */
import { type Counts, type Integrations, type MapRun, TaskError } from './types.ts';

export const GET_OBJECT = 'arn:aws:states:::s3:getObject';
export const LIST_OBJECTS = 'arn:aws:states:::s3:listObjectsV2';
export const PUT_OBJECT = 'arn:aws:states:::s3:putObject';
/** What one state may pass on, and the largest batch a child may be given (256 KiB). */
export const PAYLOAD_LIMIT = 256 * 1024;
/** The children a Distributed Map runs at once when MaxConcurrency does not say (or says 0). */
export const MAX_CHILDREN = 10_000;
export const CSV_DELIMITERS: Record<string, string> = {
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  SPACE: ' ',
  TAB: '\t',
};
export const COUNTED = {
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  TIMED_OUT: 'timedOut',
  ABORTED: 'aborted',
} as const;

export function counts(): Counts {
  return {
    pending: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    timedOut: 0,
    aborted: 0,
    total: 0,
    resultsWritten: 0,
  };
}

/** Moves `items` items, and one child execution, from one count to another. */
export function move(run: MapRun, from: keyof Counts, to: keyof Counts, items: number): void {
  run.itemCounts[from] -= items;
  run.itemCounts[to] += items;
  run.executionCounts[from] -= 1;
  run.executionCounts[to] += 1;
}

/**
 * The children's inputs: an item each, or with an ItemBatcher `{ BatchInput, Items }` (BatchInput
 * only if given) of at most `maxItems` items and `maxBytes` bytes (a larger item goes alone).
 */
export function toBatches(
  items: unknown[],
  batcher: unknown,
  batchInput: unknown,
  maxItems: number | undefined,
  maxBytes: number,
): Array<{ input: unknown; items: number; first: number }> {
  if (!batcher) return items.map((input, first) => ({ input, items: 1, first }));
  const wrap = (group: unknown[]) =>
    batchInput === undefined ? { Items: group } : { BatchInput: batchInput, Items: group };
  const base = Buffer.byteLength(JSON.stringify(wrap([])));
  const out: Array<{ input: unknown; items: number; first: number }> = [];
  let group: unknown[] = [];
  let bytes = base;
  const close = () =>
    out.push({
      input: wrap(group),
      items: group.length,
      first: (out.at(-1)?.first ?? 0) + (out.at(-1)?.items ?? 0),
    });
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item) ?? 'null');
    if (
      group.length &&
      ((maxItems !== undefined && group.length >= maxItems) || bytes + 1 + size > maxBytes)
    ) {
      close();
      group = [];
      bytes = base;
    }
    bytes += (group.length ? 1 : 0) + size;
    group.push(item);
  }
  if (group.length) close();
  return out;
}

export async function bodyText(body: unknown): Promise<string> {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  const stream = body as { transformToString?: () => Promise<string> } | undefined;
  if (typeof stream?.transformToString === 'function') return stream.transformToString();
  throw new Error('The object has no body');
}

/** An S3 object's items: a JSON array, JSON Lines, or CSV rows as objects of strings keyed by header. */
export function parseItems(text: string, config: Record<string, unknown>): unknown[] {
  const fail = (why: string): never => {
    throw new TaskError('States.ItemReaderFailed', why);
  };
  const body = text.replace(/^\uFEFF/, '');
  if (config.InputType === 'JSON') {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      return fail(`The object is not JSON: ${(error as Error).message}`);
    }
    return Array.isArray(value) ? value : fail('The object is not a JSON array');
  }
  if (config.InputType === 'JSONL') {
    return body.split(/\r?\n/).flatMap((line, i) => {
      if (!line.trim()) return [];
      try {
        return [JSON.parse(line)];
      } catch (error) {
        return fail(`Line ${i + 1} of the object is not JSON: ${(error as Error).message}`);
      }
    });
  }
  const rows = parseCsv(body, CSV_DELIMITERS[String(config.CSVDelimiter ?? 'COMMA')]!);
  const headers =
    config.CSVHeaderLocation === 'GIVEN' ? (config.CSVHeaders as string[]) : (rows.shift() ?? []);
  return rows.map((row) => Object.fromEntries(headers.map((header, i) => [header, row[i] ?? ''])));
}

/** RFC 4180 CSV: quoted fields may hold delimiters, line breaks and doubled quotes; blank lines are skipped. */
export function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== '' || fieldStarted) rows.push(row);
    row = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
    } else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else field += c;
  }
  if (field !== '' || row.length || fieldStarted) endRow();
  return rows;
}

/** The Map's items from S3, as its ItemReader describes them; any failure is States.ItemReaderFailed. */
export async function readItems(
  integrations: Integrations,
  reader: Record<string, unknown>,
  parameters: unknown,
  config: Record<string, unknown>,
): Promise<unknown[]> {
  const params = (parameters ?? {}) as Record<string, unknown>;
  let text: string;
  try {
    if (reader.Resource === LIST_OBJECTS) {
      const items: unknown[] = [];
      let token: string | undefined;
      do {
        const page = (await integrations.call('s3', 'listObjectsV2', {
          ...params,
          ...(token ? { ContinuationToken: token } : {}),
        })) as {
          Contents?: Array<Record<string, unknown>>;
          IsTruncated?: boolean;
          NextContinuationToken?: string;
        };
        for (const o of page.Contents ?? [])
          items.push({
            Etag: o.ETag,
            Key: o.Key,
            LastModified: Math.floor(new Date(o.LastModified as string).getTime() / 1000),
            Size: o.Size,
            StorageClass: o.StorageClass,
          });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return items;
    }
    const object = (await integrations.call('s3', 'getObject', params)) as { Body?: unknown };
    text = await bodyText(object.Body);
  } catch (error) {
    const e = error as Error;
    throw new TaskError('States.ItemReaderFailed', `${e.name}: ${e.message}`);
  }
  return parseItems(text, config);
}

/**
 * The ResultWriter's export, laid out as AWS lays it out: `<Prefix>/<run id>/SUCCEEDED_0.json`
 * and `FAILED_0.json` (each written only if it has entries) and a `manifest.json` listing them.
 */
export async function writeResults(
  integrations: Integrations,
  parameters: unknown,
  run: { runId: string; mapRunArn: string },
  files: Record<'SUCCEEDED' | 'FAILED', unknown[]>,
): Promise<{ Bucket: string; Key: string }> {
  const { Bucket, Prefix = '' } = (parameters ?? {}) as { Bucket?: unknown; Prefix?: unknown };
  if (typeof Bucket !== 'string' || typeof Prefix !== 'string')
    throw new TaskError(
      'States.ResultWriterFailed',
      'The ResultWriter needs a Bucket and a Prefix that are strings',
    );
  const base = `${Prefix && !Prefix.endsWith('/') ? `${Prefix}/` : Prefix}${run.runId}/`;
  const resultFiles: Record<string, Array<{ Key: string; Size: number }>> = {
    FAILED: [],
    PENDING: [],
    SUCCEEDED: [],
  };
  const put = (Key: string, Body: string) =>
    integrations.call('s3', 'putObject', { Bucket, Key, Body, ContentType: 'application/json' });
  try {
    for (const [status, entries] of Object.entries(files)) {
      if (!entries.length) continue;
      const Key = `${base}${status}_0.json`;
      const Body = JSON.stringify(entries);
      await put(Key, Body);
      resultFiles[status]!.push({ Key, Size: Buffer.byteLength(Body) });
    }
    const Key = `${base}manifest.json`;
    await put(
      Key,
      JSON.stringify({ DestinationBucket: Bucket, MapRunArn: run.mapRunArn, ResultFiles: resultFiles }),
    );
    return { Bucket, Key };
  } catch (error) {
    const e = error as Error;
    throw new TaskError('States.ResultWriterFailed', `${e.name}: ${e.message}`);
  }
}
