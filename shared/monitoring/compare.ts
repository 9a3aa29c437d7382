/**
 * 数据比对: each department row is matched to the low-income register (低收入人口名单) by ID number and
 * the region's indicators (indicators.ts) decide which warnings it raises — for a household inside
 * assistance (is the help still right? is something missing?) and for a person outside it (疑似漏保:
 * might they now qualify?). Duplicate assistance (重复救助) is found from the register itself.
 *
 * Pure core: `evaluate` decides one row; `registerDuplicateWarnings` sweeps the register; the driver
 * (`compareFeed`, `runMonitoring`) streams a feed through them with bounded memory — only the register
 * index is held (typed columns and an open-addressing table, ~60 bytes a person), feeds are read line
 * by line (chunks of 64–256 KiB keep the heap small: a chunk's lines die young). A Lambda backs the
 * register with DynamoDB through a `RegisterLookup` instead.
 *
 * A warning carries no personal data the receiving department does not need: the ID number is masked
 * (maskIdNumber), names and incomes are not copied; the department finds the person by the source
 * department's record number (feed + recordId) or the household id.
 */
import { createHash, hash } from 'node:crypto';
import { maskIdNumber } from '../domain/id-number.ts';
import { compareProducts, toBasisPoints, toFen } from '../rules/economics.ts';
import {
  type Department,
  damageLevels,
  departmentLabels,
  departments,
  type FeedFormat,
  type FeedName,
  type FeedRows,
  feedDefinitions,
  type LineSource,
  lineBatches,
  RecordDecoder,
  type RecordDefinition,
  type Rejection,
  schoolStages,
} from './feeds/index.ts';
import {
  type AssistanceType,
  assistanceTypeLabels,
  assistanceTypes,
  IndicatorBook,
  type IndicatorId,
  type IndicatorSet,
  IndicatorsNotFoundError,
  type IndicatorVersion,
  indicatorDefinitions,
  type RegisterStatus,
  type RegisterTier,
  type RiskType,
  registerStatuses,
  registerStatusLabels,
  registerTierLabels,
  registerTiers,
  riskTypeLabels,
  riskTypes,
} from './indicators.ts';

// ── the register ─────────────────────────────────────────────────────────────────────────────────

/** Another household that lists the same person (a person should be in one household only). */
export interface OtherHousehold {
  householdId: string;
  caseId: string | null;
  regionCode: string;
  tier: RegisterTier;
  status: RegisterStatus;
}

/** What the register knows of a person's household. */
export interface RegisterEntry {
  householdId: string;
  caseId: string | null;
  /** The household's county: its indicators apply. */
  regionCode: string;
  tier: RegisterTier;
  status: RegisterStatus;
  memberCount: number;
  /** The members' ID numbers, where the source keeps them (the compact index keeps only the count). */
  memberIds?: readonly string[];
  /** 家庭人均月收入（元） at the last determination or recheck. */
  perCapitaMonthlyIncome: number;
  /** 正在享受的救助项目 */
  assistance: readonly AssistanceType[];
  /** Other households on the register that also list this person. */
  alsoIn?: readonly OtherHousehold[];
}

/** Finds a person's household; a Lambda backs it with DynamoDB (a person → household item). */
export type RegisterLookup = (
  idNumber: string,
) => RegisterEntry | undefined | Promise<RegisterEntry | undefined>;

/** A household as the register export (CSV or JSON Lines) has it. */
export interface RegisterRecord {
  householdId: string;
  caseId?: string | undefined;
  regionCode: string;
  tier: RegisterTier;
  status: RegisterStatus;
  perCapitaMonthlyIncome: number;
  members: string[];
  assistance?: AssistanceType[] | undefined;
}

/**
 * The register export: one household per line; in CSV `members` and `assistance` are `;`-separated.
 * Columns: householdId,caseId,regionCode,tier,status,perCapitaMonthlyIncome,members,assistance.
 */
export const registerDefinition: RecordDefinition<RegisterRecord> = {
  name: 'register',
  fields: [
    {
      name: 'householdId',
      label: '户编号',
      type: { kind: 'recordId' },
      required: true,
      description: '家庭（户）编号',
    },
    {
      name: 'caseId',
      label: '案件编号',
      type: { kind: 'recordId' },
      required: false,
      description: '救助案件编号（一户一条救助链）',
    },
    {
      name: 'regionCode',
      label: '行政区划代码',
      type: { kind: 'regionCode' },
      required: true,
      description: '家庭所在县级行政区划代码',
    },
    {
      name: 'tier',
      label: '救助类别',
      type: { kind: 'enum', values: registerTierLabels },
      required: true,
      description: '救助类别；none 为在册但未在保',
    },
    {
      name: 'status',
      label: '状态',
      type: { kind: 'enum', values: registerStatusLabels },
      required: true,
      description: '在保、渐退期、退出后监测、已退出、已终止',
    },
    {
      name: 'perCapitaMonthlyIncome',
      label: '家庭人均月收入',
      type: { kind: 'yuan' },
      required: true,
      description: '最近一次认定或核查的家庭人均月收入（元）',
    },
    {
      name: 'members',
      label: '家庭成员',
      type: { kind: 'idNumberList' },
      required: true,
      description: '家庭成员身份证号码',
    },
    {
      name: 'assistance',
      label: '救助项目',
      type: { kind: 'enumList', values: assistanceTypeLabels },
      required: false,
      description: '正在享受的救助项目',
    },
  ],
  check: (r) => {
    // Households are small: a double loop beats allocating a Set per line.
    const m = r.members;
    for (let i = 1; i < m.length; i++)
      for (let j = 0; j < i; j++)
        if (m[i] === m[j]) return { field: 'members', message: '家庭成员身份证号码重复' };
    return undefined;
  },
};

/** Inside assistance: covered in a tier, and either in payment or in its gradual exit. */
export function isInside(e: Pick<RegisterEntry, 'tier' | 'status'>): boolean {
  return e.tier !== 'none' && (e.status === 'active' || e.status === 'gradualExit');
}

