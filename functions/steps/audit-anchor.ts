/**
 * Anchoring of the audit chains (`shared/repositories/audit-anchors.ts`): every hour, each chain
 * whose head changed since the last run has its head copied into the Object-Lock archive bucket.
 * Run by EventBridge Scheduler on AWS and by the local runtime's clock. The function may read the
 * case table and put objects under `audit-anchors/`, nothing more: it cannot rewrite a chain, and
 * the functions that can have no grant on the bucket.
 *
 * Only changed heads: a chain's head is indexed by the time of its last entry (`shared/audit.ts`),
 * so a run reads the heads appended to in `[watermark, now − settle)`; a run that fails leaves the
 * watermark where it was and the next one covers its range again (anchors are keyed by head, so an
 * anchor put twice is one).
 */
import { headsChangedBetween } from '../../shared/audit.ts';
import { logger } from '../../shared/logger.ts';
import { putAnchor, readWatermark, writeWatermark } from '../../shared/repositories/audit-anchors.ts';

/**
 * Heads younger than this are left to the next run: an append's time is taken before its
 * transaction commits, and the index is eventually consistent, so a head stamped just before this
 * run's end may not be readable yet.
 */
export const ANCHOR_SETTLE_MS = 5 * 60_000;
/** Puts in flight at once. */
const PARALLEL = 16;

export async function anchor(): Promise<{ anchored: number; from: string; upTo: string }> {
  // Before the first run: every head (ISO instants sort after '0').
  const from = (await readWatermark()) ?? '0';
  const upTo = new Date(Date.now() - ANCHOR_SETTLE_MS).toISOString();
  if (from >= upTo) return { anchored: 0, from, upTo };
  const heads = await headsChangedBetween(from, upTo);
  for (let i = 0; i < heads.length; i += PARALLEL)
    await Promise.all(heads.slice(i, i + PARALLEL).map(putAnchor));
  // Nothing changed: the watermark stays, saving a version of it per idle hour.
  if (heads.length) {
    await writeWatermark(upTo);
    logger.info('anchored audit chain heads', { anchored: heads.length, from, upTo });
  }
  return { anchored: heads.length, from, upTo };
}
