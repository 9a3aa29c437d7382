/**
 * `npm run generate -- --households N [--out DIR] [--format csv|jsonl] [--seed S] [--as-of YYYY-MM-DD]`
 *
 * Writes a synthetic low-income register (`register.csv|jsonl`, one household a line) and one feed file
 * per department (`<feed>.csv|jsonl`, schemas in shared/monitoring/feeds/specs.ts) into DIR (default
 * `.doudi/generated`, git-ignored), plus `manifest.json` with the counts. Deterministic: the same
 * arguments write the same bytes (mulberry32 PRNG, as bench/rules.ts). Streams to the files, so a
 * million households (≈2.4 million people, ≈1.2 million feed rows) take seconds and little memory.
 *
 * Distributions (synthetic, roughly the shape of a county's register): household sizes 1–6 (a third are
 * one or two people; 特困 and 单人保 are single), tiers led by 低保 and 低保边缘, 10% on the register but
 * not covered (watched after leaving); per department a few percent of the people have a record, about
 * one row in six is about someone not on the register, about 0.3% of rows are malformed on purpose (bad
 * check digit, impossible date, negative or non-numeric amount, unknown code, missing field, wrong column
 * count), 0.2% are dated after the comparison date, and a few households share a member or receive two
 * mutually exclusive kinds of help, so that every warning type occurs.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { idCheckCharacter } from '../shared/domain/id-number.ts';
import {
  type FeedFormat,
  type FeedName,
  feedDefinitions,
  feedNames,
} from '../shared/monitoring/feeds/index.ts';
import type { AssistanceType, RegisterTier } from '../shared/monitoring/indicators.ts';

export interface GenerateOptions {
  households: number;
  out: string;
  format?: FeedFormat;
  seed?: number;
  /** The comparison date the data is made for: event dates fall before it (a few after, on purpose). */
  asOf?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface GenerateManifest {
  version: number;
  households: number;
  persons: number;
  format: FeedFormat;
  seed: number;
  asOf: string;
  register: string;
  feeds: Record<
    FeedName,
    { file: string; rows: number; malformed: number; outsiders: number; future: number }
  >;
}