const ASSISTANCE_BIT = new Map<string, number>(assistanceTypes.map((a, i) => [a, 1 << i]));
const TIER_INDEX = new Map<string, number>(registerTiers.map((t, i) => [t, i]));
const STATUS_INDEX = new Map<string, number>(registerStatuses.map((s, i) => [s, i]));
/** Decoded assistance lists, shared per bit pattern (entries never mutate them). */
const assistanceLists: Array<readonly AssistanceType[] | undefined> = [];
function assistanceList(mask: number): readonly AssistanceType[] {
  let list = assistanceLists[mask];
  if (!list) {
    list = Object.freeze(assistanceTypes.filter((_, i) => (mask & (1 << i)) !== 0));
    assistanceLists[mask] = list;
  }
  return list;
}

/** The first 17 digits of an ID number as two integers (the 18th is their check character). */
function idHigh(id: string): number {
  let n = 0;
  for (let i = 0; i < 9; i++) n = n * 10 + (id.charCodeAt(i) - 48);
  return n;
}
function idLow(id: string): number {
  let n = 0;
  for (let i = 9; i < 17; i++) n = n * 10 + (id.charCodeAt(i) - 48);
  return n;
}

/**
 * The register in memory, compactly: households in typed columns, persons in an open-addressing table
 * keyed by the ID number's 17 digits (two int32s) → household. A person listed by more than one
 * household is kept apart (rare) and looked up under their primary household: the one inside
 * assistance, else the smallest household id — so the choice does not depend on file order.
 */
export class RegisterIndex {
  /**
   * Household and case ids as ASCII bytes in one buffer (validated ids are ASCII): a million JS strings
   * would cost ~100 MB of heap and GC marking, and a string cut from a read chunk may keep the whole
   * chunk alive. Per household: where each id starts and its length (255: no case id).
   */
  private idBytes = Buffer.allocUnsafe(1 << 20);
  private idEnd = 0;
  private householdAt = new Int32Array(1024);
  private householdLength = new Uint8Array(1024);
  private caseAt = new Int32Array(1024);
  private caseLength = new Uint8Array(1024);
  private count = 0;
  private region = new Uint16Array(1024);
  private tier = new Uint8Array(1024);
  private status = new Uint8Array(1024);
  private members = new Uint16Array(1024);
  private perCapitaFen = new Float64Array(1024);
  private assistance = new Uint16Array(1024);
  private readonly regions: string[] = [];
  private readonly regionIndex = new Map<string, number>();

  /**
   * Open addressing, linear probing, load ≤ ½: per slot three int32s side by side — the ID's first nine
   * digits, its next eight, and household + 1 (0 empty; negative: the person is in several households,
   * see `multi`) — so a probe touches one cache line.
   */
  private table: Int32Array;
  private mask: number;
  private readonly multi = new Map<string, number[]>();
  private personCount = 0;

  /**
   * `expectedPersons` sizes the person table up front (e.g. from the export's byte size, ~40 bytes a
   * person in CSV): each doubling on the way re-inserts every person, which costs a national run seconds.
   */
  constructor(expectedPersons = 0) {
    let slots = 1 << 16;
    while (slots < expectedPersons * 2) slots *= 2;
    this.table = new Int32Array(slots * 3);
    this.mask = slots - 1;
  }

  get households(): number {
    return this.count;
  }
  get persons(): number {
    return this.personCount;
  }

  /**
   * Adds a household; returns why it cannot be added, else undefined. Household ids are the register's
   * key and so unique; a line repeating one (an export fault) is refused when its first member is
   * already listed under that household id (cheaper than a Set of a million ids, which costs ~0.7 s).
   */
  add(record: RegisterRecord): string | undefined {
    const h = this.count;
    if (!isShortAscii(record.householdId) || (record.caseId != null && !isShortAscii(record.caseId)))
      return '字段 householdId（户编号）：户编号、案件编号应为1–64位字母、数字或 _ . : -';
    // Room for every member first, so that the first member's slot found here stays valid for its insert.
    while ((this.personCount + record.members.length) * 2 > this.mask + 1) this.rehash();
    const first = record.members[0];
    const firstSlot = first === undefined ? -1 : this.slotOf(idHigh(first), idLow(first));
    if (first !== undefined && this.repeats(first, firstSlot, record.householdId, h))
      return `字段 householdId（户编号）：户编号 ${record.householdId} 重复`;
    if (h === this.region.length) this.growHouseholds();
    this.count++;
    this.householdAt[h] = this.putId(record.householdId);
    this.householdLength[h] = record.householdId.length;
    if (record.caseId == null) this.caseLength[h] = 255;
    else {
      this.caseAt[h] = this.putId(record.caseId);
      this.caseLength[h] = record.caseId.length;
    }
    let r = this.regionIndex.get(record.regionCode);
    if (r === undefined) {
      r = this.regions.length;
      this.regions.push(record.regionCode);
      this.regionIndex.set(record.regionCode, r);
    }
    this.region[h] = r;
    this.tier[h] = TIER_INDEX.get(record.tier)!;
    this.status[h] = STATUS_INDEX.get(record.status)!;
    this.members[h] = Math.min(record.members.length, 65_535);
    this.perCapitaFen[h] = toFen(record.perCapitaMonthlyIncome);
    let bits = 0;
    for (const a of record.assistance ?? []) bits |= ASSISTANCE_BIT.get(a)!;
    this.assistance[h] = bits;
    const members = record.members;
    for (let i = 0; i < members.length; i++) this.addPerson(members[i]!, h, i === 0 ? firstSlot : -1);
    return undefined;
  }

  /** Whether the first member is already in the index under the same household id (a repeated line). */
  private repeats(id: string, slot: number, householdId: string, h: number): boolean {
    const v = this.table[slot + 2]!;
    if (v === 0) return false;
    if (v > 0) return this.householdIdOf(v - 1) === householdId;
    return (this.multi.get(id) ?? []).some((o) => o !== h && this.householdIdOf(o) === householdId);
  }

  private putId(id: string): number {
    const at = this.idEnd;
    if (at + id.length > this.idBytes.length) {
      const bigger = Buffer.allocUnsafe(this.idBytes.length * 2);
      this.idBytes.copy(bigger, 0, 0, at);
      this.idBytes = bigger;
    }
    for (let i = 0; i < id.length; i++) this.idBytes[at + i] = id.charCodeAt(i);
    this.idEnd = at + id.length;
    return at;
  }

  private householdIdOf(h: number): string {
    const at = this.householdAt[h]!;
    return this.idBytes.toString('latin1', at, at + this.householdLength[h]!);
  }

