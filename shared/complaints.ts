/**
 * 举报投诉 (社会救助法第六十条: the hotline 受理和转介咨询、举报投诉; 第六十三条: online; 第六十八条: anyone
 * may report staff's wrongdoing, and the body receiving it verifies and deals with it 及时): a report
 * of a household paid that should not be, one missed, or staff misconduct, made online by anyone or
 * recorded by a hotline operator, goes to the county's inbox as a task due in working days and
 * escalated when it lapses; its conclusion is recorded, and the reporter reads it with the code they
 * were given. The reporter's name and number, and what was reported, are sealed; auditors see counts,
 * timeliness and outcomes by region (`complaintStats`), never who reported.
 *
 * | entity    | pk                    | sk          | gsi1pk / gsi1sk                                    | gsi2 (until concluded) |
 * |-----------|-----------------------|-------------|----------------------------------------------------|------------------------|
 * | complaint | `COMPLAINT#<id>`      | `COMPLAINT` | `COMPLAINTS#<province>` / `<regionCode>#<at>#<id>` | `CDUE#<due>#<shard>`   |
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { appendAudit, auditTaskEscalated, auditTaskOpened, SYSTEM } from './audit.ts';
import { dynamo, sendTyped } from './clients.ts';
import { requiredEnv } from './config.ts';
import { fieldCipher, type Sealed } from './crypto.ts';
import type { Actor } from './domain/cases.ts';
import { chinaDate } from './domain/dates.ts';
import { SUPERVISION_WORKING_DAYS } from './domain/determination.ts';
import { stableId } from './domain/ids.ts';
import {
  COMPLAINT_KIND,
  COMPLAINT_TASK_TOKEN,
  type ComplaintTask,
  type TaskDecision,
} from './domain/tasks.ts';
import { logger } from './logger.ts';
import { recordCalendarFallback } from './metrics.ts';
import { decideWithRecord, escalateStandaloneTask, getTask, putWithTask } from './repositories/cases.ts';
import { queryByProvince, queryShards, sweepOverdue } from './repositories/monitoring.ts';
import { calendar } from './repositories/parameters.ts';
import { casesTable, caseworkerQueue, DUE_SHARDS, supervisorQueue } from './resources.ts';
import {
  type ComplaintChannel,
  type ComplaintInput,
  type ComplaintKind,
  complaintChannels,
  complaintKinds,
} from './schemas/casework.ts';

const table = () => requiredEnv(casesTable.env);
const COMPLAINT = (id: string) => ({ pk: `COMPLAINT#${id}`, sk: 'COMPLAINT' });
const shardOf = (id: string) => createHash('sha256').update(id).digest()[0]! % DUE_SHARDS;
const dueKeys = (id: string, due: string) => ({
  gsi2pk: `CDUE#${due}#${shardOf(id)}`,
  gsi2sk: `${due}#${id}`,
});

/**
 * Working days the county has to verify and conclude: 第六十八条 says 及时 only; 15, the time most
 * provinces' rules on reports give (docs/architecture.md §7), then the supervisors' 3.
 */
export const COMPLAINT_WORKING_DAYS = 15;

export type ComplaintStatus = 'open' | 'escalated' | 'substantiated' | 'unsubstantiated';
export const complaintStatusLabels: Record<ComplaintStatus, string> = {
  open: '核实处理中',
  escalated: '逾期，已报督办',
  substantiated: '经核实属实，已处理',
  unsubstantiated: '经核实不属实',
};

export interface ComplaintRecord {
  complaintId: string;
  chainId: string;
  regionCode: string;
  kind: ComplaintKind;
  channel: ComplaintChannel;
  /** What was reported and who reported it, sealed. */
  sealed: { content: Sealed; reporter: Sealed | null };
  /** The reporter's code, hashed: they show the code to read the conclusion. */
  codeHash: string;
  receivedAt: string;
  /** The operator who recorded a call, letter or visit; absent for one made online. */
  recordedBy?: Actor;
  taskId: string;
  dueDate: string;
  status: ComplaintStatus;
  escalations: Array<{ escalatedAt: string; overdueSince: string; newDueDate: string }>;
  conclusion?: {
    substantiated: boolean;
    reasons: string[];
    concludedAt: string;
    concludedBy: Actor;
    late: boolean;
  };
}

const hashCode = (code: string) => createHash('sha256').update(`complaint-code\u0000${code}`).digest('hex');
/** 8 characters a person can read out on the phone (no 0/O, 1/I). */
const newCode = () => [...randomBytes(8)].map((b) => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[b % 32]).join('');

function strip(item: Record<string, unknown> | undefined): ComplaintRecord | undefined {
  if (!item) return undefined;
  const { pk: _p, sk: _s, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest } = item;
  return rest as unknown as ComplaintRecord;
}

