/**
 * 主动发现 (社会救助法第三十九条): a village or residents' committee, another grassroots unit or the
 * township's own visits find a household that may need help; the township is to tell it of the
 * policies and help it apply. Each finding is a discovery with a task in the township's inbox
 * (`outreach`), due in working days by its urgency, closed with the application the household made or
 * with why none was made. A monitoring omission warning (疑似漏保) whose home check found the need real
 * becomes a discovery too (`discoveryFromWarning`).
 *
 * | entity    | pk                      | sk          | gsi1pk / gsi1sk                                    |
 * |-----------|-------------------------|-------------|----------------------------------------------------|
 * | discovery | `DISCOVERY#<id>`        | `DISCOVERY` | `DISCOVERIES#<province>` / `<regionCode>#<at>#<id>` |
 *
 * Where the household lives, what was seen and whom to call are sealed; the task carries only the
 * urgency and a summary without names or numbers, and the township reads the rest on the discovery.
 * Its chain is `discovery-<id>`; an application it led to has the link on its own chain too.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { appendAudit, auditTaskOpened, SYSTEM } from './audit.ts';
import { dynamo, sendTyped } from './clients.ts';
import { requiredEnv } from './config.ts';
import { fieldCipher, type Sealed } from './crypto.ts';
import type { Actor } from './domain/cases.ts';
import { chinaDate } from './domain/dates.ts';
import { stableId } from './domain/ids.ts';
import { OUTREACH_KIND, OUTREACH_TASK_TOKEN, type OutreachTask, type TaskDecision } from './domain/tasks.ts';
import { recordCalendarFallback } from './metrics.ts';
import { decideWithRecord, putWithTask } from './repositories/cases.ts';
import { queryByProvince } from './repositories/monitoring.ts';
import { calendar } from './repositories/parameters.ts';
import { casesTable, caseworkerQueue } from './resources.ts';
import {
  type DiscoveryInput,
  type DiscoverySource,
  type DiscoveryUrgency,
  discoverySources,
  discoveryUrgencies,
} from './schemas/casework.ts';

const table = () => requiredEnv(casesTable.env);
const DISCOVERY = (id: string) => ({ pk: `DISCOVERY#${id}`, sk: 'DISCOVERY' });

/**
 * Working days to contact the household: 第三十九条 says 及时 only. An urgent finding within the next
 * working day, as an emergency's grant; any other within 5 (docs/architecture.md §7).
 */
export const OUTREACH_WORKING_DAYS: Record<DiscoveryUrgency, number> = { urgent: 1, normal: 5 };

export type DiscoveryStatus = 'open' | 'applied' | 'closed';
export const discoveryStatusLabels: Record<DiscoveryStatus, string> = {
  open: '待联系',
  applied: '已协助申请',
  closed: '未申请（已记录原因）',
};

export interface DiscoveryRecord {
  discoveryId: string;
  chainId: string;
  regionCode: string;
  source: DiscoverySource;
  reportedBy: string;
  urgency: DiscoveryUrgency;
  sealed: { address: Sealed; observed: Sealed; contact: Sealed | null };
  recordedAt: string;
  recordedBy: Actor;
  warningId?: string;
  taskId: string;
  dueDate: string;
  status: DiscoveryStatus;
  outcome?: {
    applicationId: string | null;
    reasons: string[];
    closedAt: string;
    closedBy: Actor;
  };
}

/** What is sealed, opened. */
export interface DiscoveryDetail {
  address: string;
  observed: string;
  contact: { name?: string; phone?: string } | null;
}

function strip(item: Record<string, unknown> | undefined): DiscoveryRecord | undefined {
  if (!item) return undefined;
  const { pk: _p, sk: _s, gsi1pk: _a, gsi1sk: _b, ...rest } = item;
  return rest as unknown as DiscoveryRecord;
}

/** A summary the inbox may show: the first words of what was seen, without digits (phone or ID numbers). */
const summaryOf = (observed: string) => {
  const plain = observed.replace(/\d/g, '*');
  return plain.length > 40 ? `${plain.slice(0, 40)}…` : plain;
};

/**
 * Records a discovery once (a warning's is keyed by the warning) and opens its task in the inbox of
 * `regionCode`, announced on the caseworkers' queue.
 */