  private caseIdOf(h: number): string | null {
    const length = this.caseLength[h]!;
    if (length === 255) return null;
    const at = this.caseAt[h]!;
    return this.idBytes.toString('latin1', at, at + length);
  }

  private growHouseholds(): void {
    const grow = <T extends Int32Array | Uint16Array | Uint8Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.householdAt = grow(this.householdAt);
    this.householdLength = grow(this.householdLength);
    this.caseAt = grow(this.caseAt);
    this.caseLength = grow(this.caseLength);
    this.region = grow(this.region);
    this.tier = grow(this.tier);
    this.status = grow(this.status);
    this.members = grow(this.members);
    this.perCapitaFen = grow(this.perCapitaFen);
    this.assistance = grow(this.assistance);
  }

  /** The slot (×3) holding the key, or the empty slot where it would go. */
  private slotOf(hi: number, lo: number): number {
    let x = Math.imul(hi ^ (lo >>> 15), 0x9e3779b1) ^ Math.imul(lo, 0x85ebca77);
    x ^= x >>> 15;
    x = Math.imul(x, 0x2c1b3c6d);
    x ^= x >>> 12;
    const t = this.table;
    const mask = this.mask;
    let s = x & mask;
    for (;;) {
      const at = s * 3;
      if (t[at + 2] === 0 || (t[at] === hi && t[at + 1] === lo)) return at;
      s = (s + 1) & mask;
    }
  }

  /** `slot`: the key's slot if already probed (capacity already ensured by `add`), else −1. */
  private addPerson(id: string, h: number, slot: number): void {
    const hi = idHigh(id);
    const lo = idLow(id);
    const at = slot >= 0 ? slot : this.slotOf(hi, lo);
    const t = this.table;
    const current = t[at + 2]!;
    if (current === 0) {
      t[at] = hi;
      t[at + 1] = lo;
      t[at + 2] = h + 1;
      this.personCount++;
      return;
    }
    const primary = Math.abs(current) - 1;
    let all = this.multi.get(id);
    if (!all) {
      all = [primary];
      this.multi.set(id, all);
    }
    if (all.includes(h)) return;
    all.push(h);
    const best = this.preferred(primary, h) ? primary : h;
    t[at + 2] = -(best + 1);
  }

  /** Whether household `a` rather than `b` is a shared person's primary household. */
  private preferred(a: number, b: number): boolean {
    const ia = this.insideAt(a);
    const ib = this.insideAt(b);
    if (ia !== ib) return ia;
    return this.householdIdOf(a) < this.householdIdOf(b);
  }

  private insideAt(h: number): boolean {
    const status = this.status[h]!;
    return this.tier[h]! !== TIER_NONE && (status === STATUS_ACTIVE || status === STATUS_GRADUAL_EXIT);
  }

  private rehash(): void {
    const old = this.table;
    const slots = (this.mask + 1) * 2;
    this.table = new Int32Array(slots * 3);
    this.mask = slots - 1;
    for (let at = 0; at < old.length; at += 3) {
      if (old[at + 2] === 0) continue;
      const to = this.slotOf(old[at]!, old[at + 1]!);
      this.table[to] = old[at]!;
      this.table[to + 1] = old[at + 1]!;
      this.table[to + 2] = old[at + 2]!;
    }
  }

  /** The person's household (a valid ID number is assumed: rows are validated before lookup). */
  lookup(idNumber: string): RegisterEntry | undefined {
    if (idNumber.length !== 18) return undefined;
    return this.entryFor(idNumber, this.table[this.slotOf(idHigh(idNumber), idLow(idNumber)) + 2]!);
  }

  /** The entry for a slot's value: 0 absent, h + 1, or −(primary + 1) for a person in several households. */
  private entryFor(idNumber: string, v: number): RegisterEntry | undefined {
    if (v === 0) return undefined;
    if (v > 0) return this.entry(v - 1);
    const primary = -v - 1;
    const entry = this.entry(primary) as { alsoIn?: OtherHousehold[] } & RegisterEntry;
    entry.alsoIn = (this.multi.get(idNumber) ?? []).filter((h) => h !== primary).map((h) => this.other(h));
    return entry;
  }

  /** Bound `lookup`, as a `RegisterLookup`. */
  readonly lookupFn: RegisterLookup = (id) => this.lookup(id);

  entry(h: number): RegisterEntry {
    return {
      householdId: this.householdIdOf(h),
      caseId: this.caseIdOf(h),
      regionCode: this.regions[this.region[h]!]!,
      tier: registerTiers[this.tier[h]!]!,
      status: registerStatuses[this.status[h]!]!,
      memberCount: this.members[h]!,
      perCapitaMonthlyIncome: this.perCapitaFen[h]! / 100,
      assistance: assistanceList(this.assistance[h]!),
    };
  }

  private other(h: number): OtherHousehold {
    return {
      householdId: this.householdIdOf(h),
      caseId: this.caseIdOf(h),
      regionCode: this.regions[this.region[h]!]!,
      tier: registerTiers[this.tier[h]!]!,
      status: registerStatuses[this.status[h]!]!,
    };
  }

  /** Every household, in the order added. */
  *entries(): Generator<RegisterEntry> {
    for (let h = 0; h < this.count; h++) yield this.entry(h);
  }

  /** Persons listed by more than one household: ID number → the households (primary first). */
  *sharedPersons(): Generator<{ idNumber: string; households: RegisterEntry[] }> {
    for (const [idNumber, hs] of this.multi) {
      const entries = hs.map((h) => this.entry(h));
      const primary = this.lookup(idNumber)!.householdId;
      entries.sort((a, b) => (a.householdId === primary ? -1 : b.householdId === primary ? 1 : 0));
      yield { idNumber, households: entries };
    }
  }

  static async from(
    records: Iterable<RegisterRecord> | AsyncIterable<RegisterRecord>,
  ): Promise<RegisterIndex> {
    const index = new RegisterIndex();
    for await (const r of records) {
      const problem = index.add(r);
      if (problem) throw new Error(problem);
    }
    return index;
  }
}

