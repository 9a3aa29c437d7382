/**
 * 需求推送 (国办发〔2023〕39号: 民政 provides departments "信息查询、需求推送"): every special-assistance
 * item a decision starts or ends (`shared/special-assistance.ts`) becomes a demand to the department
 * that delivers it — 医保 to subsidise a premium, 教育 to support a pupil, 人社 to help someone into
 * work — pushed to that department's queue (the queues monitoring pushes warnings to), due back in
 * working days, answered with what was done (or why not), escalated to the supervisors when it is not,
 * and joined to the household's chain and the happiness list.
 *
 * | entity        | pk                   | sk         | index (sparse)                                                    |
 * |---------------|----------------------|------------|-------------------------------------------------------------------|
 * | demand        | `DEMAND#<demandId>`  | `DEMAND`   | gsi1 `DEMANDS#<department>#<shard>` / `<regionCode>#<createdAt>#<id>` |
 * |               |                      |            | gsi2 `DOUTBOX#<shard>` until pushed, then `DDUE#<dueDate>#<shard>` until answered |
 * | sweep cursor  | `DSWEEP`             | `CURSOR`   | –                                                                 |
 * | month marker  | `CHANGES#<month>`    | `<department>#<regionCode>` | – (the month's change lists, `shared/change-lists.ts`) |
 *
 * The decision's step writes the demand and nothing else (it holds no queue grant); the push is the
 * scheduled `sweepDemands` (the transactional outbox): a demand is written once (its id is the
 * decision's and the item's), pushed once it is in the outbox, and a retried sweep that finds it pushed
 * only completes its chain entry. The person is sealed on the demand: the department reads who it is
 * on the demand itself (`GET /demands/{id}`, recorded on the chain), the queue carries the masked ID.
 */
import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { appendAudit, SYSTEM } from './audit.ts';
import { dynamo, sendTyped } from './clients.ts';
import { requiredEnv } from './config.ts';
import { fieldCipher, type Sealed } from './crypto.ts';
import type { Actor } from './domain/cases.ts';
import { chinaDate } from './domain/dates.ts';
import { SUPERVISION_WORKING_DAYS } from './domain/determination.ts';
import { maskIdNumber } from './domain/id-number.ts';
import { stableId } from './domain/ids.ts';
import { type SpecialGrant, type SpecialItem, specialItemLabels } from './domain/special-assistance.ts';
import { isConditionFailure } from './dynamo.ts';
import { logger } from './logger.ts';
import { recordCalendarFallback } from './metrics.ts';
import { type Department, departmentLabels } from './monitoring/vocabulary.ts';
import { type Escalation, queryShards, regionPrefix, sweepOverdue } from './repositories/monitoring.ts';
import { calendar } from './repositories/parameters.ts';
import { casesTable, DUE_SHARDS, departmentQueues, supervisorQueue } from './resources.ts';
import { tierLabels } from './rules/classify.ts';
import {
  type DemandFeedback,
  type DemandKind,
  type DemandStatus,
  demandKindLabels,
  demandResults,
} from './schemas/warnings.ts';

/**
 * 反馈期限: working days a department has to answer a demand. No text sets one for 需求推送; the
 * monitoring indicators' default for a warning's feedback (10) is the county's practice for both
 * (docs/architecture.md §7).
 */
export const DEMAND_FEEDBACK_WORKING_DAYS = 10;

const table = () => requiredEnv(casesTable.env);
const DEMAND = (demandId: string) => ({ pk: `DEMAND#${demandId}`, sk: 'DEMAND' });
const shardOf = (id: string) => createHash('sha256').update(id).digest()[0]! % DUE_SHARDS;
const outboxKeys = (demandId: string, createdAt: string) => ({
  gsi2pk: `DOUTBOX#${shardOf(demandId)}`,
  gsi2sk: `${createdAt}#${demandId}`,
});
const dueKeys = (demandId: string, dueDate: string) => ({
  gsi2pk: `DDUE#${dueDate}#${shardOf(demandId)}`,
  gsi2sk: `${dueDate}#${demandId}`,
});
const DEMAND_SWEEP = 'DSWEEP';

export interface DemandFeedbackRecord extends DemandFeedback {
  handledOn: string;
  answeredAt: string;
  answeredBy: Actor;
  late: boolean;
}

