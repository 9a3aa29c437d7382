/**
 * The local runtime's S3 → EventBridge: for each bucket a catalog function watches (`onObjectCreated`),
 * lists the objects under its prefixes (ListObjectsV2, on real time) and delivers, for each object not
 * seen before (a key with a new ETag), the `Object Created` event EventBridge delivers on AWS — the same
 * shape, with the key as S3 names it (EventBridge does not URL-encode keys). On start every object there
 * is delivered once; the function makes a repeat harmless (its runs are named after key and ETag).
 */
import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command, type ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import type { FunctionName } from '../functions/catalog.ts';
import { ACCOUNT, invoke, REGION } from './lambda.ts';

/** Real milliseconds between two looks at the bucket (below the clock's business-timer threshold). */
const POLL_MS = 1_000;

export interface BucketWatcher {
  stop(): Promise<void>;
}

export function objectCreatedEvent(bucket: string, object: { key: string; size: number; etag: string }) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: ACCOUNT,
    time: new Date().toISOString(),
    region: REGION,
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: {
        key: object.key,
        size: object.size,
        etag: object.etag,
        sequencer: randomUUID().replace(/-/g, ''),
      },
      'request-id': randomUUID(),
      requester: ACCOUNT,
      reason: 'PutObject',
    },
  };
}

export function watchBucket(options: {
  functionName: FunctionName;
  bucket: string;
  prefixes: string[];
  endpoint: string;
}): BucketWatcher {
  const client = new S3Client({ endpoint: options.endpoint, forcePathStyle: true });
  const seen = new Set<string>();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;

  const look = async () => {
    for (const prefix of options.prefixes) {
      let token: string | undefined;
      do {
        const page: ListObjectsV2CommandOutput = await client.send(
          new ListObjectsV2Command({ Bucket: options.bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) {
          const etag = (o.ETag ?? '').replace(/^"|"$/g, '');
          const id = `${o.Key}\u0000${etag}`;
          if (!o.Key || seen.has(id)) continue;
          try {
            await invoke(
              options.functionName,
              objectCreatedEvent(options.bucket, { key: o.Key, size: o.Size ?? 0, etag }),
            );
            seen.add(id);
          } catch (error) {
            // Delivered again at the next look, as EventBridge retries a failed target.
            if (!stopped) console.error(`[s3 events] ${options.functionName} failed for ${o.Key}`, error);
          }
        }
        token = page.NextContinuationToken;
      } while (token && !stopped);
    }
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        await look();
      } catch (error) {
        if (!stopped) console.error(`[s3 events] listing ${options.bucket} failed`, error);
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, POLL_MS);
      });
    }
  })();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await loop.catch(() => undefined);
      client.destroy();
    },
  };
}