/** Bump when the generator's output changes, so that reused data is regenerated. */
export const GENERATOR_VERSION = 2;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Buffers lines and writes them in ~1 MiB chunks, waiting when the stream asks. */
class LineWriter {
  private parts: string[] = [];
  private size = 0;
  private readonly stream: WriteStream;
  constructor(path: string) {
    this.stream = createWriteStream(path);
  }
  line(text: string): void {
    this.parts.push(text);
    this.size += text.length + 1;
  }
  async flushIfFull(): Promise<void> {
    if (this.size >= 1 << 20) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = `${this.parts.join('\n')}\n`;
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

const REGIONS: Array<[string, number]> = [
  ['430121', 0.35], // 长沙县
  ['430104', 0.1], // 岳麓区
  ['430181', 0.1], // 浏阳市
  ['410122', 0.3], // 中牟县
  ['410102', 0.075], // 中原区
  ['410181', 0.075], // 巩义市
];
const TIERS: Array<[RegisterTier, number]> = [
  ['dibao', 0.44],
  ['tekun', 0.08],
  ['singlePersonDibao', 0.03],
  ['marginal', 0.18],
  ['rigidExpense', 0.06],
  ['relapseWatch', 0.08],
  ['otherHardship', 0.03],
  ['none', 0.1],
];
const SIZES: Array<[number, number]> = [
  [1, 0.22],
  [2, 0.26],
  [3, 0.22],
  [4, 0.16],
  [5, 0.09],
  [6, 0.05],
];
/** Per register person, the chance of a record in each feed. */
const RATES: Record<FeedName, number> = {
  medicalInsurance: 0.12,
  health: 0.048,
  education: 0.1,
  humanResources: 0.06,
  disability: 0.03,
  emergencyManagement: 0.015,
  ruralAffairs: 0.02,
};
const OUTSIDER_SERIAL = 900;
/** Birth dates 1930-01-01 … 2019-12-31; 7919 is coprime with the count, so p ↦ date is a bijection per block. */
const BIRTH_DAYS = 32_872;

export async function generateMonitoringData(opts: GenerateOptions): Promise<GenerateManifest> {
  const households = opts.households;
  if (!Number.isSafeInteger(households) || households < 1) throw new Error('--households 应为正整数');
  const format = opts.format ?? 'csv';
  const seed = opts.seed ?? 20_260_630;
  const asOf = opts.asOf ?? '2026-06-30';
  const rand = prng(seed);
  const chance = (p: number) => rand() < p;
  const weighted = <T>(table: Array<[T, number]>): T => {
    let r = rand();
    for (const [v, w] of table) {
      r -= w;
      if (r < 0) return v;
    }
    return table[table.length - 1]![0];
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const money = (x: number) => (Math.round(x * 100) / 100).toFixed(2);

  mkdirSync(opts.out, { recursive: true });
  const ext = format === 'csv' ? 'csv' : 'jsonl';

  const birthDates: string[] = [];
  const base = Date.UTC(1930, 0, 1);
  for (let d = 0; d < BIRTH_DAYS; d++)
    birthDates.push(new Date(base + d * 86_400_000).toISOString().slice(0, 10).replaceAll('-', ''));
  const personId = (region: string, p: number, serialBase: number) => {
    const serial = serialBase + Math.floor(p / BIRTH_DAYS);
    const first17 = `${region}${birthDates[(p * 7919) % BIRTH_DAYS]}${String(serial % 1000).padStart(3, '0')}`;
    return first17 + idCheckCharacter(first17);
  };

  const asOfMs = Date.parse(`${asOf}T00:00:00Z`);
  const dateBefore = (maxDays: number) =>
    new Date(asOfMs - Math.floor(rand() * maxDays) * 86_400_000).toISOString().slice(0, 10);

  // Register
  const registerWriter = new LineWriter(resolve(opts.out, `register.${ext}`));
  const registerColumns = [
    'householdId',
    'caseId',
    'regionCode',
    'tier',
    'status',
    'perCapitaMonthlyIncome',
    'members',
    'assistance',
  ];
  if (format === 'csv') registerWriter.line(registerColumns.join(','));

  // Feeds
  const writers = {} as Record<FeedName, LineWriter>;
  const stats = {} as GenerateManifest['feeds'];
  const columns = {} as Record<FeedName, string[]>;
  for (const feed of feedNames) {
    writers[feed] = new LineWriter(resolve(opts.out, `${feed}.${ext}`));
    columns[feed] = feedDefinitions[feed].fields.map((f) => f.name);
    stats[feed] = { file: `${feed}.${ext}`, rows: 0, malformed: 0, outsiders: 0, future: 0 };
    if (format === 'csv') writers[feed].line(columns[feed].join(','));
  }

  const write = (
    w: LineWriter,
    cols: readonly string[],
    record: Record<string, string | number | boolean | string[] | undefined>,
  ) => {
    if (format === 'csv') {
      w.line(
        cols
          .map((c) => {
            const v = record[c];
            return v === undefined ? '' : Array.isArray(v) ? v.join(';') : String(v);
          })
          .join(','),
      );
    } else {
      const o: Record<string, unknown> = {};
      for (const c of cols) {
        const v = record[c];
        if (v === undefined) continue;
        const spec = feedFieldKinds.get(c);
        o[c] = spec === 'number' && typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
      }
      w.line(JSON.stringify(o));
    }
  };

  const feedRecord = (
    feed: FeedName,
    idNumber: string,
    regionCode: string,
  ): Record<string, string | number | boolean | undefined> => {
    const recordId = `${FEED_PREFIX[feed]}${String(stats[feed].rows + 1).padStart(9, '0')}`;
    const r: Record<string, string | number | boolean | undefined> = {
      recordId,
      idNumber,
      regionCode,
      eventDate: dateBefore(540),
    };
    switch (feed) {
      case 'medicalInsurance': {
        const total = 300 + rand() ** 3 * 160_000;
        const reimbursed = total * (0.45 + rand() * 0.45);
        r.totalCost = money(total);
        r.reimbursed = money(reimbursed);
        r.outOfPocket = money(
          Math.max(0, Math.round(total * 100) / 100 - Math.round(reimbursed * 100) / 100),
        );
        break;
      }
      case 'health':
        if (chance(0.17)) r.eventType = 'death';
        else {
          r.eventType = 'hospitalisation';
          r.totalCost = money(2_000 + rand() ** 3 * 220_000);
          if (chance(0.05)) r.majorDisease = true;
          else if (chance(0.3)) r.majorDisease = false;
        }
        break;
      case 'education':
        r.eventType = chance(0.15) ? 'hardshipStudent' : 'enrolment';
        r.stage = pick([
          'preschool',
          'primary',
          'primary',
          'juniorSecondary',
          'seniorSecondary',
          'vocational',
          'higher',
        ]);
        break;
      case 'humanResources': {
        const e = rand();
        if (e < 0.4) r.eventType = 'unemploymentRegistration';
        else if (e < 0.85) {
          r.eventType = 'employment';
          r.monthlyAmount = money(1_200 + rand() * 5_000);
        } else {
          r.eventType = 'pensionStart';
          r.monthlyAmount = money(150 + rand() ** 2 * 3_000);
        }
        break;
      }
      case 'disability': {
        const a = rand();
        r.action = a < 0.6 ? 'issued' : a < 0.9 ? 'gradeChanged' : 'revoked';
        r.category = pick([
          'visual',
          'hearing',
          'speech',
          'physical',
          'physical',
          'intellectual',
          'mental',
          'multiple',
        ]);
        if (r.action !== 'revoked' || chance(0.5)) r.grade = 1 + Math.floor(rand() * 4);
        break;
      }
      case 'emergencyManagement':
        r.disasterType = pick([
          'flood',
          'flood',
          'drought',
          'earthquake',
          'typhoon',
          'landslide',
          'fire',
          'other',
        ]);
        if (chance(0.6)) {
          r.eventType = 'disasterVictim';
          if (chance(0.7)) r.directLoss = money(rand() ** 2 * 30_000);
        } else {
          r.eventType = 'homeDamaged';
          r.damageLevel = pick([
            'collapsed',
            'severe',
            'severe',
            'moderate',
            'moderate',
            'minor',
            'minor',
            'minor',
          ]);
          if (chance(0.5)) r.directLoss = money(rand() ** 2 * 80_000);
        }
        break;
      case 'ruralAffairs':
        r.status = chance(0.6) ? 'identified' : 'riskEliminated';
        if (chance(0.8))
          r.riskCause = pick([
            'illness',
            'illness',
            'disability',
            'schooling',
            'unemployment',
            'disaster',
            'accident',
            'other',
          ]);
        break;
    }
    return r;
  };

  /** Breaks a record on purpose; returns false when the break is a column-count one (written raw). */
  const malform = (
    feed: FeedName,
    r: Record<string, string | number | boolean | undefined>,
    w: LineWriter,
  ): boolean => {
    const k = Math.floor(rand() * 7);
    const id = String(r.idNumber);
    switch (k) {
      case 0: {
        // Wrong check character.
        const c = id[17] === '0' ? '1' : '0';
        r.idNumber = id.slice(0, 17) + c;
        return true;
      }
      case 1:
        r.eventDate = `${asOf.slice(0, 4)}-02-30`;
        return true;
      case 2: {
        const money = columns[feed].find((c) => feedFieldKinds.get(c) === 'number' && r[c] !== undefined);
        // A negative amount (never "-0.00", which is a valid zero).
        if (money) r[money] = `-${(Number(r[money]) + 1).toFixed(2)}`;
        else r.regionCode = '43012';
        return true;
      }
      case 3: {
        const money = columns[feed].find((c) => feedFieldKinds.get(c) === 'number' && r[c] !== undefined);
        if (money) r[money] = 'abc';
        else r.eventDate = '2026/01/01';
        return true;
      }
      case 4: {
        const e = feedDefinitions[feed].fields.find((f) => f.type.kind === 'enum' && r[f.name] !== undefined);
        if (e) r[e.name] = 'unknownValue';
        else r.recordId = '非法编号';
        return true;
      }
      case 5:
        r.idNumber = undefined;
        return true;
      default:
        if (format === 'csv') {
          w.line(
            columns[feed]
              .slice(0, -1)
              .map((c) => (r[c] === undefined ? '' : String(r[c])))
              .join(','),
          );
        } else {
          w.line(`{"recordId":"${String(r.recordId)}","idNumber":`);
        }
        return false;
    }
  };

  const emit = async (feed: FeedName, idNumber: string, regionCode: string, outsider: boolean) => {
    const r = feedRecord(feed, idNumber, regionCode);
    const s = stats[feed];
    s.rows++;
    if (outsider) s.outsiders++;
    const w = writers[feed];
    if (chance(0.003)) {
      s.malformed++;
      if (!malform(feed, r, w)) return;
    } else if (chance(0.002)) {
      s.future++;
      r.eventDate = new Date(asOfMs + (1 + Math.floor(rand() * 30)) * 86_400_000).toISOString().slice(0, 10);
    }
    write(w, columns[feed], r);
  };

  let persons = 0;
  let outsiders = 0;
  let previousFirstMember: string | undefined;
  for (let h = 0; h < households; h++) {
    const region = weighted(REGIONS);
    const tier = weighted(TIERS);
    const size =
      tier === 'tekun' ? (chance(0.1) ? 2 : 1) : tier === 'singlePersonDibao' ? 1 : weighted(SIZES);
    const status =
      tier === 'none'
        ? chance(0.7)
          ? 'monitoring'
          : 'exited'
        : (tier === 'dibao' || tier === 'singlePersonDibao') && chance(0.08)
          ? 'gradualExit'
          : 'active';
    const perCapita =
      tier === 'tekun'
        ? rand() * 300
        : tier === 'dibao' || tier === 'singlePersonDibao'
          ? rand() * 800
          : tier === 'marginal'
            ? 800 + rand() * 500
            : tier === 'rigidExpense'
              ? 1_000 + rand() * 2_000
              : tier === 'none'
                ? 1_000 + rand() * 3_000
                : 300 + rand() * 1_700;
    const assistance: AssistanceType[] = [];
    if (tier === 'dibao' || tier === 'singlePersonDibao') assistance.push('dibaoAllowance');
    if (tier === 'tekun') assistance.push('tekunSupport');
    // 0.2% of 低保 households also draw 特困供养金: duplicate assistance.
    if (tier === 'dibao' && chance(0.002)) assistance.push('tekunSupport');
    if (tier !== 'none') {
      if (chance(0.25)) assistance.push('medicalAssistance');
      if (size >= 3 && chance(0.35)) assistance.push('educationAid');
      if (chance(0.08)) assistance.push('disabilityAllowance');
      if (chance(0.03)) assistance.push('employmentAssistance');
      if (chance(0.05)) assistance.push('temporaryAssistance');
      if (chance(0.02)) assistance.push('housingAssistance');
    }
    const members: string[] = [];
    for (let m = 0; m < size; m++) members.push(personId(region, persons++, 0));
    // 0.05% of households also list the previous household's first member: one person, two households.
    if (previousFirstMember && chance(0.0005) && !members.includes(previousFirstMember))
      members.push(previousFirstMember);
    previousFirstMember = members[0];

    const householdId = `H${String(h + 1).padStart(9, '0')}`;
    const caseId = tier === 'none' && chance(0.1) ? undefined : `C${String(h + 1).padStart(9, '0')}`;
    const record = {
      householdId,
      caseId,
      regionCode: region,
      tier,
      status,
      perCapitaMonthlyIncome: money(perCapita),
      members,
      assistance,
    };
    if (format === 'csv') {
      registerWriter.line(
        [
          householdId,
          caseId ?? '',
          region,
          tier,
          status,
          record.perCapitaMonthlyIncome,
          members.join(';'),
          assistance.join(';'),
        ].join(','),
      );
    } else {
      registerWriter.line(
        JSON.stringify({ ...record, perCapitaMonthlyIncome: Number(record.perCapitaMonthlyIncome) }),
      );
    }

    for (const id of members) {
      for (const feed of feedNames) {
        if (!chance(RATES[feed])) continue;
        // Most records come from the household's county; some from where the person happened to be.
        await emit(feed, id, chance(0.95) ? region : weighted(REGIONS), false);
      }
    }
    // People not on the register: about one row in six overall.
    if (chance(0.2)) {
      const feed = pick(feedNames);
      const r = weighted(REGIONS);
      await emit(feed, personId(r, outsiders++ % (99 * BIRTH_DAYS), OUTSIDER_SERIAL), r, true);
    }

    if ((h & 1023) === 0) {
      await registerWriter.flushIfFull();
      for (const feed of feedNames) await writers[feed].flushIfFull();
    }
    if (opts.onProgress && (h + 1) % 50_000 === 0) opts.onProgress(h + 1, households);
  }

  await registerWriter.close();
  for (const feed of feedNames) await writers[feed].close();
  const manifest: GenerateManifest = {
    version: GENERATOR_VERSION,
    households,
    persons,
    format,
    seed,
    asOf,
    register: `register.${ext}`,
    feeds: stats,
  };
  writeFileSync(resolve(opts.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

const FEED_PREFIX: Record<FeedName, string> = {
  health: 'WJ',
  medicalInsurance: 'YB',
  education: 'JY',
  humanResources: 'RS',
  disability: 'CL',
  emergencyManagement: 'YJ',
  ruralAffairs: 'NY',
};

/** Which columns carry numbers (written as JSON numbers in JSON Lines). */
const feedFieldKinds = new Map<string, 'number' | 'other'>();
for (const feed of feedNames)
  for (const f of feedDefinitions[feed].fields)
    feedFieldKinds.set(f.name, f.type.kind === 'yuan' || f.type.kind === 'grade' ? 'number' : 'other');

function parseArgs(argv: string[]): GenerateOptions {
  const opts: GenerateOptions = { households: 0, out: '.doudi/generated' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} 缺少取值`);
      return v;
    };
    if (a === '--households') opts.households = Number(value().replaceAll('_', ''));
    else if (a === '--out') opts.out = value();
    else if (a === '--format') {
      const f = value();
      if (f !== 'csv' && f !== 'jsonl') throw new Error('--format 应为 csv 或 jsonl');
      opts.format = f;
    } else if (a === '--seed') opts.seed = Number(value());
    else if (a === '--as-of') opts.asOf = value();
    else throw new Error(`未知参数 ${a}`);
  }
  return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  let opts: GenerateOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
    if (!Number.isSafeInteger(opts.households) || opts.households < 1)
      throw new Error('须指定 --households N（正整数）');
  } catch (error) {
    console.error(
      `${(error as Error).message}\n用法：npm run generate -- --households N [--out DIR] [--format csv|jsonl] [--seed S] [--as-of YYYY-MM-DD]`,
    );
    process.exit(2);
  }
  const started = performance.now();
  const manifest = await generateMonitoringData({
    ...opts,
    onProgress: (done, total) =>
      process.stderr.write(
        `生成中：${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} 户（${Math.round((done / total) * 100)}%）\n`,
      ),
  });
  const rows = Object.values(manifest.feeds).reduce((s, f) => s + f.rows, 0);
  console.log(
    `已写入 ${resolve(opts.out)}：${manifest.households.toLocaleString('en-US')} 户、${manifest.persons.toLocaleString('en-US')} 人，` +
      `部门数据 ${rows.toLocaleString('en-US')} 行（${((performance.now() - started) / 1000).toFixed(1)} 秒）`,
  );
  for (const s of Object.values(manifest.feeds))
    console.log(
      `  ${s.file}: ${s.rows.toLocaleString('en-US')} 行（名单外 ${s.outsiders}，故意不合格 ${s.malformed}，日期晚于比对日 ${s.future}）`,
    );
}
