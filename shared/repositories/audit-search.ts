/**
 * The auditor's search (key design in `shared/resources.ts`): applications indexed by region and
 * submission time in the sparse `gsi1` under `APPS#<regionCode>` / `<submittedAt>#<applicationId>`,
 * each carrying a small summary of its human tasks (`taskSummaries`, keyed by task id) that the
 * task writes in `cases.ts` keep in the same transaction as the task itself — so a search reads one
 * index partition and never the tasks or the household's declaration.
 */
import { DynamoDBServiceException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { chinaDate } from '../domain/dates.ts';
import { reviewCompliance } from '../domain/deadlines.ts';
import { isApplicationTask, type Task } from '../domain/tasks.ts';
import { casesTable } from '../resources.ts';
import type { ApplicationRecord, ApplicationStatus, Escalation, TaskKind, TaskRecord } from './cases.ts';

const table = () => requiredEnv(casesTable.env);

/** `gsi1` keys of an application: its region's partition, in submission order. */
export const applicationIndexKeys = (
  app: Pick<ApplicationRecord, 'applicationId' | 'regionCode' | 'submittedAt'>,
) => ({
  gsi1pk: `APPS#${app.regionCode}`,
  gsi1sk: `${app.submittedAt}#${app.applicationId}`,
});

/** What an auditor needs of a task to judge its deadline: no token, no means test, no household. */
export interface TaskSummary {
  taskId: string;
  kind: TaskKind;
  round: number;
  createdAt: string;
  /** The due date the task was opened with (working days from its opening). */
  dueDate: string;
  dueDateProvisional?: boolean;
  /** The due date in force now: the supervisor's (督办期限) after an escalation, else `dueDate`. */
  currentDueDate: string;
  escalations: Escalation[];
  decidedAt?: string;
  decision?: 'approve' | 'reject' | 'dismiss';
  decidedBy?: { subject?: string; name: string; role?: string };
}

export function taskSummary(task: TaskRecord): TaskSummary {
  const actor = task.decision?.decidedByActor;
  return {
    taskId: task.taskId,
    kind: task.kind,
    round: task.round,
    createdAt: task.createdAt,
    dueDate: task.escalations?.[0]?.overdueSince ?? task.dueDate,
    ...(task.dueDateProvisional ? { dueDateProvisional: true } : {}),
    currentDueDate: task.dueDate,
    escalations: task.escalations ?? [],
    ...(task.decision
      ? {
          decidedAt: task.decision.decidedAt,
          decision: task.decision.decision,
          decidedBy: actor
            ? { subject: actor.subject, name: actor.name, role: actor.role }
            : { name: task.decision.decidedBy },
        }
      : {}),
  };
}

/**
 * The write of a task's summary onto its application, as an item of the transaction that writes the
 * task: the whole summary each time, so it is always the task as just written. None for a recheck's,
 * an emergency's or a home check's task, which `cases.decideTask` decides too: they have no
 * application of their own.
 */
export function taskSummaryWrites(task: Task) {
  if (!isApplicationTask(task)) return [];
  return [
    {
      Update: {
        TableName: table(),
        Key: { pk: `APP#${task.applicationId}`, sk: 'APP' },
        UpdateExpression: 'SET taskSummaries.#task = :summary',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#task': task.taskId },
        ExpressionAttributeValues: { ':summary': taskSummary(task) },
      },
    },
  ];
}

/**
 * Whether a transaction failed because the application has no `taskSummaries` map yet (written
 * before summaries existed): DynamoDB refuses a path into a missing map — as a cancellation reason
 * of the transaction's item at `index`, or (DynamoDB Local) as a validation error of the request.
 */
export const missingSummaries = (error: unknown, index: number) =>
  (error instanceof TransactionCanceledException &&
    error.CancellationReasons?.[index]?.Code === 'ValidationError') ||
  (error instanceof DynamoDBServiceException &&
    error.name === 'ValidationException' &&
    /document path/i.test(error.message));

/** Gives an application written before task summaries existed an empty map, so the next write can go in. */
export async function ensureTaskSummaries(applicationId: string): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: `APP#${applicationId}`, sk: 'APP' },
      UpdateExpression: 'SET taskSummaries = if_not_exists(taskSummaries, :none)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':none': {} },
    }),
  );
}

/** Two transactions on the same item at once: DynamoDB cancels one, which may simply go again. */
export const transactionConflict = (error: unknown) =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');

// ── the search ───────────────────────────────────────────────────────────────────────────────────

export interface AuditQuery {
  regionCode: string;
  status?: ApplicationStatus | undefined;
  /** The name (in part) or the exact subject of someone who decided one of the application's tasks. */
  caseworker?: string | undefined;
  /** Only (true) or none of (false) the applications registered separately (57号 第十一条). */
  relatives?: boolean | undefined;
  /** Submission dates (China time), inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
}

export interface TaskCompliance extends TaskSummary {
  escalated: boolean;
  /** Decided by the due date it was opened with (its China date); null while open. */
  onTime: boolean | null;
  /** Open past the due date in force today. */
  overdue: boolean;
}

