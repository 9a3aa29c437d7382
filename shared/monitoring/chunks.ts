/**
 * A department feed cut into chunks for a Distributed Map: the file is read once, as bytes, and cut at
 * line boundaries into pieces of about `linesPerChunk` lines. Each chunk is a byte range (an HTTP `Range`
 * a worker reads with S3 GetObject) and the number of its first line in the whole file, so the worker's
 * decoder (`RecordDecoder.startingAt`) names every rejected line as reading the whole file would; a CSV
 * file's header line travels beside the chunks. Cutting at `\n` bytes is safe in UTF-8: no byte of a
 * multi-byte character is 0x0A.
 *
 * Feeds are dropped into the intake bucket as `<feed>/<any name>.csv` or `.jsonl` (`feedKey`).
 */
import { type FeedFormat, type FeedName, feedNames } from './feeds/names.ts';

export interface FeedChunk {
  /** 0-based, in file order. */
  index: number;
  /** The first and the last byte of the chunk, inclusive: `Range: bytes=<start>-<end>`. */
  start: number;
  end: number;
  /** The whole file's number of the chunk's first line (1-based; a CSV header is line 1). */
  firstLine: number;
  /** Lines in the chunk (a last line without a newline counts). */
  lines: number;
}

export interface ChunkPlan {
  chunks: FeedChunk[];
  lines: number;
  bytes: number;
  /** The file's first line (without its line ending), for CSV workers; null for an empty file. */
  header: string | null;
}

/** The most of a first line kept as a header: a CSV header longer than this is not a header. */
const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Cuts a byte stream into chunks of `linesPerChunk` lines (the last one shorter), and of at most
 * `maxChunkBytes` bytes where lines are long (a chunk always holds at least one whole line).
 */
export async function planChunks(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: { linesPerChunk: number; maxChunkBytes?: number },
): Promise<ChunkPlan> {
  const perChunk = options.linesPerChunk;
  if (!Number.isSafeInteger(perChunk) || perChunk < 1) throw new RangeError(`bad linesPerChunk ${perChunk}`);
  const maxBytes = options.maxChunkBytes ?? Number.POSITIVE_INFINITY;
  const chunks: FeedChunk[] = [];
  let offset = 0; // bytes before the current piece of the stream
  let lastLineEnd = 0; // the byte after the last newline seen
  let chunkStart = 0;
  let chunkFirstLine = 1;
  let chunkLines = 0;
  let lines = 0;
  const headerParts: Buffer[] = [];
  let headerBytes = 0;
  let headerDone = false;
  const close = (end: number) => {
    chunks.push({
      index: chunks.length,
      start: chunkStart,
      end,
      firstLine: chunkFirstLine,
      lines: chunkLines,
    });
    chunkStart = end + 1;
    chunkFirstLine += chunkLines;
    chunkLines = 0;
  };

  for await (const piece of source as AsyncIterable<Uint8Array>) {
    const buf = Buffer.isBuffer(piece)
      ? piece
      : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    let at = 0;
    while (at < buf.length) {
      const nl = buf.indexOf(10, at);
      if (!headerDone) {
        const part = buf.subarray(at, nl < 0 ? buf.length : nl);
        if (headerBytes < MAX_HEADER_BYTES) headerParts.push(Buffer.from(part));
        headerBytes += part.length;
        if (nl >= 0) headerDone = true;
      }
      if (nl < 0) break;
      const end = offset + nl;
      lines++;
      chunkLines++;
      lastLineEnd = end + 1;
      if (chunkLines >= perChunk || end + 1 - chunkStart >= maxBytes) close(end);
      at = nl + 1;
    }
    offset += buf.length;
  }
  if (offset > lastLineEnd) {
    lines++;
    chunkLines++;
  }
  if (chunkLines > 0) close(offset - 1);
  let header: string | null = null;
  if (offset > 0) {
    header = Buffer.concat(headerParts).toString('utf8');
    if (header.endsWith('\r')) header = header.slice(0, -1);
  }
  return { chunks, lines, bytes: offset, header };
}

export type FeedKey = { ok: true; feed: FeedName; format: FeedFormat } | { ok: false; reason: string };

/** `<feed>/<any name>.csv|.jsonl` → the feed and format, or why the object is not a feed. */
export function feedKey(key: string): FeedKey {
  const slash = key.indexOf('/');
  const feed = slash < 0 ? '' : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (!(feedNames as readonly string[]).includes(feed))
    return {
      ok: false,
      reason: `对象 ${key} 不在部门数据目录下：应放在 ${feedNames.map((f) => `${f}/`).join('、')} 之一`,
    };
  const format = /\.csv$/i.test(name) ? 'csv' : /\.jsonl$/i.test(name) ? 'jsonl' : undefined;
  if (!format || name.length <= (format === 'csv' ? 4 : 6))
    return { ok: false, reason: `对象 ${key} 的文件名应以 .csv 或 .jsonl 结尾` };
  return { ok: true, feed: feed as FeedName, format };
}
