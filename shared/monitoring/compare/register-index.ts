/**
 * The register held in memory for a run over a file. A national register is tens of millions of persons,
 * so it is kept in typed columns and an open-addressing table rather than objects (~60 bytes a person)
 * and loaded straight from the export, line by line; the layout's details (the id buffer, probing,
 * persons listed by several households) stay behind this one class.
 */
import { toFen } from '../../domain/money.ts';
import type { FeedFormat } from '../feeds/names.ts';
import { type LineSource, lineBatches, RecordDecoder, type Rejection } from '../feeds/stream.ts';
import { type AssistanceType, assistanceTypes, registerStatuses, registerTiers } from '../indicators.ts';
import {
  type OtherHousehold,
  type RegisterEntry,
  type RegisterLookup,
  type RegisterRecord,
  registerDefinition,
} from './register.ts';

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

// A copy of run.ts's: run.ts imports this module, and the driver's per-row loop keeps its own local.
function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}
