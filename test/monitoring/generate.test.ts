import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateMonitoringData } from '../../scripts/generate.ts';
import { collectingSink, runMonitoring } from '../../shared/monitoring/compare/index.ts';
import { type FeedFormat, feedNames } from '../../shared/monitoring/feeds/index.ts';
import { sampleIndicatorVersions } from '../../shared/monitoring/indicators.ts';

const root = mkdtempSync(join(tmpdir(), 'doudi-generate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function generateAndRun(format: FeedFormat, dir: string) {
  const manifest = await generateMonitoringData({ households: 3_000, out: dir, format, seed: 7 });
  const sink = collectingSink();
  const report = await runMonitoring({
    register: { source: createReadStream(join(dir, manifest.register)), format },
    feeds: feedNames.map((feed) => ({
      feed,
      format,
      source: createReadStream(join(dir, manifest.feeds[feed].file)),
    })),
    rules: sampleIndicatorVersions,
    asOf: manifest.asOf,
    sink,
  });
  return { manifest, report, sink };
}

describe('npm run generate', () => {
  it('writes a register and seven feeds that the comparison reads, CSV and JSON Lines alike', async () => {
    const csv = await generateAndRun('csv', join(root, 'csv'));
    const jsonl = await generateAndRun('jsonl', join(root, 'jsonl'));
    const { manifest, report } = csv;

    expect(report.register).toMatchObject({ households: 3_000, persons: manifest.persons, rejected: 0 });
    for (const feed of feedNames) {
      const m = manifest.feeds[feed];
      const c = report.feeds[feed]!;
      // Every row is either compared or rejected: the malformed ones and those dated after the comparison.
      expect(c.lines, feed).toBe(m.rows + 1);
      expect(c.rejected, feed).toBe(m.malformed + m.future);
      expect(c.rows, feed).toBe(m.rows - m.malformed - m.future);
    }
    // Every risk type occurs.
    for (const [type, n] of Object.entries(report.byRiskType)) expect(n, type).toBeGreaterThan(0);

    // The JSON Lines files carry the same data: the same warnings, ids and all, and the same rejections
    // (CSV line numbers are one more: the header).
    expect(jsonl.report.checksum).toBe(report.checksum);
    expect(jsonl.report.byRiskType).toEqual(report.byRiskType);
    expect(jsonl.sink.warnings.map((w) => w.warningId)).toEqual(csv.sink.warnings.map((w) => w.warningId));
    expect(jsonl.sink.rejections.map((r) => [r.source, r.line + 1])).toEqual(
      csv.sink.rejections.map((r) => [r.source, r.line]),
    );
  });

  it('is deterministic for a seed', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    await generateMonitoringData({ households: 500, out: a, seed: 11 });
    await generateMonitoringData({ households: 500, out: b, seed: 11 });
    for (const file of ['register.csv', 'health.csv', 'medicalInsurance.csv', 'manifest.json'])
      expect(readFileSync(join(a, file), 'utf8')).toBe(readFileSync(join(b, file), 'utf8'));
  });
});
