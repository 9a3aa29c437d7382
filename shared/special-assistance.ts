/**
 * 专项救助 on the case: every decision on the benefit — a determination, a change of tier or amount, an
 * end, a decision restored on appeal — records the special-assistance items the household is then
 * entitled to (`shared/domain/special-assistance.ts`, under the region's parameters of that day), and
 * what started and ended with it, once, on the case's chain; what started and ended is each a demand
 * to its department (需求推送, `shared/demands.ts`).
 *
 * | entity   | pk              | sk                              |
 * |----------|-----------------|---------------------------------|
 * | items    | `CASE#<caseId>` | `SPECIAL#<decidedAt>#<cause>`   |
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { appendAudit, SYSTEM } from './audit.ts';
import { dynamo } from './clients.ts';
import { requiredEnv } from './config.ts';
import { createDemands } from './demands.ts';
import { chinaDate } from './domain/dates.ts';
import {
  type SpecialGrant,
  type SpecialHousehold,
  specialAssistanceFor,
  specialChanges,
  specialItemLabels,
} from './domain/special-assistance.ts';
import { isConditionFailure, queryAll } from './dynamo.ts';
import { departmentLabels } from './monitoring/vocabulary.ts';
import type { Residence } from './parameters/index.ts';
import * as lifecycle from './repositories/lifecycle.ts';
import { parametersFor } from './repositories/parameters.ts';
import { householdOf } from './repositories/register.ts';
import { casesTable } from './resources.ts';

const table = () => requiredEnv(casesTable.env);

export interface SpecialRecord {
  caseId: string;
  decidedAt: string;
  /** The decision's cause, as its benefit period's (`determination`, `adjustment`, `termination`, …). */
  cause: string;
  /** The tier the items follow; null once the benefit ended. */
  tier: string | null;
  items: SpecialGrant[];
  started: SpecialGrant[];
  ended: SpecialGrant[];
  parameterVersion: string | null;
}

/** Every record of the case, oldest first: the last is what the household is entitled to now. */
export async function specialRecords(caseId: string): Promise<SpecialRecord[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :special)',
    ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':special': 'SPECIAL#' },
    ConsistentRead: true,
  });
  return items.map(({ pk: _pk, sk: _sk, ...rest }) => rest as unknown as SpecialRecord);
}

type DecidedHousehold = Omit<SpecialHousehold, 'members'> & {
  regionCode: string;
  residence: Residence;
  members: Array<SpecialHousehold['members'][number] & { idNumber: string }>;
};

export interface SpecialDecision {
  caseId: string;
  cause: string;
  decidedAt: string;
  /** The tier in force after the decision; null when the benefit ends. */
  tier: string | null;
  /** The household as the decision saw it; else as last declared. */
  household?: DecidedHousehold | undefined;
}

const itemText = (g: SpecialGrant, household: SpecialHousehold | undefined) =>
  `${specialItemLabels[g.item]}（${g.member === null ? '全户' : (household?.members[g.member]?.name ?? `成员${g.member + 1}`)}，${departmentLabels[g.department]}）`;

/**
 * Records the items after a decision, once (a retried step finds it and does nothing), and puts what
 * started and ended on the case's chain. A benefit that ended entitles to nothing.
 */
export async function recordSpecialAssistance(decision: SpecialDecision): Promise<SpecialRecord> {
  const { caseId, cause, decidedAt, tier } = decision;
  let household = decision.household;
  if (!household) {
    const item = await lifecycle.getCaseItem(caseId);
    household = item ? (await householdOf(item))?.declaration : undefined;
  }
  const parameters =
    tier && household
      ? await parametersFor(household.regionCode, household.residence, chinaDate(new Date(decidedAt)))
      : undefined;
  const items =
    tier && household && parameters
      ? specialAssistanceFor(household, tier, parameters.specialAssistance)
      : [];
  const before = (await specialRecords(caseId)).filter((r) => r.decidedAt < decidedAt).at(-1)?.items ?? [];
  const { started, ended } = specialChanges(before, items);
  const record: SpecialRecord = {
    caseId,
    decidedAt,
    cause,
    tier,
    items,
    started,
    ended,
    parameterVersion: parameters?.version ?? null,
  };
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { pk: `CASE#${caseId}`, sk: `SPECIAL#${decidedAt}#${cause}`, ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  // 需求推送: what started and ended is each department's to act on (pushed by `sweepDemands`).
  if (household && (started.length || ended.length))
    await createDemands({ caseId, cause, decidedAt, tier }, { started, ended }, household);
  if (started.length || ended.length)
    await appendAudit(caseId, {
      key: `special.changed#${decidedAt}#${cause}`,
      actor: SYSTEM,
      action: 'special.changed',
      summary: [
        started.length ? `专项救助新增：${started.map((g) => itemText(g, household)).join('；')}` : '',
        ended.length ? `专项救助停止：${ended.map((g) => itemText(g, household)).join('；')}` : '',
      ]
        .filter(Boolean)
        .join('。'),
      refs: { cause },
    });
  return record;
}

/**
 * What the household is entitled to now, as people read it: each item with its department, the
 * member it reaches (by name, for those who may see the household) and what it gives.
 */
export async function specialAssistanceView(caseId: string, household: SpecialHousehold | undefined) {
  const current = (await specialRecords(caseId)).at(-1);
  if (!current) return null;
  return {
    decidedAt: current.decidedAt,
    tier: current.tier,
    items: current.items.map((g) => ({
      item: g.item,
      itemLabel: specialItemLabels[g.item],
      department: g.department,
      departmentLabel: departmentLabels[g.department],
      member: g.member === null ? null : (household?.members[g.member]?.name ?? null),
      benefit: g.benefit,
      clause: g.clause,
    })),
  };
}