export interface AuditApplication {
  applicationId: string;
  caseId: string;
  regionCode: string;
  status: ApplicationStatus;
  requestedTier: string;
  tier: string | null;
  submittedAt: string;
  determinedAt: string | null;
  decidedBy: Array<{ subject?: string; name: string; role?: string }>;
  /** 审核确认时限: the whole review's, from acceptance (null before the means test set it). */
  reviewDeadline: ReturnType<typeof reviewCompliance> | null;
  /** 单独登记备案 (57号 第十一条). */
  relativesRegistered: boolean;
  tasks: TaskCompliance[];
}

type Indexed = Pick<
  ApplicationRecord,
  | 'applicationId'
  | 'caseId'
  | 'regionCode'
  | 'status'
  | 'requestedTier'
  | 'submittedAt'
  | 'determination'
  | 'reviewDeadline'
  | 'relativesRegister'
> & { taskSummaries?: Record<string, TaskSummary> };

/** The instant a China date begins, as the ISO text `submittedAt` is stored in. */
const startOfChinaDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - 8 * 3_600_000).toISOString();
const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export function compliance(summary: TaskSummary, today = chinaDate()): TaskCompliance {
  const decidedOn = summary.decidedAt ? chinaDate(new Date(summary.decidedAt)) : undefined;
  return {
    ...summary,
    escalated: summary.escalations.length > 0,
    onTime: decidedOn === undefined ? null : decidedOn <= summary.dueDate,
    overdue: decidedOn === undefined && today > summary.currentDueDate,
  };
}

const matchesCaseworker = (tasks: TaskSummary[], who: string) => {
  const needle = who.trim().toLowerCase();
  return tasks.some(
    (t) =>
      t.decidedBy !== undefined &&
      (t.decidedBy.subject === who.trim() || t.decidedBy.name.toLowerCase().includes(needle)),
  );
};

/**
 * Applications of one region submitted in a date range, newest first, filtered by status and by
 * who decided their tasks; at most `limit` (`truncated` says whether more matched).
 */
export async function searchApplications(
  q: AuditQuery,
): Promise<{ applications: AuditApplication[]; truncated: boolean }> {
  const lo = q.from ? startOfChinaDay(q.from) : undefined;
  const hi = q.to ? startOfChinaDay(nextDay(q.to)) : undefined;
  const range =
    lo && hi ? ' AND gsi1sk BETWEEN :lo AND :hi' : lo ? ' AND gsi1sk >= :lo' : hi ? ' AND gsi1sk < :hi' : '';
  const filters = [
    ...(q.status ? ['#s = :status'] : []),
    ...(q.relatives === true ? ['attribute_exists(relativesRegister)'] : []),
    ...(q.relatives === false ? ['attribute_not_exists(relativesRegister)'] : []),
  ];
  const out: AuditApplication[] = [];
  let truncated = false;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  const today = chinaDate();
  do {
    // One page at a time, so a search of a busy county stops reading once it has enough.
    const page = await dynamo().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'gsi1',
        KeyConditionExpression: `gsi1pk = :pk${range}`,
        // Only what the search shows: the declaration (names, ID numbers, incomes) is never read.
        ProjectionExpression:
          'applicationId, caseId, regionCode, #s, requestedTier, submittedAt, determination, reviewDeadline, relativesRegister, taskSummaries',
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':pk': `APPS#${q.regionCode}`,
          ...(lo ? { ':lo': lo } : {}),
          ...(hi ? { ':hi': hi } : {}),
          ...(q.status ? { ':status': q.status } : {}),
        },
        ScanIndexForward: false,
        ExclusiveStartKey,
      }),
    );
    for (const item of (page.Items ?? []) as Indexed[]) {
      const summaries = Object.values(item.taskSummaries ?? {}).sort(
        (a, b) => a.createdAt.localeCompare(b.createdAt) || a.taskId.localeCompare(b.taskId),
      );
      if (q.caseworker && !matchesCaseworker(summaries, q.caseworker)) continue;
      if (out.length === q.limit) {
        truncated = true;
        break;
      }
      const deciders = new Map<string, { subject?: string; name: string; role?: string }>();
      for (const t of summaries)
        if (t.decidedBy) deciders.set(t.decidedBy.subject ?? `name:${t.decidedBy.name}`, t.decidedBy);
      out.push({
        applicationId: item.applicationId,
        caseId: item.caseId,
        regionCode: item.regionCode,
        status: item.status,
        requestedTier: item.requestedTier,
        tier: item.determination?.tier ?? null,
        submittedAt: item.submittedAt,
        determinedAt: item.determination?.decidedAt ?? null,
        decidedBy: [...deciders.values()],
        reviewDeadline: item.reviewDeadline
          ? reviewCompliance(item.reviewDeadline, item.determination?.decidedAt, today)
          : null,
        relativesRegistered: item.relativesRegister !== undefined,
        tasks: summaries.map((s) => compliance(s, today)),
      });
    }
    ExclusiveStartKey = truncated ? undefined : page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return { applications: out, truncated };
}