/** 1–254 ASCII characters: what the id buffer can hold (validated ids are 1–64 of `[A-Za-z0-9_.:-]`). */
function isShortAscii(s: string): boolean {
  if (s.length === 0 || s.length > 254) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

const TIER_NONE = TIER_INDEX.get('none')!;
const STATUS_ACTIVE = STATUS_INDEX.get('active')!;
const STATUS_GRADUAL_EXIT = STATUS_INDEX.get('gradualExit')!;

export interface RegisterLoad {
  index: RegisterIndex;
  lines: number;
  blank: number;
  households: number;
  rejected: number;
}

/** Reads a register export into an index; bad lines go to `onRejection` and are left out. */
export async function loadRegister(
  source: LineSource,
  format: FeedFormat,
  options: {
    onRejection?: (r: Rejection) => void | Promise<void>;
    onProgress?: (lines: number) => void;
    /** See `RegisterIndex`'s constructor. */
    expectedPersons?: number;
  } = {},
): Promise<RegisterLoad> {
  const { onRejection = () => {}, onProgress } = options;
  const index = new RegisterIndex(options.expectedPersons);
  const decoder = new RecordDecoder(registerDefinition, format);
  let rejected = 0;
  for await (const lines of lineBatches(source)) {
    for (let i = 0; i < lines.length; i++) {
      const item = decoder.push(lines[i]!);
      if (!item) continue;
      const problem = item.ok ? index.add(item.row) : item.reason;
      if (problem) {
        rejected++;
        const x = onRejection({ line: item.line, reason: problem });
        if (isThenable(x)) await x;
      }
    }
    onProgress?.(decoder.lines);
  }
  return { index, lines: decoder.lines, blank: decoder.blank, households: index.households, rejected };
}

// ── warnings ─────────────────────────────────────────────────────────────────────────────────────

export type WarningSource = FeedName | 'register';

export interface Warning {
  /** Deterministic: the same row, rule and household give the same id in every run (idempotent push). */
  warningId: string;
  riskType: RiskType;
  /** For an omission candidate, the risk that made them one (因病、因残…); otherwise null. */
  cause: RiskType | null;
  /** The indicator (or `omission.<indicator>`, `duplicateAssistance.<kind>`) that raised it. */
  ruleId: string;
  /** 分类推送：the department whose queue receives it. */
  department: Department;
  /** 需乡镇（街道）入户核查 */
  homeCheck: boolean;
  /** inside: the household is in assistance; outside: it is not (or the person is not on the register). */
  scope: 'inside' | 'outside';
  householdId: string | null;
  caseId: string | null;
  /** The county whose indicators applied: the household's, else where the event was recorded. */
  regionCode: string;
  source: WarningSource;
  /** The source department's record number; null for a register finding. */
  recordId: string | null;
  eventDate: string | null;
  /** The person, masked (110101********123X); null for a finding about a whole household. */
  subject: string | null;
  /** In Chinese, with the values compared, the thresholds and the clause. */
  message: string;
  clause: string;
  /** The indicator versions applied. */
  indicatorVersion: string;
  sampleData: boolean;
  asOf: string;
}

/** sha256 over the identity, as `wrn-` and 24 hex digits (the same recipe in the DuckDB benchmark). */
export function warningId(
  source: WarningSource,
  identity: string,
  ruleId: string,
  householdId: string | null,
): string {
  const text = `${source}|${identity}|${ruleId}|${householdId ?? '-'}`;
  // crypto.hash (Node ≥ 21.7) is the one-shot form, several times cheaper than a Hash object.
  const digest =
    typeof hash === 'function'
      ? hash('sha256', text, 'hex')
      : createHash('sha256').update(text).digest('hex');
  return `wrn-${digest.slice(0, 24)}`;
}

/**
 * An order-independent checksum of warning ids: the sum of each id's last 13 hex digits (52 bits),
 * as a decimal string. Two runs with the same warnings, in any order, give the same checksum.
 */
export class WarningChecksum {
  private high = 0;
  private low = 0;
  count = 0;

  add(id: string): void {
    const tail = Number.parseInt(id.slice(-13), 16);
    // Split in two 26-bit halves so both sums stay exact up to 2^27 warnings.
    this.high += Math.floor(tail / 2 ** 26);
    this.low += tail % 2 ** 26;
    this.count++;
  }

  get value(): string {
    return (BigInt(this.high) * 2n ** 26n + BigInt(this.low)).toString();
  }
}

/** 12,345.67元 — by hand: Intl formatting costs microseconds a call, and warnings are made by the million. */
function yuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  const whole = String(Math.floor(abs / 100));
  const cents = abs % 100;
  let grouped = '';
  for (let i = whole.length; i > 0; i -= 3)
    grouped = whole.slice(Math.max(0, i - 3), i) + (grouped ? `,${grouped}` : '');
  return `${sign}${grouped}.${cents < 10 ? '0' : ''}${cents}元`;
}
const percentText = (ratio: number): string => `${Math.round(ratio * 10_000) / 100}%`;

function householdText(e: RegisterEntry): string {
  return `户 ${e.householdId}（${registerTierLabels[e.tier]}，${registerStatusLabels[e.status]}）`;
}

function sampleNote(set: IndicatorSet): string {
  return set.sampleData ? '（示例数据，不得用于实际决定）' : '';
}

// ── evaluation ───────────────────────────────────────────────────────────────────────────────────

const cutoffs = new WeakMap<IndicatorSet, string>();
/** The earliest event date that still raises a warning: asOf − lookbackDays. */
function cutoffOf(set: IndicatorSet): string {
  let c = cutoffs.get(set);
  if (c === undefined) {
    const t = Date.parse(`${set.asOf}T00:00:00Z`) - set.lookbackDays * 86_400_000;
    c = new Date(t).toISOString().slice(0, 10);
    cutoffs.set(set, c);
  }
  return c;
}

/** Why a row raised nothing, or what it raised: the driver counts these. */
export type Outcome = 'stale' | 'future' | 'evaluated';

interface Trigger {
  indicator: IndicatorId;
  /** What the record shows and the threshold it crossed. */
  detail: string;
}

