/**
 * 低收入人口名单 (the low-income register) in the case table, as the monitoring comparison looks it up:
 * by the blind index of a person's ID number (`shared/crypto.ts`), never by the number itself.
 *
 * | entity    | pk                       | sk       | what                                                     |
 * |-----------|--------------------------|----------|----------------------------------------------------------|
 * | household | `HH#<householdId>`       | `HH`     | tier, status, region, members (blind indexes), income…   |
 * | person    | `PERSON#<blind index>`   | `PERSON` | `households`: householdId → what `RegisterEntry` needs  |
 *
 * A person item holds a copy of each of their households' entry, so a chunk of a feed is looked up
 * with one BatchGetItem per 100 people and no second read; a person in two households (重复救助) has
 * two entries, and the lookup answers the one inside assistance with the other in `alsoIn`, as the
 * in-memory `RegisterIndex` does. A household's change rewrites its members' copies (households are
 * small); a member who left has their copy removed.
 *
 * Households come from two places:
 * - the system's own cases (`householdId` = the case id), kept up to date when a case's tier or status
 *   changes — approval, recheck outcomes, gradual exit, its end, an emergency grant (`registerCase`);
 * - an import of the national register (`importHouseholds`, `PUT /admin/register`), for households
 *   known only there (outside assistance, relapse watch).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { appendAudit, SYSTEM } from '../audit.ts';
import { covers } from '../auth.ts';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { blindIndexes } from '../crypto.ts';
import { chinaDate } from '../domain/dates.ts';
import { yuanText } from '../domain/money.ts';
import {
  isInside,
  type OtherHousehold,
  type RegisterEntry,
  type RegisterRecord,
} from '../monitoring/compare/index.ts';
import {
  type AssistanceType,
  type RegisterStatus,
  type RegisterTier,
  registerStatusLabels,
  registerTierLabels,
  registerTiers,
} from '../monitoring/indicators.ts';
import { casesTable } from '../resources.ts';
import { householdEconomics } from '../rules/economics.ts';
import * as lifecycle from './lifecycle.ts';
import { parametersFor } from './parameters.ts';

const table = () => requiredEnv(casesTable.env);
const HH = (householdId: string) => ({ pk: `HH#${householdId}`, sk: 'HH' });
const PERSON = (index: string) => ({ pk: `PERSON#${index}`, sk: 'PERSON' });

export interface RegisterHousehold {
  householdId: string;
  caseId: string | null;
  regionCode: string;
  tier: RegisterTier;
  status: RegisterStatus;
  memberCount: number;
  /** 家庭人均月收入（元） at the last determination, recheck or import. */
  perCapitaMonthlyIncome: number;
  assistance: AssistanceType[];
  /**
   * Blind indexes of the members' ID numbers, under every key of the ring when it was written: a
   * relative declared under any of them is matched (`shared/repositories/relatives.ts`).
   */
  memberIndexes: string[];
  source: 'case' | 'import';
  updatedAt: string;
}

/** What a person item keeps of each household: the entry the comparison reads. */
type Snapshot = Omit<RegisterEntry, 'alsoIn' | 'memberIds'>;
const snapshot = (h: RegisterHousehold): Snapshot => ({
  householdId: h.householdId,
  caseId: h.caseId,
  regionCode: h.regionCode,
  tier: h.tier,
  status: h.status,
  memberCount: h.memberCount,
  perCapitaMonthlyIncome: h.perCapitaMonthlyIncome,
  assistance: h.assistance,
});

export async function getHousehold(householdId: string): Promise<RegisterHousehold | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: HH(householdId), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const { pk: _p, sk: _s, ...household } = Item;
  return household as RegisterHousehold;
}