/** Received: sealed, in the county's inbox, announced; answers the complaint and the reporter's code (shown once). */
export async function receiveComplaint(
  input: ComplaintInput,
  recordedBy: Actor | undefined,
): Promise<{ complaint: ComplaintRecord; code: string }> {
  const complaintId = stableId('cmp', randomUUID());
  const receivedAt = new Date().toISOString();
  const due = (await calendar()).provisionalDeadline(chinaDate(new Date(receivedAt)), COMPLAINT_WORKING_DAYS);
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  const cipher = fieldCipher();
  const code = newCode();
  const chainId = `complaint-${complaintId}`;
  const taskId = stableId('task', complaintId, COMPLAINT_KIND);
  const complaint: ComplaintRecord = {
    complaintId,
    chainId,
    regionCode: input.regionCode,
    kind: input.kind,
    channel: input.channel,
    sealed: {
      content: await cipher.seal(input.content),
      reporter: input.reporter ? await cipher.seal(JSON.stringify(input.reporter)) : null,
    },
    codeHash: hashCode(code),
    receivedAt,
    ...(recordedBy ? { recordedBy } : {}),
    taskId,
    dueDate: due.deadline,
    status: 'open',
    escalations: [],
  };
  const task: ComplaintTask = {
    taskId,
    kind: COMPLAINT_KIND,
    status: 'open',
    round: 1,
    applicationId: complaintId,
    caseId: chainId,
    township: input.regionCode,
    taskToken: COMPLAINT_TASK_TOKEN,
    executionArn: COMPLAINT_TASK_TOKEN,
    createdAt: receivedAt,
    dueDate: due.deadline,
    ...(due.provisional ? { dueDateProvisional: true } : {}),
    complaint: {
      complaintId,
      kind: input.kind,
      kindLabel: complaintKinds[input.kind],
      channel: input.channel,
      channelLabel: complaintChannels[input.channel],
    },
  };
  await putWithTask(
    {
      ...COMPLAINT(complaintId),
      gsi1pk: `COMPLAINTS#${input.regionCode.slice(0, 2)}`,
      gsi1sk: `${input.regionCode}#${receivedAt}#${complaintId}`,
      ...dueKeys(complaintId, due.deadline),
      ...complaint,
    },
    task,
  );
  await appendAudit(chainId, {
    key: `complaint.received#${complaintId}`,
    actor: recordedBy ?? SYSTEM,
    action: 'complaint.received',
    summary: `受理举报投诉（${complaintChannels[input.channel]}）：${complaintKinds[input.kind]}，${COMPLAINT_WORKING_DAYS}个工作日内核实处理`,
    refs: { complaintId },
  });
  await auditTaskOpened(task);
  await sendTyped(caseworkerQueue.env, 'taskOpened', {
    taskId,
    kind: COMPLAINT_KIND,
    township: input.regionCode,
    caseId: chainId,
    dueDate: due.deadline,
  });
  return { complaint, code };
}

export async function getComplaint(complaintId: string): Promise<ComplaintRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: COMPLAINT(complaintId), ConsistentRead: true }),
  );
  return strip(Item);
}

/** The complaint, if `code` is the one its reporter was given. */
export async function complaintForReporter(complaintId: string, code: string) {
  const complaint = await getComplaint(complaintId);
  return complaint && complaint.codeHash === hashCode(code) ? complaint : undefined;
}

export async function openComplaint(c: ComplaintRecord) {
  const cipher = fieldCipher();
  return {
    content: String(await cipher.open(c.sealed.content)),
    reporter: c.sealed.reporter
      ? (JSON.parse(String(await cipher.open(c.sealed.reporter))) as { name?: string; phone?: string })
      : null,
  };
}

/** Concluded with its task's decision, once; false when decided already. */
export async function concludeComplaint(
  task: ComplaintTask,
  decision: TaskDecision,
  by: Actor,
): Promise<boolean> {
  const complaint = await getComplaint(task.complaint.complaintId);
  if (!complaint) return false;
  const substantiated = decision.decision === 'approve';
  const conclusion = {
    substantiated,
    reasons: decision.reasons,
    concludedAt: decision.decidedAt,
    concludedBy: by,
    late: complaint.escalations.length > 0 || chinaDate(new Date(decision.decidedAt)) > complaint.dueDate,
  };
  const done = await decideWithRecord(task.taskId, decision, {
    key: COMPLAINT(complaint.complaintId),
    set: { status: substantiated ? 'substantiated' : 'unsubstantiated', conclusion },
    // Out of the due-date index: nothing left to escalate.
    remove: ['gsi2pk', 'gsi2sk'],
  });
  if (!done) return false;
  await appendAudit(complaint.chainId, {
    key: `complaint.concluded#${complaint.complaintId}`,
    actor: by,
    action: 'complaint.concluded',
    summary: `举报投诉经核实${substantiated ? '属实' : '不属实'}：${decision.reasons.join('；')}${conclusion.late ? '（逾期办结）' : ''}`,
    refs: { complaintId: complaint.complaintId },
  });
  return true;
}