/** Which indicator a row can trigger, and the finding if it does. */
function trigger(
  feed: FeedName,
  row: FeedRows[FeedName],
  entry: RegisterEntry | undefined,
  set: IndicatorSet,
): Trigger | undefined {
  switch (feed) {
    case 'medicalInsurance': {
      const r = row as FeedRows['medicalInsurance'];
      const v = set.illnessOutOfPocket;
      const oop = toFen(r.outOfPocket);
      const line = toFen(v.minOutOfPocket);
      if (oop >= line)
        return {
          indicator: 'illnessOutOfPocket',
          detail: `医保结算个人自付${yuanText(oop)}（总费用${yuanText(toFen(r.totalCost))}），达到监测线${yuanText(line)}`,
        };
      if (v.incomeShare !== null && entry && oop >= toFen(v.incomeShareFloor)) {
        const annual = toFen(entry.perCapitaMonthlyIncome) * entry.memberCount * 12;
        if (compareProducts(oop, 10_000, toBasisPoints(v.incomeShare), annual) > 0)
          return {
            indicator: 'illnessOutOfPocket',
            detail: `医保结算个人自付${yuanText(oop)}，超过家庭年收入${yuanText(annual)}的${percentText(v.incomeShare)}（且不低于${yuanText(toFen(v.incomeShareFloor))}）`,
          };
      }
      return undefined;
    }
    case 'health': {
      const r = row as FeedRows['health'];
      if (r.eventType === 'death')
        return { indicator: 'death', detail: `卫生健康部门登记该成员于${r.eventDate}死亡` };
      const v = set.illnessLargeBill;
      const cost = toFen(r.totalCost ?? 0);
      const line = toFen(v.minTotalCost);
      if (cost >= line)
        return {
          indicator: 'illnessLargeBill',
          detail: `住院总费用${yuanText(cost)}，达到大额医疗费用监测线${yuanText(line)}`,
        };
      if (v.countMajorDisease && r.majorDisease)
        return {
          indicator: 'illnessLargeBill',
          detail: `住院病种属于大病专项救治范围（总费用${yuanText(cost)}）`,
        };
      return undefined;
    }
    case 'education': {
      const r = row as FeedRows['education'];
      if (r.eventType === 'hardshipStudent')
        return {
          indicator: 'schoolingHardship',
          detail: `教育部门认定为家庭经济困难学生（${schoolStages[r.stage]}）`,
        };
      return set.schoolingEnrolment.stages.includes(r.stage)
        ? { indicator: 'schoolingEnrolment', detail: `成员在读${schoolStages[r.stage]}` }
        : undefined;
    }
    case 'humanResources': {
      const r = row as FeedRows['humanResources'];
      if (r.eventType === 'unemploymentRegistration')
        return { indicator: 'unemployment', detail: `人社部门登记该成员于${r.eventDate}失业` };
      const amount = toFen(r.monthlyAmount ?? 0);
      const line = toFen(set.incomeChange.minMonthlyIncome);
      if (amount < line) return undefined;
      const what = r.eventType === 'employment' ? '就业，月工资' : '开始领取养老金，月领取';
      return {
        indicator: 'incomeChange',
        detail: `人社部门登记该成员${what}${yuanText(amount)}，达到收入变化监测线${yuanText(line)}${
          entry
            ? `（登记的家庭人均月收入${yuanText(toFen(entry.perCapitaMonthlyIncome))}，${entry.memberCount}人）`
            : ''
        }`,
      };
    }
    case 'disability': {
      const r = row as FeedRows['disability'];
      if (r.action === 'revoked' || r.grade === undefined || r.grade > set.disability.maxGrade)
        return undefined;
      return {
        indicator: 'disability',
        detail: `残联${r.action === 'issued' ? '发放' : '变更'}残疾人证，残疾等级${r.grade}级（监测线：${set.disability.maxGrade}级及以上重度）`,
      };
    }
    case 'emergencyManagement': {
      const r = row as FeedRows['emergencyManagement'];
      const v = set.disaster;
      if (r.damageLevel !== undefined && v.damageLevels.includes(r.damageLevel))
        return { indicator: 'disaster', detail: `应急管理部门登记住房${damageLevels[r.damageLevel]}` };
      if (v.minDirectLoss !== null && r.directLoss !== undefined) {
        const loss = toFen(r.directLoss);
        const line = toFen(v.minDirectLoss);
        if (loss >= line)
          return {
            indicator: 'disaster',
            detail: `受灾直接经济损失${yuanText(loss)}，达到监测线${yuanText(line)}`,
          };
      }
      return undefined;
    }
    case 'ruralAffairs': {
      const r = row as FeedRows['ruralAffairs'];
      return r.status === 'identified'
        ? { indicator: 'relapseWatchIdentified', detail: '农业农村部门将该成员纳入防止返贫监测' }
        : { indicator: 'relapseWatchEliminated', detail: '农业农村部门标注该成员防止返贫监测风险已消除' };
    }
  }
}

const relapseCauseRisk: Record<string, RiskType> = {
  illness: 'illness',
  disability: 'disability',
  schooling: 'schooling',
  unemployment: 'unemployment',
  disaster: 'disaster',
};

const insideAction: Record<RiskType, string> = {
  illness: '请核实并落实医疗救助等专项救助',
  schooling: '请核实并落实教育救助（学生资助）',
  disability: '请核实并落实残疾人两项补贴',
  unemployment: '请落实就业救助',
  disaster: '请核实并落实受灾人员救助',
  death: '家庭人口变化，请重新核算救助金额',
  incomeChange: '家庭收入可能变化，请核查是否调整或渐退',
  duplicateAssistance: '请核查并纠正重复救助',
  omission: '请核查是否纳入相应救助',
};

/**
 * The warnings one valid row raises. `entry` is what the register knows of the person's household
 * (undefined: not on the register). Rules are resolved for the household's region (else the row's)
 * on `asOf`; throws `IndicatorsNotFoundError` when that region has none. A row dated after `asOf`
 * or older than the look-back raises nothing (the driver reports the former as a rejection).
 */
export function evaluate<F extends FeedName>(
  feed: F,
  row: FeedRows[F],
  entry: RegisterEntry | undefined,
  rules: IndicatorBook,
  asOf: string,
): Warning[] {
  return evaluateRow(feed, row, entry, rules, asOf).warnings;
}