export interface DemandRecord {
  demandId: string;
  kind: DemandKind;
  /** The case, which is the household's chain. */
  caseId: string;
  regionCode: string;
  department: Department;
  item: SpecialItem;
  /** The member's position in the household as the decision saw it; null for the household as a whole. */
  member: number | null;
  /** 区划 + 后四位 of the member's (or, for the household, the applicant's) ID number. */
  subject: string;
  /** Who the item reaches, sealed: opened for the department's own officers only. */
  person: { name: Sealed; idNumber: Sealed };
  benefit: string;
  clause: string;
  /** The tier in force after the decision; null once the benefit ended. */
  tier: string | null;
  cause: string;
  decidedAt: string;
  createdAt: string;
  status: DemandStatus;
  pushedAt?: string;
  /** 反馈期限 in force: from the push, or the supervisors' after an escalation. */
  dueDate?: string;
  dueDateProvisional?: boolean;
  escalations: Escalation[];
  feedback?: DemandFeedbackRecord;
}

function strip(item: Record<string, unknown> | undefined): DemandRecord | undefined {
  if (!item) return undefined;
  const { pk: _p, sk: _s, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest } = item;
  return rest as unknown as DemandRecord;
}

const itemLabel = (d: Pick<DemandRecord, 'item'>) => specialItemLabels[d.item];
const demandTitle = (d: DemandRecord) =>
  `${demandKindLabels[d.kind]}${itemLabel(d)}（${d.subject}，${departmentLabels[d.department]}）`;

/** The people a decision's items reach, as declared: name and ID number by position. */
export interface DemandHousehold {
  regionCode: string;
  members: ReadonlyArray<{ name: string; idNumber: string }>;
}

/**
 * The demands of a decision: one per item started or ended, written once (a retried step finds them),
 * each in the outbox until the sweep pushes it.
 */
export async function createDemands(
  decision: { caseId: string; cause: string; decidedAt: string; tier: string | null },
  changes: { started: readonly SpecialGrant[]; ended: readonly SpecialGrant[] },
  household: DemandHousehold,
): Promise<DemandRecord[]> {
  const cipher = fieldCipher();
  const createdAt = new Date().toISOString();
  const all = [
    ...changes.started.map((g) => ['start', g] as const),
    ...changes.ended.map((g) => ['end', g] as const),
  ];
  // The month's change list of each department and the county (`shared/change-lists.ts`) will include them.
  const month = chinaDate(new Date(decision.decidedAt)).slice(0, 7);
  for (const department of new Set(all.map(([, g]) => g.department)))
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `CHANGES#${month}`, sk: `${department}#${household.regionCode}` },
        UpdateExpression: 'SET department = :d, regionCode = :r',
        ExpressionAttributeValues: { ':d': department, ':r': household.regionCode },
      }),
    );
  return Promise.all(
    all.map(async ([kind, g]) => {
      const person = household.members[g.member ?? 0] ?? household.members[0]!;
      const demand: DemandRecord = {
        demandId: stableId(
          'dmd',
          decision.caseId,
          decision.decidedAt,
          decision.cause,
          kind,
          g.item,
          String(g.member ?? 'household'),
        ),
        kind,
        caseId: decision.caseId,
        regionCode: household.regionCode,
        department: g.department,
        item: g.item,
        member: g.member,
        subject: maskIdNumber(person.idNumber),
        person: { name: await cipher.seal(person.name), idNumber: await cipher.seal(person.idNumber) },
        benefit: g.benefit,
        clause: g.clause,
        tier: decision.tier,
        cause: decision.cause,
        decidedAt: decision.decidedAt,
        createdAt,
        status: 'pending',
        escalations: [],
      };
      try {
        await dynamo().send(
          new PutCommand({
            TableName: table(),
            Item: {
              ...DEMAND(demand.demandId),
              gsi1pk: `DEMANDS#${demand.department}#${shardOf(demand.demandId)}`,
              gsi1sk: `${demand.regionCode}#${createdAt}#${demand.demandId}`,
              ...outboxKeys(demand.demandId, createdAt),
              ...demand,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return demand;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return (await getDemand(demand.demandId))!;
      }
    }),
  );
}

export async function getDemand(demandId: string): Promise<DemandRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: DEMAND(demandId), ConsistentRead: true }),
  );
  return strip(Item);
}

/** Who the demand reaches, opened: for the department that must act on it. */
export async function demandPerson(d: DemandRecord): Promise<{ name: string; idNumber: string }> {
  const cipher = fieldCipher();
  return {
    name: String(await cipher.open(d.person.name)),
    idNumber: String(await cipher.open(d.person.idNumber)),
  };
}