export async function recordDiscovery(
  input: Omit<DiscoveryInput, 'source'> & { source: DiscoverySource; warningId?: string },
  by: Actor,
): Promise<{ created: boolean; discovery: DiscoveryRecord }> {
  const discoveryId = stableId('dsc', input.warningId ?? randomUUID());
  const recordedAt = new Date().toISOString();
  const days = OUTREACH_WORKING_DAYS[input.urgency];
  const due = (await calendar()).provisionalDeadline(chinaDate(new Date(recordedAt)), days);
  if (due.provisional) recordCalendarFallback(due.assumedYears);
  const cipher = fieldCipher();
  const chainId = `discovery-${discoveryId}`;
  const taskId = stableId('task', discoveryId, OUTREACH_KIND);
  const discovery: DiscoveryRecord = {
    discoveryId,
    chainId,
    regionCode: input.regionCode,
    source: input.source,
    reportedBy: input.reportedBy,
    urgency: input.urgency,
    sealed: {
      address: await cipher.seal(input.address),
      observed: await cipher.seal(input.observed),
      contact: input.contact ? await cipher.seal(JSON.stringify(input.contact)) : null,
    },
    recordedAt,
    recordedBy: by,
    ...(input.warningId ? { warningId: input.warningId } : {}),
    taskId,
    dueDate: due.deadline,
    status: 'open',
  };
  const task: OutreachTask = {
    taskId,
    kind: OUTREACH_KIND,
    status: 'open',
    round: 1,
    applicationId: discoveryId,
    caseId: chainId,
    township: input.regionCode,
    taskToken: OUTREACH_TASK_TOKEN,
    executionArn: OUTREACH_TASK_TOKEN,
    createdAt: recordedAt,
    dueDate: due.deadline,
    ...(due.provisional ? { dueDateProvisional: true } : {}),
    outreach: {
      discoveryId,
      source: input.source,
      sourceLabel: discoverySources[input.source],
      urgency: input.urgency,
      summary: summaryOf(input.observed),
      ...(input.warningId ? { warningId: input.warningId } : {}),
    },
  };
  const created = await putWithTask(
    {
      ...DISCOVERY(discoveryId),
      gsi1pk: `DISCOVERIES#${input.regionCode.slice(0, 2)}`,
      gsi1sk: `${input.regionCode}#${recordedAt}#${discoveryId}`,
      ...discovery,
    },
    task,
  );
  if (!created) return { created: false, discovery: (await getDiscovery(discoveryId))! };
  await appendAudit(chainId, {
    key: `discovery.recorded#${discoveryId}`,
    actor: by,
    action: 'discovery.recorded',
    summary: `主动发现（${discoverySources[input.source]}，${input.reportedBy}）：${discoveryUrgencies[input.urgency]}，${summaryOf(input.observed)}`,
    refs: { discoveryId, ...(input.warningId ? { warningId: input.warningId } : {}) },
  });
  await auditTaskOpened(task);
  await sendTyped(caseworkerQueue.env, 'taskOpened', {
    taskId,
    kind: OUTREACH_KIND,
    township: input.regionCode,
    caseId: chainId,
    dueDate: due.deadline,
  });
  return { created: true, discovery };
}

/**
 * A monitoring omission warning whose home check found the need real (核查属实): the household is to be
 * helped to apply, as any household found (once per warning).
 */
export async function discoveryFromWarning(warning: {
  warningId: string;
  regionCode: string;
  message: string;
}): Promise<void> {
  await recordDiscovery(
    {
      regionCode: warning.regionCode,
      source: 'warning',
      reportedBy: '低收入人口动态监测（入户核查属实）',
      address: '见预警所涉家庭',
      observed: warning.message,
      urgency: 'normal',
      warningId: warning.warningId,
    },
    SYSTEM,
  );
}

export async function getDiscovery(discoveryId: string): Promise<DiscoveryRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: DISCOVERY(discoveryId), ConsistentRead: true }),
  );
  return strip(Item);
}

export async function openDiscovery(d: DiscoveryRecord): Promise<DiscoveryDetail> {
  const cipher = fieldCipher();
  return {
    address: String(await cipher.open(d.sealed.address)),
    observed: String(await cipher.open(d.sealed.observed)),
    contact: d.sealed.contact ? JSON.parse(String(await cipher.open(d.sealed.contact))) : null,
  };
}

/** The discoveries of a region (a province or city covers its counties), newest first. */
export async function listDiscoveries(regionCode: string): Promise<DiscoveryRecord[]> {
  const items = await queryByProvince('DISCOVERIES#', regionCode);
  return items.map((i) => strip(i)!).sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
}

/**
 * Closes the discovery with its task's decision, once: applied (the application the household made)
 * or closed with the reasons. False when the task was decided already.
 */
export async function closeDiscovery(
  task: OutreachTask,
  decision: TaskDecision,
  applicationId: string | null,
  by: Actor,
): Promise<boolean> {
  const closed = await decideWithRecord(task.taskId, decision, {
    key: DISCOVERY(task.outreach.discoveryId),
    set: {
      status: applicationId ? 'applied' : 'closed',
      outcome: { applicationId, reasons: decision.reasons, closedAt: decision.decidedAt, closedBy: by },
    },
  });
  if (!closed) return false;
  await appendAudit(task.caseId, {
    key: `discovery.closed#${task.outreach.discoveryId}`,
    actor: by,
    action: 'discovery.closed',
    summary: applicationId
      ? `已联系并协助提出申请 ${applicationId}${decision.reasons.length ? `（${decision.reasons.join('；')}）` : ''}`
      : `已联系，未提出申请：${decision.reasons.join('；')}`,
    refs: { discoveryId: task.outreach.discoveryId, ...(applicationId ? { applicationId } : {}) },
  });
  return true;
}

/** On the application's own chain: it came from a discovery. */
export async function linkApplication(caseId: string, discovery: DiscoveryRecord, by: Actor): Promise<void> {
  await appendAudit(caseId, {
    key: `discovery.linked#${discovery.discoveryId}`,
    actor: by,
    action: 'discovery.linked',
    summary: `经主动发现（${discoverySources[discovery.source]}，${discovery.recordedAt.slice(0, 10)}）协助申请`,
    refs: { discoveryId: discovery.discoveryId },
  });
}