/** `evaluate`, with the outcome the driver counts. */
export function evaluateRow<F extends FeedName>(
  feed: F,
  row: FeedRows[F],
  entry: RegisterEntry | undefined,
  rules: IndicatorBook,
  asOf: string,
): { outcome: Outcome; warnings: Warning[] } {
  const set = rules.resolve(entry ? entry.regionCode : row.regionCode, asOf);
  if (row.eventDate > asOf) return { outcome: 'future', warnings: [] };
  if (row.eventDate < cutoffOf(set)) return { outcome: 'stale', warnings: [] };

  const warnings: Warning[] = [];
  if (entry) duplicateFindings(entry, row.idNumber, set, warnings);

  const t = trigger(feed, row as FeedRows[FeedName], entry, set);
  if (!t) return { outcome: 'evaluated', warnings };
  const def = indicatorDefinitions[t.indicator];
  const v = set[t.indicator];
  const clause = set.clauses[t.indicator];
  const base = {
    householdId: entry?.householdId ?? null,
    caseId: entry?.caseId ?? null,
    regionCode: set.regionCode,
    source: feed,
    recordId: row.recordId,
    eventDate: row.eventDate,
    subject: maskIdNumber(row.idNumber),
    indicatorVersion: set.version,
    sampleData: set.sampleData,
    asOf,
  };

  if (entry && isInside(entry)) {
    if (!v.inside) return { outcome: 'evaluated', warnings };
    if (v.insideTiers !== null && !v.insideTiers.includes(entry.tier))
      return { outcome: 'evaluated', warnings };
    for (const a of v.suppressIfReceiving)
      if (entry.assistance.includes(a)) return { outcome: 'evaluated', warnings };
    const riskType = def.riskType;
    const missing =
      v.suppressIfReceiving.length > 0
        ? `，尚未享受${v.suppressIfReceiving.map((a) => assistanceTypeLabels[a]).join('、')}`
        : '';
    warnings.push({
      ...base,
      warningId: warningId(feed, row.recordId, t.indicator, entry.householdId),
      riskType,
      cause: null,
      ruleId: t.indicator,
      department: v.department,
      homeCheck: v.homeCheck,
      scope: 'inside',
      message:
        `${riskTypeLabels[riskType]}预警（${def.label}）：${t.detail}。${householdText(entry)}${missing}；` +
        `${riskType === 'death' && entry.memberCount <= 1 ? '户内唯一成员已死亡，请终止救助' : insideAction[riskType]}（推送${departmentLabels[v.department]}${v.homeCheck ? '，需乡镇（街道）入户核查' : ''}）。` +
        `依据：${clause}；指标版本 ${set.version}${sampleNote(set)}`,
      clause,
    });
    return { outcome: 'evaluated', warnings };
  }

  if (v.outside !== 'omission') return { outcome: 'evaluated', warnings };
  const o = set.omission;
  const cause =
    def.riskType !== 'omission'
      ? def.riskType
      : feed === 'ruralAffairs'
        ? (relapseCauseRisk[(row as FeedRows['ruralAffairs']).riskCause ?? ''] ?? null)
        : null;
  const where = entry
    ? `所在家庭户 ${entry.householdId} 登记在低收入人口名单，目前不在保（${registerStatusLabels[entry.status]}）`
    : '该人员不在低收入人口名单内';
  const omissionClause = `${set.clauses.omission}；${clause}`;
  warnings.push({
    ...base,
    warningId: warningId(feed, row.recordId, `omission.${t.indicator}`, entry?.householdId ?? null),
    riskType: 'omission',
    cause,
    ruleId: `omission.${t.indicator}`,
    department: o.department,
    homeCheck: o.homeCheck,
    scope: 'outside',
    message:
      `疑似漏保${cause ? `（${riskTypeLabels[cause]}）` : ''}：${t.detail}；${where}。` +
      `请${departmentLabels[o.department]}${o.homeCheck ? '会同乡镇（街道）入户核查' : '核实'}是否符合救助条件，符合的及时纳入。` +
      `依据：${omissionClause}；指标版本 ${set.version}${sampleNote(set)}`,
    clause: omissionClause,
  });
  return { outcome: 'evaluated', warnings };
}

// ── duplicate assistance ─────────────────────────────────────────────────────────────────────────

/**
 * 重复救助 visible from one register entry: the person is also in another covered household, or the
 * household receives two kinds of help that exclude each other. The ids do not depend on the row, so
 * every row of such a household gives the same warning and the sweep below gives it too.
 */
function duplicateFindings(entry: RegisterEntry, idNumber: string, set: IndicatorSet, out: Warning[]): void {
  if (!isInside(entry)) return;
  if (entry.alsoIn && entry.alsoIn.length > 0) {
    const inside = entry.alsoIn.filter(isInside);
    if (inside.length > 0) out.push(membershipWarning([entry, ...inside], idNumber, set));
  }
  const exclusive = exclusivePairsOf(entry.assistance, set);
  if (exclusive.length > 0) out.push(exclusiveWarning(entry, exclusive, set));
}

function exclusivePairsOf(
  assistance: readonly AssistanceType[],
  set: IndicatorSet,
): Array<[AssistanceType, AssistanceType]> {
  const pairs: Array<[AssistanceType, AssistanceType]> = [];
  for (const pair of set.duplicateAssistance.exclusivePairs)
    if (assistance.includes(pair[0]) && assistance.includes(pair[1])) pairs.push(pair);
  return pairs;
}

function membershipWarning(
  households: ReadonlyArray<Pick<RegisterEntry, 'householdId' | 'caseId' | 'tier' | 'status'>>,
  idNumber: string,
  set: IndicatorSet,
): Warning {
  const sorted = [...households].sort((a, b) =>
    a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0,
  );
  const first = sorted[0]!;
  const ids = sorted.map((h) => h.householdId);
  const d = set.duplicateAssistance;
  const clause = set.clauses.duplicateAssistance;
  return {
    warningId: warningId('register', ids.join('+'), 'duplicateAssistance.membership', first.householdId),
    riskType: 'duplicateAssistance',
    cause: null,
    ruleId: 'duplicateAssistance.membership',
    department: d.department,
    homeCheck: d.homeCheck,
    scope: 'inside',
    householdId: first.householdId,
    caseId: first.caseId,
    regionCode: set.regionCode,
    source: 'register',
    recordId: null,
    eventDate: null,
    subject: maskIdNumber(idNumber),
    message: `重复救助预警：同一人员同时登记在${sorted.length}个在保家庭（${sorted
      .map((h) => `户 ${h.householdId}：${registerTierLabels[h.tier]}`)
      .join('；')}）。${insideAction.duplicateAssistance}（推送${departmentLabels[d.department]}${
      d.homeCheck ? '，需乡镇（街道）入户核查' : ''
    }）。依据：${clause}；指标版本 ${set.version}${sampleNote(set)}`,
    clause,
    indicatorVersion: set.version,
    sampleData: set.sampleData,
    asOf: set.asOf,
  };
}

