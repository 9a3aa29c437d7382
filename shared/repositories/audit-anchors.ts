/**
 * Audit chain anchors: each chain's head (chain id, seq, hash, time of its last entry) copied out of
 * the case table into the Object-Lock archive bucket, so that whoever can write the table — and so
 * can rewrite a chain and recompute every SHA-256 after it — cannot also rewrite what the chain
 * looked like when it was anchored. The writers of the table hold no grant on the bucket; the
 * anchoring function (`functions/steps/audit-anchor.ts`) reads the table and may only put objects
 * under `audit-anchors/` (compliance-mode Object Lock on AWS: no one deletes or overwrites a
 * version for the retention period).
 *
 * Objects:
 *   `audit-anchors/chains/<chainId>/<seq, 8 digits>-<hash>.json` one per anchored head, immutable:
 *     its key alone says what was anchored, so a chain's anchors are one listing, no reads;
 *   `audit-anchors/watermark.json` up to which head change the anchoring has run (a pointer, not
 *     evidence: each put is a new version, the old ones kept).
 */
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3 } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { archiveBucket } from '../resources.ts';

const bucket = () => requiredEnv(archiveBucket.env);

export const ANCHOR_PREFIX = 'audit-anchors/';
const WATERMARK_KEY = `${ANCHOR_PREFIX}watermark.json`;
const chainPrefix = (chainId: string) => `${ANCHOR_PREFIX}chains/${encodeURIComponent(chainId)}/`;

export interface Anchor {
  chainId: string;
  seq: number;
  hash: string;
  /** When the anchored entry was appended. */
  at: string;
}

export const anchorKey = (a: Pick<Anchor, 'chainId' | 'seq' | 'hash'>): string =>
  `${chainPrefix(a.chainId)}${String(a.seq).padStart(8, '0')}-${a.hash}.json`;

const status = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/**
 * Writes one anchor, once: the key names the head, and `If-None-Match: *` leaves an anchor already
 * there as it is (a store that ignores the condition, fauxqs, writes the same head again).
 */
export async function putAnchor(anchor: Anchor): Promise<void> {
  try {
    await s3().send(
      new PutObjectCommand({
        Bucket: bucket(),
        Key: anchorKey(anchor),
        Body: JSON.stringify(anchor),
        ContentType: 'application/json',
        IfNoneMatch: '*',
      }),
    );
  } catch (error) {
    // 412: anchored already. 409: a concurrent put of the same anchor is under way.
    if (status(error) !== 412 && status(error) !== 409) throw error;
  }
}

/** A chain's anchors, by seq. */
export async function listAnchors(chainId: string): Promise<Array<Pick<Anchor, 'seq' | 'hash'>>> {
  const anchors: Array<Pick<Anchor, 'seq' | 'hash'>> = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await s3().send(
      new ListObjectsV2Command({ Bucket: bucket(), Prefix: chainPrefix(chainId), ContinuationToken }),
    );
    for (const { Key } of page.Contents ?? []) {
      const m = /\/(\d{8})-([0-9a-f]{64})\.json$/.exec(Key ?? '');
      if (m) anchors.push({ seq: Number(m[1]), hash: m[2]! });
    }
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return anchors.sort((a, b) => a.seq - b.seq);
}

/** Up to which head change (an ISO instant) the last anchoring run went; undefined before the first. */
export async function readWatermark(): Promise<string | undefined> {
  try {
    const out = await s3().send(new GetObjectCommand({ Bucket: bucket(), Key: WATERMARK_KEY }));
    return (JSON.parse(await out.Body!.transformToString()) as { upTo: string }).upTo;
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

export async function writeWatermark(upTo: string): Promise<void> {
  await s3().send(
    new PutObjectCommand({
      Bucket: bucket(),
      Key: WATERMARK_KEY,
      Body: JSON.stringify({ upTo }),
      ContentType: 'application/json',
    }),
  );
}