/** A department's demands in a region (a province or city covers its counties), newest first. */
export async function listDemands(query: {
  department: Department;
  regionCode: string;
  status?: DemandStatus | undefined;
}): Promise<DemandRecord[]> {
  const items = await queryShards('gsi1', `DEMANDS#${query.department}#`, regionPrefix(query.regionCode));
  return items
    .map((i) => strip(i)!)
    .filter((d) => !query.status || d.status === query.status)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.demandId.localeCompare(b.demandId));
}

// ── the push (the scheduled sweep) ───────────────────────────────────────────────────────────────

/** What a department's queue receives for a demand: masked, with its due date. */
export interface DemandPush {
  type: 'demandPushed' | 'demandEscalated';
  demandId: string;
  kind: DemandKind;
  item: SpecialItem;
  itemLabel: string;
  department: Department;
  departmentLabel: string;
  regionCode: string;
  caseId: string;
  subject: string;
  benefit: string;
  clause: string;
  tier: string | null;
  decidedAt: string;
  message: string;
  dueDate: string;
  escalation: number;
  sentAt: string;
}

/** Pure: the message of a demand as pushed (escalation 0) or re-pushed after its n-th lapse. */
export function demandMessage(
  d: DemandRecord,
  dueDate: string,
  escalation: number,
  sentAt: string,
): DemandPush {
  const from = chinaDate(new Date(d.decidedAt));
  const text =
    d.kind === 'start'
      ? `【需求推送】${d.tier ? (tierLabels[d.tier as keyof typeof tierLabels] ?? d.tier) : ''}家庭成员（${d.subject}）自${from}起享受${itemLabel(d)}：${d.benefit}（${d.clause}）。请办理并于${dueDate}前反馈。`
      : `【需求推送】${d.subject}自${from}起不再享受${itemLabel(d)}（救助${d.tier ? '类别变更' : '终止'}）。请停止办理并于${dueDate}前反馈。`;
  return {
    type: escalation > 0 ? 'demandEscalated' : 'demandPushed',
    demandId: d.demandId,
    kind: d.kind,
    item: d.item,
    itemLabel: itemLabel(d),
    department: d.department,
    departmentLabel: departmentLabels[d.department],
    regionCode: d.regionCode,
    caseId: d.caseId,
    subject: d.subject,
    benefit: d.benefit,
    clause: d.clause,
    tier: d.tier,
    decidedAt: d.decidedAt,
    message: escalation > 0 ? `【督办：逾期未反馈（第${escalation}次），请于${dueDate}前反馈】${text}` : text,
    dueDate,
    escalation,
    sentAt,
  };
}

async function pendingDemands(): Promise<DemandRecord[]> {
  return (await queryShards('gsi2', 'DOUTBOX#')).map((i) => strip(i)!);
}

/** Moves a demand out of the outbox into the due-date index, once; false when it was pushed or answered meanwhile. */
async function markPushed(d: DemandRecord, pushedAt: string, dueDate: string, provisional: boolean) {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: DEMAND(d.demandId),
        UpdateExpression:
          'SET #s = :pushed, pushedAt = :at, dueDate = :due, dueDateProvisional = :prov, gsi2pk = :pk, gsi2sk = :sk',
        ConditionExpression: '#s = :pending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':pushed': 'pushed',
          ':pending': 'pending',
          ':at': pushedAt,
          ':due': dueDate,
          ':prov': provisional,
          ':pk': dueKeys(d.demandId, dueDate).gsi2pk,
          ':sk': dueKeys(d.demandId, dueDate).gsi2sk,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

async function push(d: DemandRecord): Promise<void> {
  const pushedAt = new Date().toISOString();
  const due = (await calendar()).provisionalDeadline(
    chinaDate(new Date(pushedAt)),
    DEMAND_FEEDBACK_WORKING_DAYS,
  );
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  // Sent before it is marked: a crash between the two sends it again (at least once, and the
  // department's answer is keyed by the id), never loses it.
  await sendTyped(
    departmentQueues[d.department].env,
    'demandPushed',
    demandMessage(d, due.deadline, 0, pushedAt),
  );
  if (!(await markPushed(d, pushedAt, due.deadline, due.provisional))) return;
  await appendAudit(d.caseId, {
    key: `demand.pushed#${d.demandId}`,
    actor: SYSTEM,
    action: 'demand.pushed',
    summary: `需求推送${departmentLabels[d.department]}：${demandTitle(d)}，请于${due.deadline}前反馈（${DEMAND_FEEDBACK_WORKING_DAYS}个工作日）`,
    refs: { demandId: d.demandId },
  });
}

async function escalate(d: DemandRecord, today: string): Promise<boolean> {
  if (d.feedback || !d.dueDate) return false;
  const due = (await calendar()).provisionalDeadline(today, SUPERVISION_WORKING_DAYS);
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  const escalation = d.escalations.length + 1;
  const sentAt = new Date().toISOString();
  await sendTyped(
    departmentQueues[d.department].env,
    'demandEscalated',
    demandMessage(d, due.deadline, escalation, sentAt),
  );
  // The supervisors' inbox, as a warning's (`functions/consumers/notifications.ts`).
  await sendTyped(supervisorQueue.env, 'demandEscalated', {
    taskId: d.demandId,
    kind: 'specialDemand',
    township: d.regionCode,
    caseId: d.caseId,
    overdueSince: d.dueDate,
    newDueDate: due.deadline,
    escalation,
  });
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: DEMAND(d.demandId),
        UpdateExpression:
          'SET #s = :esc, dueDate = :due, dueDateProvisional = :prov, escalations = list_append(escalations, :e), gsi2pk = :pk, gsi2sk = :sk',
        ConditionExpression: 'dueDate = :overdue AND attribute_not_exists(feedback)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':esc': 'escalated',
          ':due': due.deadline,
          ':prov': due.provisional,
          ':e': [{ escalatedAt: sentAt, overdueSince: d.dueDate, newDueDate: due.deadline }],
          ':overdue': d.dueDate,
          ':pk': dueKeys(d.demandId, due.deadline).gsi2pk,
          ':sk': dueKeys(d.demandId, due.deadline).gsi2sk,
        },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
  await appendAudit(d.caseId, {
    key: `demand.escalated#${d.demandId}#${d.dueDate}`,
    actor: SYSTEM,
    action: 'demand.escalated',
    summary: `${departmentLabels[d.department]}逾期未反馈需求（${demandTitle(d)}，期限${d.dueDate}），报督办，再次推送，新期限${due.deadline}`,
    refs: { demandId: d.demandId },
  });
  return true;
}