function exclusiveWarning(
  entry: RegisterEntry,
  pairs: ReadonlyArray<readonly [AssistanceType, AssistanceType]>,
  set: IndicatorSet,
): Warning {
  const d = set.duplicateAssistance;
  const clause = set.clauses.duplicateAssistance;
  return {
    warningId: warningId('register', entry.householdId, 'duplicateAssistance.exclusive', entry.householdId),
    riskType: 'duplicateAssistance',
    cause: null,
    ruleId: 'duplicateAssistance.exclusive',
    department: d.department,
    homeCheck: d.homeCheck,
    scope: 'inside',
    householdId: entry.householdId,
    caseId: entry.caseId,
    regionCode: set.regionCode,
    source: 'register',
    recordId: null,
    eventDate: null,
    subject: null,
    message: `重复救助预警：${householdText(entry)}同时享受互斥的救助项目（${pairs
      .map(([a, b]) => `${assistanceTypeLabels[a]}与${assistanceTypeLabels[b]}`)
      .join('；')}）。${insideAction.duplicateAssistance}（推送${departmentLabels[d.department]}${
      d.homeCheck ? '，需乡镇（街道）入户核查' : ''
    }）。依据：${clause}；指标版本 ${set.version}${sampleNote(set)}`,
    clause,
    indicatorVersion: set.version,
    sampleData: set.sampleData,
    asOf: set.asOf,
  };
}

/**
 * Every duplicate-assistance finding on the register: each set of covered households sharing a person
 * (one warning per set, naming the smallest shared ID number, masked) and each covered household
 * receiving two mutually exclusive kinds of help. Regions without indicators are returned apart.
 */
export function registerDuplicateWarnings(
  index: RegisterIndex,
  rules: IndicatorBook,
  asOf: string,
): { warnings: Warning[]; unresolved: string[] } {
  const warnings: Warning[] = [];
  const unresolved = new Set<string>();
  const resolve = (regionCode: string): IndicatorSet | undefined => {
    try {
      return rules.resolve(regionCode, asOf);
    } catch (error) {
      if (!(error instanceof IndicatorsNotFoundError)) throw error;
      unresolved.add(error.message);
      return undefined;
    }
  };
  const bySet = new Map<string, { idNumber: string; households: RegisterEntry[] }>();
  for (const shared of index.sharedPersons()) {
    const inside = shared.households.filter(isInside);
    if (inside.length < 2) continue;
    const key = inside
      .map((h) => h.householdId)
      .sort()
      .join('+');
    const seen = bySet.get(key);
    if (!seen || shared.idNumber < seen.idNumber)
      bySet.set(key, { idNumber: shared.idNumber, households: inside });
  }
  for (const { idNumber, households } of bySet.values()) {
    const first = [...households].sort((a, b) => (a.householdId < b.householdId ? -1 : 1))[0]!;
    const set = resolve(first.regionCode);
    if (set) warnings.push(membershipWarning(households, idNumber, set));
  }
  for (const entry of index.entries()) {
    if (!isInside(entry) || entry.assistance.length < 2) continue;
    const set = resolve(entry.regionCode);
    if (!set) continue;
    const pairs = exclusivePairsOf(entry.assistance, set);
    if (pairs.length > 0) warnings.push(exclusiveWarning(entry, pairs, set));
  }
  return { warnings, unresolved: [...unresolved] };
}

// ── the streaming driver ─────────────────────────────────────────────────────────────────────────

export interface FeedRejection extends Rejection {
  source: WarningSource;
}

/** Where a run's results go; a promise returned is awaited (back-pressure, e.g. an SQS send). */
export interface MonitoringSink {
  warning?(w: Warning): void | Promise<void>;
  rejection?(r: FeedRejection): void | Promise<void>;
}

export interface FeedInput {
  feed: FeedName;
  format: FeedFormat;
  source: LineSource;
  /**
   * The source is a piece of the file starting at this line (a chunk of a Distributed Map run), with
   * the file's CSV header line: line numbers are the whole file's (`RecordDecoder.startingAt`).
   */
  start?: { firstLine: number; header?: string | undefined };
}

export interface FeedCounts {
  /** Every line read, header and blank lines included. */
  lines: number;
  blank: number;
  /** Valid rows compared. */
  rows: number;
  /**
   * Lines rejected, a bad CSV header included: rows + rejected + blank = lines, less one for a CSV
   * header that was fine.
   */
  rejected: number;
  /** Valid rows whose person is on the register, inside assistance or not. */
  matched: number;
  inside: number;
  stale: number;
  warnings: number;
}

const emptyCounts = (): FeedCounts => ({
  lines: 0,
  blank: 0,
  rows: 0,
  rejected: 0,
  matched: 0,
  inside: 0,
  stale: 0,
  warnings: 0,
});

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/**
 * Streams one feed through the comparison. Every line ends up counted: a valid row (compared), a
 * rejection (sent to the sink with its line and reason), or a blank line. `emitted` holds the ids of
 * register findings already sent, so a finding seen from many rows is sent once per run.
 */