/** Puts the household's entry into one member's person item. */
async function putPersonEntry(index: string, entry: Snapshot): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: table(),
          Key: PERSON(index),
          UpdateExpression: 'SET households.#h = :e',
          ConditionExpression: 'attribute_exists(households)',
          ExpressionAttributeNames: { '#h': entry.householdId },
          ExpressionAttributeValues: { ':e': entry },
        }),
      );
      return;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || attempt > 3) throw error;
    }
    try {
      await dynamo().send(
        new PutCommand({
          TableName: table(),
          Item: { ...PERSON(index), households: { [entry.householdId]: entry } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return;
    } catch (error) {
      // Another household of the same person wrote the item first: add ours to it.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

async function removePersonEntry(index: string, householdId: string): Promise<void> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: PERSON(index),
        UpdateExpression: 'REMOVE households.#h',
        ConditionExpression: 'attribute_exists(households)',
        ExpressionAttributeNames: { '#h': householdId },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/**
 * Writes a household and its members' person items; the same household written again with the same
 * content changes nothing. Returns the household as it was before (undefined: new).
 */
export async function putHousehold(household: RegisterHousehold): Promise<RegisterHousehold | undefined> {
  const before = await getHousehold(household.householdId);
  await dynamo().send(
    new PutCommand({ TableName: table(), Item: { ...HH(household.householdId), ...household } }),
  );
  await putMembers(household, before);
  return before;
}

async function putMembers(household: RegisterHousehold, before: RegisterHousehold | undefined) {
  const entry = snapshot(household);
  const members = [...new Set(household.memberIndexes)];
  await Promise.all(members.map((index) => putPersonEntry(index, entry)));
  const left = (before?.memberIndexes ?? []).filter((index) => !members.includes(index));
  await Promise.all(left.map((index) => removePersonEntry(index, household.householdId)));
}

/** The primary household of a person listed by several: inside assistance first, then the smallest id. */
function preferred(a: Snapshot, b: Snapshot): number {
  const ia = isInside(a);
  const ib = isInside(b);
  if (ia !== ib) return ia ? -1 : 1;
  return a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0;
}

/**
 * Each person's register entry (absent: not on the register), with the other households in
 * `alsoIn`. A person is given by their indexes under every key of the ring (`blindIndexes`), and
 * answered under the first: a household registered before a rotation is found by the earlier key.
 */
export async function lookupPersons(
  persons: ReadonlyArray<readonly string[]>,
): Promise<Map<string, RegisterEntry>> {
  const wanted = [...new Set(persons.flat())];
  const byIndex = new Map<string, Record<string, Snapshot>>();
  for (let i = 0; i < wanted.length; i += 100) {
    let keys: Array<Record<string, unknown>> | undefined = wanted.slice(i, i + 100).map(PERSON);
    for (let attempt = 0; keys?.length; attempt++) {
      const out: BatchGetCommandOutput = await dynamo().send(
        new BatchGetCommand({ RequestItems: { [table()]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of out.Responses?.[table()] ?? [])
        byIndex.set(
          String(item.pk).slice('PERSON#'.length),
          (item.households ?? {}) as Record<string, Snapshot>,
        );
      keys = out.UnprocessedKeys?.[table()]?.Keys;
      if (keys?.length) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
    }
  }
  const found = new Map<string, RegisterEntry>();
  for (const indexes of persons) {
    // One household listed under several keys is one household.
    const households = new Map<string, Snapshot>();
    for (const index of indexes)
      for (const h of Object.values(byIndex.get(index) ?? {})) households.set(h.householdId, h);
    const [primary, ...others] = [...households.values()].sort(preferred);
    if (!primary || !indexes[0]) continue;
    const alsoIn: OtherHousehold[] = others.map((o) => ({
      householdId: o.householdId,
      caseId: o.caseId,
      regionCode: o.regionCode,
      tier: o.tier,
      status: o.status,
    }));
    found.set(indexes[0], { ...primary, ...(alsoIn.length ? { alsoIn } : {}) });
  }
  return found;
}

// ── the system's own cases ───────────────────────────────────────────────────────────────────────

/** What changed a case on the register (for its chain entry). */
export type RegisterCause = 'determination' | 'recheck' | 'gradualExit' | 'emergency' | 'appeal';

const causeLabels: Record<RegisterCause, string> = {
  determination: '认定',
  recheck: '定期核查',
  gradualExit: '渐退期满',
  emergency: '临时救助',
  appeal: '原决定经复议或诉讼撤销',
};

function registerTierOf(tier: unknown): RegisterTier {
  if (typeof tier !== 'string') return 'none';
  return (registerTiers as readonly string[]).includes(tier) ? (tier as RegisterTier) : 'otherHardship';
}

function registerStatusOf(item: lifecycle.CaseItem, tier: RegisterTier): RegisterStatus {
  if (tier === 'none') return 'monitoring';
  switch (item.status) {
    case 'gradualExit':
      return 'gradualExit';
    case 'exited':
      return item.monitoring ? 'monitoring' : 'exited';
    case 'terminated':
    case 'lapsed':
      return item.monitoring ? 'monitoring' : 'terminated';
    default:
      return 'active';
  }
}

/** The help a case's household receives now, as the register names it. */
function assistanceOf(
  item: lifecycle.CaseItem,
  tier: RegisterTier,
  status: RegisterStatus,
): AssistanceType[] {
  const out: AssistanceType[] = [];
  if (status === 'active' || status === 'gradualExit') {
    if (tier === 'dibao' || tier === 'singlePersonDibao') out.push('dibaoAllowance');
    if (tier === 'tekun') out.push('tekunSupport');
  }
  if (item.kind === 'emergency' || item.emergencyId) out.push('temporaryAssistance');
  return out;
}

/** The household as last declared: a later declaration, else the determining application, else the emergency request. */
export async function householdOf(item: lifecycle.CaseItem) {
  const latest = await lifecycle.latestDeclaration(item.caseId);
  if (latest) return { declaration: latest.declaration, perCapita: undefined };
  const app = await lifecycle.determinedApplication(item);
  if (app) return { declaration: app.declaration, perCapita: app.meansTest?.perCapitaMonthlyIncome };
  if (typeof item.emergencyId === 'string') {
    const e = await lifecycle.getEmergency(item.emergencyId);
    if (e) return { declaration: e.request, perCapita: undefined };
  }
  return undefined;
}

/** Per-capita monthly income as the means test counts it, with the parameters in force today. */
async function perCapitaOf(
  declaration: NonNullable<Awaited<ReturnType<typeof householdOf>>>['declaration'],
  recorded: number | undefined,
): Promise<number> {
  try {
    const parameters = await parametersFor(declaration.regionCode, declaration.residence, chinaDate());
    const e = householdEconomics(declaration as Parameters<typeof householdEconomics>[0], parameters);
    return Math.round(e.countedIncomeFen / Math.max(1, e.size)) / 100;
  } catch {
    // No parameters for the region today: the figure of the determination, if any.
    return recorded ?? 0;
  }
}

/**
 * Puts a case's household on the register as it stands now — called after each change of its tier or
 * status (approval, recheck outcome, gradual exit start and end, emergency grant). Idempotent: the same
 * state written again changes nothing, and its chain entry (`register.updated`, keyed by the cause, the
 * step's execution and the state) is appended once. An approval is counted as a determination in the
 * happiness list. A case with nothing determined (a refusal) is not put on the register.
 */
export async function registerCase(caseId: string, cause: RegisterCause, ref: string): Promise<void> {
  const item = await lifecycle.getCaseItem(caseId);
  if (!item) return;
  if (typeof item.tier !== 'string' && item.kind !== 'emergency') return;
  const household = await householdOf(item);
  if (!household) return;
  const tier = registerTierOf(item.tier);
  const status = registerStatusOf(item, tier);
  const members = household.declaration.members;
  const record: RegisterHousehold = {
    householdId: caseId,
    caseId,
    regionCode: item.regionCode,
    tier,
    status,
    memberCount: members.length,
    perCapitaMonthlyIncome: await perCapitaOf(household.declaration, household.perCapita),
    assistance: assistanceOf(item, tier, status),
    memberIndexes: (await Promise.all(members.map((m) => blindIndexes(m.idNumber)))).flat(),
    source: 'case',
    updatedAt: new Date().toISOString(),
  };
  await putHousehold(record);
  await appendAudit(caseId, {
    key: `register.updated#${cause}#${ref}#${tier}#${status}`,
    actor: SYSTEM,
    action: 'register.updated',
    summary: `${causeLabels[cause]}后登记在低收入人口名单：${registerTierLabels[tier]}，${registerStatusLabels[status]}（${record.memberCount}人，人均月收入${yuanText(record.perCapitaMonthlyIncome)}）`,
    refs: { householdId: caseId, tier, status },
    ...(cause === 'determination' && tier !== 'none'
      ? { ledger: { regionCode: item.regionCode, kind: 'determination' as const, tier } }
      : {}),
  });
}

// ── the national register's export ───────────────────────────────────────────────────────────────

/** What became of one row of an import: loaded, or refused with the field at fault and why. */
export type ImportOutcome = { ok: true } | { ok: false; field: string; reason: string };

/**
 * Why the stored household may not be replaced by an import for `scope` (undefined: it may). The row
 * names its new region, which the caller has checked; the stored one must be inside the load's region
 * too, or an administrator of one county could move another county's household into their own. A
 * household the system keeps for its own case is not the import's to overwrite, and the case a row
 * points to is never the import's to change: warnings join the chain of that case, so a re-pointed row
 * would file one county's warnings in another county's case.
 */
function importRefusal(
  record: RegisterRecord,
  stored: RegisterHousehold | undefined,
  scope: string,
): { field: string; reason: string } | undefined {
  const caseId = record.caseId ?? null;
  if (stored && !covers(scope, stored.regionCode))
    return {
      field: 'householdId',
      reason: `字段 householdId（户编号）：户 ${record.householdId} 登记在 ${stored.regionCode}，不在所载入的 ${scope} 范围内，不能由本次载入修改`,
    };
  if (stored?.source === 'case')
    return {
      field: 'householdId',
      reason: `字段 householdId（户编号）：户 ${record.householdId} 是本系统案件的家庭，由系统在案件变化时登记，不能由名单导入覆盖`,
    };
  const storedCase = stored?.caseId ?? null;
  if (caseId !== storedCase)
    return {
      field: 'caseId',
      reason: storedCase
        ? `字段 caseId（案件编号）：户 ${record.householdId} 关联案件 ${storedCase}，名单导入不能更改或取消其关联案件`
        : `字段 caseId（案件编号）：户 ${record.householdId} 未关联本系统案件；案件关联由系统在案件变化时登记，名单导入不能指定`,
    };
  return undefined;
}

/**
 * Loads households of a register export (`registerDefinition` rows) whose region the caller has checked
 * against `scope`, each replacing its earlier entry unless `importRefusal` says otherwise. The put is
 * conditional on what was checked — the household still absent, or still an import in the same region
 * — so a change between the check and the write (another load, the system registering a case) is read
 * and checked again rather than overwritten.
 */
export async function importHouseholds(
  records: readonly RegisterRecord[],
  scope: string,
): Promise<ImportOutcome[]> {
  const updatedAt = new Date().toISOString();
  const outcomes: ImportOutcome[] = new Array(records.length);
  const queue = records.map((record, i) => ({ record, i }));
  const one = async (r: RegisterRecord): Promise<ImportOutcome> => {
    const household: RegisterHousehold = {
      householdId: r.householdId,
      caseId: r.caseId ?? null,
      regionCode: r.regionCode,
      tier: r.tier,
      status: r.status,
      memberCount: r.members.length,
      perCapitaMonthlyIncome: r.perCapitaMonthlyIncome,
      assistance: [...(r.assistance ?? [])],
      memberIndexes: (await Promise.all(r.members.map((m) => blindIndexes(m)))).flat(),
      source: 'import',
      updatedAt,
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = await getHousehold(r.householdId);
      const refusal = importRefusal(r, before, scope);
      if (refusal) return { ok: false, ...refusal };
      try {
        await dynamo().send(
          new PutCommand({
            TableName: table(),
            Item: { ...HH(household.householdId), ...household },
            ...(before
              ? {
                  ConditionExpression: '#region = :region AND #source = :import',
                  ExpressionAttributeNames: { '#region': 'regionCode', '#source': 'source' },
                  ExpressionAttributeValues: { ':region': before.regionCode, ':import': 'import' },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) continue;
        throw error;
      }
      await putMembers(household, before);
      return { ok: true };
    }
    return {
      ok: false,
      field: 'householdId',
      reason: `字段 householdId（户编号）：户 ${r.householdId} 在载入期间被同时修改，未载入，请重新载入`,
    };
  };
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) outcomes[next.i] = await one(next.record);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return outcomes;
}