async function demandsDueOn(day: string): Promise<DemandRecord[]> {
  return (await queryShards('gsi2', `DDUE#${day}#`)).map((i) => strip(i)!);
}

/**
 * The scheduled sweep: pushes every demand in the outbox to its department's queue, then escalates
 * every demand unanswered past its due date (督办, as warnings are: re-pushed marked escalated with the
 * supervisors' new due date, reported to the supervisors' queue, recorded on the chain).
 */
export async function sweepDemands(): Promise<{ pushed: number; escalated: number }> {
  const pending = await pendingDemands();
  for (const d of pending) await push(d);
  const { escalated } = await sweepOverdue(DEMAND_SWEEP, demandsDueOn, escalate);
  if (pending.length || escalated) logger.info('demands swept', { pushed: pending.length, escalated });
  return { pushed: pending.length, escalated };
}

// ── the department's answer ──────────────────────────────────────────────────────────────────────

/**
 * A department's answer, once: the demand leaves the outbox or the due-date index. Undefined when it
 * was answered already (the caller answers 409).
 */
export async function answerDemand(
  d: DemandRecord,
  feedback: DemandFeedbackRecord,
): Promise<DemandRecord | undefined> {
  let answered: DemandRecord | undefined;
  try {
    const { Attributes } = await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: DEMAND(d.demandId),
        UpdateExpression: 'SET feedback = :f, #s = :answered REMOVE gsi2pk, gsi2sk',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(feedback)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':f': feedback, ':answered': 'answered' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    answered = strip(Attributes);
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
  await appendAudit(d.caseId, {
    key: `demand.answered#${d.demandId}`,
    actor: feedback.answeredBy,
    action: 'demand.answered',
    summary: `${departmentLabels[d.department]}反馈需求（${demandTitle(d)}）：${demandResults[feedback.result]}（${feedback.measures}）${
      feedback.late ? '；逾期反馈' : ''
    }`,
    refs: { demandId: d.demandId },
    ledger: {
      regionCode: d.regionCode,
      kind: 'demandAnswered',
      department: d.department,
      item: d.item,
      result: feedback.result,
    },
  });
  return answered;
}

/** Records on the chain that a department officer read who a demand reaches. */
export async function recordDemandRead(d: DemandRecord, by: Actor): Promise<void> {
  const at = new Date().toISOString();
  await appendAudit(d.caseId, {
    key: `demand.viewed#${d.demandId}#${by.subject}#${at}`,
    actor: by,
    action: 'demand.viewed',
    summary: `${departmentLabels[d.department]}查看需求对象身份（${demandTitle(d)}）`,
    refs: { demandId: d.demandId },
  });
}