export async function compareFeed(
  input: FeedInput,
  register: RegisterLookup | RegisterIndex,
  rules: IndicatorBook,
  asOf: string,
  sink: MonitoringSink = {},
  emitted: Set<string> = new Set(),
  onProgress?: (lines: number) => void,
): Promise<FeedCounts> {
  const counts = emptyCounts();
  const feed = input.feed;
  const def = feedDefinitions[feed] as RecordDefinition<FeedRows[FeedName]>;
  const decoder = input.start
    ? RecordDecoder.startingAt(def, input.format, input.start.firstLine, input.start.header)
    : new RecordDecoder(def, input.format);
  const index = register instanceof RegisterIndex ? register : undefined;
  const lookup = index ? undefined : (register as RegisterLookup);

  const reject = async (line: number, reason: string) => {
    counts.rejected++;
    const r = sink.rejection?.({ source: feed, line, reason });
    if (isThenable(r)) await r;
  };

  for await (const lines of lineBatches(input.source)) {
    for (let i = 0; i < lines.length; i++) {
      const item = decoder.push(lines[i]!);
      if (!item) continue;
      if (!item.ok) {
        await reject(item.line, item.reason);
        continue;
      }
      const row = item.row;
      let entry: RegisterEntry | undefined;
      if (index) entry = index.lookup(row.idNumber);
      else {
        const found = lookup!(row.idNumber);
        entry = isThenable(found) ? await found : found;
      }
      let result: { outcome: Outcome; warnings: Warning[] };
      try {
        result = evaluateRow(feed, row, entry, rules, asOf);
      } catch (error) {
        if (!(error instanceof IndicatorsNotFoundError)) throw error;
        await reject(item.line, error.message);
        continue;
      }
      if (result.outcome === 'future') {
        await reject(item.line, `字段 eventDate（事件日期）：事件日期 ${row.eventDate} 晚于比对日期 ${asOf}`);
        continue;
      }
      counts.rows++;
      if (entry) {
        counts.matched++;
        if (isInside(entry)) counts.inside++;
      }
      if (result.outcome === 'stale') counts.stale++;
      for (const w of result.warnings) {
        if (w.source === 'register') {
          if (emitted.has(w.warningId)) continue;
          emitted.add(w.warningId);
        }
        counts.warnings++;
        const r = sink.warning?.(w);
        if (isThenable(r)) await r;
      }
    }
    onProgress?.(decoder.lines);
  }
  counts.lines = decoder.lines;
  counts.blank = decoder.blank;
  return counts;
}

export type RegisterSource =
  | RegisterLookup
  | RegisterIndex
  | { source: LineSource; format: FeedFormat; expectedPersons?: number }
  | Iterable<RegisterRecord>
  | AsyncIterable<RegisterRecord>;

export interface MonitoringRun {
  register: RegisterSource;
  feeds: readonly FeedInput[];
  rules: IndicatorBook | readonly IndicatorVersion[];
  /** The comparison date (China civil date): indicators in force then apply. */
  asOf: string;
  sink?: MonitoringSink;
  /** Called after each chunk read, for progress reports. */
  onProgress?: (p: { stage: 'register' | FeedName; lines: number }) => void;
}

export interface MonitoringReport {
  asOf: string;
  register: { lines: number; households: number; persons: number; rejected: number } | null;
  feeds: Partial<Record<FeedName, FeedCounts>>;
  /** Register findings (duplicate assistance) found by the sweep. */
  registerWarnings: number;
  warnings: number;
  byRiskType: Record<RiskType, number>;
  byDepartment: Record<Department, number>;
  /** `WarningChecksum` of every warning id sent. */
  checksum: string;
  /** Problems that are not a line's fault, e.g. a region without indicators during the register sweep. */
  problems: string[];
}

/**
 * A whole run: index the register (unless given a lookup), sweep it for duplicate assistance, then
 * stream each feed. Warnings and rejections go to `sink`; the report counts everything.
 */
export async function runMonitoring(run: MonitoringRun): Promise<MonitoringReport> {
  const rules = run.rules instanceof IndicatorBook ? run.rules : new IndicatorBook(run.rules);
  const byRiskType = Object.fromEntries(riskTypes.map((t) => [t, 0])) as Record<RiskType, number>;
  const byDepartment = Object.fromEntries(departments.map((d) => [d, 0])) as Record<Department, number>;
  const checksum = new WarningChecksum();
  const sink = run.sink ?? {};
  const counting: MonitoringSink = {
    warning: (w) => {
      byRiskType[w.riskType]++;
      byDepartment[w.department]++;
      checksum.add(w.warningId);
      return sink.warning?.(w);
    },
    rejection: (r) => sink.rejection?.(r),
  };
  const problems: string[] = [];

  let register: RegisterLookup | RegisterIndex;
  let registerReport: MonitoringReport['register'] = null;
  const r = run.register;
  if (typeof r === 'function' || r instanceof RegisterIndex) register = r;
  else if ('source' in r && 'format' in r) {
    const load = await loadRegister(r.source, r.format, {
      onRejection: (rej) => sink.rejection?.({ ...rej, source: 'register' }),
      ...(run.onProgress
        ? { onProgress: (lines: number) => run.onProgress!({ stage: 'register', lines }) }
        : {}),
      ...(r.expectedPersons ? { expectedPersons: r.expectedPersons } : {}),
    });
    register = load.index;
    registerReport = {
      lines: load.lines,
      households: load.households,
      persons: load.index.persons,
      rejected: load.rejected,
    };
  } else {
    register = await RegisterIndex.from(r as AsyncIterable<RegisterRecord>);
  }
  if (register instanceof RegisterIndex && !registerReport)
    registerReport = {
      lines: register.households,
      households: register.households,
      persons: register.persons,
      rejected: 0,
    };

  const emitted = new Set<string>();
  let registerWarnings = 0;
  if (register instanceof RegisterIndex) {
    const sweep = registerDuplicateWarnings(register, rules, run.asOf);
    problems.push(...sweep.unresolved);
    for (const w of sweep.warnings) {
      if (emitted.has(w.warningId)) continue;
      emitted.add(w.warningId);
      registerWarnings++;
      const x = counting.warning!(w);
      if (isThenable(x)) await x;
    }
  }

  const feeds: MonitoringReport['feeds'] = {};
  for (const input of run.feeds) {
    const c = await compareFeed(
      input,
      register,
      rules,
      run.asOf,
      counting,
      emitted,
      run.onProgress ? (lines) => run.onProgress!({ stage: input.feed, lines }) : undefined,
    );
    const prev = feeds[input.feed];
    feeds[input.feed] = prev ? addCounts(prev, c) : c;
  }
  return {
    asOf: run.asOf,
    register: registerReport,
    feeds,
    registerWarnings,
    warnings: checksum.count,
    byRiskType,
    byDepartment,
    checksum: checksum.value,
    problems,
  };
}

function addCounts(a: FeedCounts, b: FeedCounts): FeedCounts {
  const out = { ...a };
  for (const k of Object.keys(b) as Array<keyof FeedCounts>) out[k] += b[k];
  return out;
}

/** A sink that keeps everything, for tests and small runs (not for a national run). */
export function collectingSink(): MonitoringSink & { warnings: Warning[]; rejections: FeedRejection[] } {
  const warnings: Warning[] = [];
  const rejections: FeedRejection[] = [];
  return {
    warnings,
    rejections,
    warning: (w) => {
      warnings.push(w);
    },
    rejection: (r) => {
      rejections.push(r);
    },
  };
}