async function complaintsDueOn(day: string): Promise<ComplaintRecord[]> {
  return (await queryShards('gsi2', `CDUE#${day}#`)).map((i) => strip(i)!);
}

async function escalate(c: ComplaintRecord, today: string): Promise<boolean> {
  if (c.conclusion) return false;
  const due = (await calendar()).provisionalDeadline(today, SUPERVISION_WORKING_DAYS);
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  const escalation = {
    escalatedAt: new Date().toISOString(),
    overdueSince: c.dueDate,
    newDueDate: due.deadline,
  };
  if (!(await escalateStandaloneTask(c.taskId, escalation, due.provisional))) return false;
  await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: COMPLAINT(c.complaintId),
      UpdateExpression:
        'SET #s = :esc, dueDate = :due, escalations = list_append(escalations, :e), gsi2pk = :pk, gsi2sk = :sk',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':esc': 'escalated',
        ':due': due.deadline,
        ':e': [escalation],
        ':pk': dueKeys(c.complaintId, due.deadline).gsi2pk,
        ':sk': dueKeys(c.complaintId, due.deadline).gsi2sk,
      },
    }),
  );
  const task = (await getTask(c.taskId)) as ComplaintTask;
  await auditTaskEscalated(task, escalation);
  await sendTyped(supervisorQueue.env, 'taskEscalated', {
    taskId: c.taskId,
    kind: COMPLAINT_KIND,
    township: c.regionCode,
    caseId: c.chainId,
    overdueSince: c.dueDate,
    newDueDate: due.deadline,
    escalation: c.escalations.length + 1,
  });
  return true;
}

/** 督办: every complaint not concluded by its due date, escalated once per lapsed date (scheduled). */
export async function escalateComplaints(): Promise<{ escalated: number; cursor: string }> {
  const result = await sweepOverdue('CSWEEP', complaintsDueOn, escalate);
  if (result.escalated) logger.info('complaints escalated', result);
  return result;
}

/** The complaints of a region received between two days (China time), oldest first. */
export async function listComplaints(
  regionCode: string,
  from: string,
  to: string,
): Promise<ComplaintRecord[]> {
  const items = await queryByProvince('COMPLAINTS#', regionCode);
  return items
    .map((i) => strip(i)!)
    .filter((c) => {
      const day = chinaDate(new Date(c.receivedAt));
      return day >= from && day <= to;
    })
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}

export interface ComplaintStats {
  regionCode: string;
  from: string;
  to: string;
  total: number;
  byKind: Array<{ kind: ComplaintKind; kindLabel: string; count: number }>;
  byChannel: Array<{ channel: ComplaintChannel; channelLabel: string; count: number }>;
  outcomes: { open: number; substantiated: number; unsubstantiated: number };
  timeliness: { concludedOnTime: number; concludedLate: number; openOverdue: number };
  byRegion: Array<{ regionCode: string; total: number; open: number; substantiated: number; late: number }>;
}

/** Pure: counts, outcomes and timeliness, by region — nothing of who reported or what. */
export function complaintStats(
  complaints: readonly ComplaintRecord[],
  query: { regionCode: string; from: string; to: string },
  today: string,
): ComplaintStats {
  const count = <K extends string>(keys: readonly K[], of: (c: ComplaintRecord) => K) =>
    keys.map((k) => ({ key: k, count: complaints.filter((c) => of(c) === k).length })).filter((x) => x.count);
  const regions = [...new Set(complaints.map((c) => c.regionCode))].sort();
  const late = (c: ComplaintRecord) => !!c.conclusion?.late;
  const open = (c: ComplaintRecord) => !c.conclusion;
  return {
    ...query,
    total: complaints.length,
    byKind: count(Object.keys(complaintKinds) as ComplaintKind[], (c) => c.kind).map(({ key, count: n }) => ({
      kind: key,
      kindLabel: complaintKinds[key],
      count: n,
    })),
    byChannel: count(Object.keys(complaintChannels) as ComplaintChannel[], (c) => c.channel).map(
      ({ key, count: n }) => ({ channel: key, channelLabel: complaintChannels[key], count: n }),
    ),
    outcomes: {
      open: complaints.filter(open).length,
      substantiated: complaints.filter((c) => c.conclusion?.substantiated === true).length,
      unsubstantiated: complaints.filter((c) => c.conclusion?.substantiated === false).length,
    },
    timeliness: {
      concludedOnTime: complaints.filter((c) => c.conclusion && !late(c)).length,
      concludedLate: complaints.filter(late).length,
      openOverdue: complaints.filter((c) => open(c) && (c.escalations.length > 0 || c.dueDate < today))
        .length,
    },
    byRegion: regions.map((regionCode) => {
      const mine = complaints.filter((c) => c.regionCode === regionCode);
      return {
        regionCode,
        total: mine.length,
        open: mine.filter(open).length,
        substantiated: mine.filter((c) => c.conclusion?.substantiated === true).length,
        late: mine.filter((c) => late(c) || (open(c) && c.escalations.length > 0)).length,
      };
    }),
  };
}
