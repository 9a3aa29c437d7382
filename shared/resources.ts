/**
 * Tables and queues, defined once: `infra/` builds the CloudFormation resources from these and
 * `local/` creates the same tables in DynamoDB Local and the same queues in fauxqs. A test
 * compares the synthesized template against this file.
 */
import { type Department, departments } from './monitoring/vocabulary.ts';

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface TableDefinition {
  /** Logical id in CDK; also the suffix of the local table name. */
  id: string;
  /** The environment variable through which functions learn the table's name. */
  env: string;
  partitionKey: KeyAttribute;
  /** Absent for a table of single-key items (the idempotency records). */
  sortKey?: KeyAttribute;
  globalSecondaryIndexes: Array<{ name: string; partitionKey: KeyAttribute; sortKey: KeyAttribute }>;
  timeToLiveAttribute?: string;
  /**
   * `false` for a table that never holds a sealed personal field nor a blind index: a grant on it
   * gives no use of the field and blind-index keys.
   */
  personalFields?: false;
}

export interface QueueDefinition {
  id: string;
  env: string;
  /** Seconds a received message stays hidden; consumers must finish well within it. */
  visibilityTimeout: number;
  /** Receives before a message is moved to the dead-letter queue. */
  maxReceiveCount: number;
  /** 14 days, the SQS maximum, on the DLQ so that nothing poisoned is lost before someone looks. */
  deadLetterRetentionDays: number;
  /** How long an unread message is kept (SQS's default: 4 days). */
  retentionDays?: number;
}

/**
 * The case table holds applications, cases, tasks, notices and idempotency records, one entity
 * per partition key so writes spread:
 *
 * | entity        | pk                    | sk                      | gsi1pk / gsi1sk (sparse)                        |
 * |---------------|-----------------------|-------------------------|-------------------------------------------------|
 * | application   | `APP#<applicationId>` | `APP`                   | `APPS#<regionCode>` / `<submittedAt>#<appId>`   |
 * | case          | `CASE#<caseId>`       | `CASE`                  | –                                               |
 * | execution     | `CASE#<caseId>`       | `EXEC#<startedAt>#<id>` | –                                               |
 * | notice        | `CASE#<caseId>`       | `NOTICE#<noticeId>`     | –                                               |
 * | task          | `TASK#<taskId>`       | `TASK`                  | `OPEN#<township>` / `<due>#<taskId>`            |
 * | decided task  | `TASK#<taskId>`       | `TASK`                  | `UNDELIVERED#<shard>` / `<decidedAt>#<taskId>`  |
 * | idempotency   | `IDEMP#<scope>#<key>` | `IDEMP`                 | –                                               |
 * | schedule      | `CASE#<caseId>`       | `SCHEDULE#<wf>#<due>`   | gsi2: `DUE#<date>#<shard>` / `<dueAt>#<caseId>#<wf>` |
 * | audit entry   | `CASE#<chainId>`      | `AUDIT#<seq>`           | ledger entries: `LEDGER#<month>#<shard>` / `<region>#<at>#<chain>#<seq>` |
 * | audit head    | `CASE#<chainId>`      | `AUDIT#HEAD`            | `AUDITHEADS#<shard>` / `<at of last entry>#<chainId>` |
 *
 * `gsi1` holds these kinds of partition (the ledger and the audit heads are described in
 * `shared/audit.ts`), told apart by their prefix:
 * - `OPEN#<township>`, the township inbox: only open tasks carry these keys, so deciding a task
 *   removes it from the index. A township has at most a few hundred open tasks, far below a
 *   partition's throughput.
 * - `UNDELIVERED#<shard>`, decisions recorded but not yet known to have reached their workflow:
 *   deciding a task moves it here (same write), and it leaves once `SendTaskSuccess` answered (or
 *   the workflow turned out to be over). What a crash or a failed call leaves behind, the
 *   redelivery job (`functions/steps/redeliver.ts`) finds by reading each shard up to a minute ago.
 *   Every decision passes through (one write in, one out), so the entries spread over `DUE_SHARDS`
 *   shards (hash of the task id); at any moment only the decisions in flight are there.
 * - `APPS#<regionCode>`, the auditor's search (`repositories/audit-search.ts`): every application,
 *   for good, in submission order, so a region and a date range are one range query. Each
 *   application carries a summary of its tasks (`taskSummaries`: due dates, escalations, who decided
 *   when), written in the same transaction as the task. A county submits a few thousand
 *   applications a year, one write each plus a few per task: well within a partition's throughput.
 *
 * `gsi2` is the due-date index that replaces one schedule per household (docs/architecture.md §4): a schedule
 * item is indexed under its due day and one of `DUE_SHARDS` shards (hash of the case id), so a
 * national register's daily rechecks spread over partitions; the sweeper reads day × shard and
 * takes the item out of the index once its execution has started.
 */
export const casesTable: TableDefinition = {
  id: 'Cases',
  env: 'CASES_TABLE',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    { name: 'gsi1', partitionKey: { name: 'gsi1pk', type: 'S' }, sortKey: { name: 'gsi1sk', type: 'S' } },
    { name: 'gsi2', partitionKey: { name: 'gsi2pk', type: 'S' }, sortKey: { name: 'gsi2sk', type: 'S' } },
  ],
  timeToLiveAttribute: 'expiresAt',
};

export const DUE_SHARDS = 8;

/**
 * Powertools idempotency records (`shared/idempotency.ts`): one item per handled request or step,
 * keyed by its hash, expiring by TTL — a table of its own, so the records spread over partitions
 * instead of sharing one static key in the case table.
 */
export const idempotencyTable: TableDefinition = {
  id: 'Idempotency',
  env: 'IDEMPOTENCY_TABLE',
  partitionKey: { name: 'id', type: 'S' },
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiration',
};

/**
 * Per-caller request counts (`shared/rate-limiter.ts`): one item per caller, rate class and fixed
 * window, `<class>#<caller>#<window start>`, counting up under a condition and expiring by TTL an
 * hour after its window. A table of its own: counters are written on every limited request, by
 * every caller, and are nobody's record; they stay out of the case table and its scans.
 */
export const rateLimitsTable: TableDefinition = {
  id: 'RateLimits',
  env: 'RATE_LIMITS_TABLE',
  partitionKey: { name: 'id', type: 'S' },
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiresAt',
  personalFields: false,
};

export const tables: TableDefinition[] = [casesTable, idempotencyTable, rateLimitsTable];

/** Task notifications for township and county caseworkers (task created, escalated). */
export const caseworkerQueue: QueueDefinition = {
  id: 'CaseworkerTasks',
  env: 'CASEWORKER_QUEUE_URL',
  visibilityTimeout: 60,
  maxReceiveCount: 5,
  deadLetterRetentionDays: 14,
};

/**
 * 督办: overdue human tasks, for the supervisors of the township or county office that holds them
 * (each message names the task, its lapsed due date and the new one).
 */
export const supervisorQueue: QueueDefinition = {
  id: 'SupervisorEscalations',
  env: 'SUPERVISOR_QUEUE_URL',
  visibilityTimeout: 60,
  maxReceiveCount: 5,
  deadLetterRetentionDays: 14,
};

/**
 * 分类推送: one queue per department that receives monitoring warnings (`shared/monitoring/vocabulary.ts`
 * lists them once), e.g. `WarningsMedicalInsurance` / `WARNINGS_MEDICAL_INSURANCE_QUEUE_URL`. The
 * department's own system reads it; each message names the warning, its risk type, the masked person
 * and the feedback due date (`shared/monitoring/push.ts`). Kept 14 days: an unread message is also
 * re-pushed when its warning escalates, and every warning stays readable at `GET /warnings`.
 */
export const departmentQueues = Object.fromEntries(
  departments.map((d) => [
    d,
    {
      id: `Warnings${d.charAt(0).toUpperCase()}${d.slice(1)}`,
      env: `WARNINGS_${d.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_QUEUE_URL`,
      visibilityTimeout: 300,
      maxReceiveCount: 5,
      deadLetterRetentionDays: 14,
      retentionDays: 14,
    },
  ]),
) as Record<Department, QueueDefinition>;

/**
 * Notifications on their way to people (`shared/notify/deliveries.ts`): SMS to households, work
 * messages to offices. Received up to ten times, backing off from 30 s to 15 minutes between tries
 * (`retryDelaySeconds`: a gateway outage of about an hour costs nothing), then kept 14 days in the
 * dead-letter queue for `npm run redrive`.
 */
export const deliveriesQueue: QueueDefinition = {
  id: 'Deliveries',
  env: 'DELIVERIES_QUEUE_URL',
  visibilityTimeout: 120,
  maxReceiveCount: 10,
  deadLetterRetentionDays: 14,
};

export const queues: QueueDefinition[] = [
  caseworkerQueue,
  supervisorQueue,
  deliveriesQueue,
  ...Object.values(departmentQueues),
];

/** A secret an operator puts (a JSON value), read by the functions granted it. */
export interface SecretDefinition {
  id: string;
  env: string;
  description: string;
}

/** Where notifications go and the gateways' credentials (`shared/notify/config.ts`; docs/deploy.md). */
export const notifyConfigSecret: SecretDefinition = {
  id: 'NotifyConfig',
  env: 'NOTIFY_SECRET_ARN',
  description: 'doudi: SMS gateway and work-message robots (JSON, shared/notify/config.ts)',
};

export const secrets: SecretDefinition[] = [notifyConfigSecret];

export interface BucketDefinition {
  id: string;
  env: string;
  /**
   * Objects cannot be deleted or overwritten for this many years (S3 Object Lock, compliance mode);
   * absent: no lock (versioned still, so an overwrite keeps the earlier version).
   */
  objectLockYears?: number;
  /** S3 sends its events to EventBridge: a catalog function with `onObjectCreated` is started by them. */
  eventBridge?: true;
}

/**
 * Every closed execution's history, for years: Step Functions keeps a closed execution's history
 * only 90 days (docs/architecture.md §2), and auditors need it for as long as the case file is kept.
 */
export const archiveBucket: BucketDefinition = {
  id: 'ExecutionArchive',
  env: 'ARCHIVE_BUCKET',
  objectLockYears: 10,
};

/**
 * 部门数据 for 低收入人口动态监测: a department drops a feed as `<feed>/<any name>.csv|.jsonl` (feed names
 * and schemas in `shared/monitoring/feeds/`), which starts a monitoring run (`workflows/monitoring.ts`).
 * A run writes its chunk manifest and rejected lines under `runs/<runId>/` and its report as
 * `reports/<runId>.json`. Encrypted and access-logged as the archive is; not object-locked (a feed may
 * be withdrawn), versioned.
 */
export const intakeBucket: BucketDefinition = {
  id: 'MonitoringIntake',
  env: 'INTAKE_BUCKET',
  eventBridge: true,
};

/**
 * 发放: what the payroll writes outside the table — the list of a county's cases its Distributed Map
 * reads (`rolls/<rollId>/cases.json`). Encrypted, versioned and access-logged like the others.
 */
export const payrollBucket: BucketDefinition = {
  id: 'PayrollFiles',
  env: 'PAYROLL_BUCKET',
};

/**
 * Files for the departments: the monthly change lists (增减变动名单, `change-lists/<department>/<regionCode>/<month>.csv`,
 * `shared/change-lists.ts`), fetched through five-minute links. Encrypted, versioned and access-logged like the others.
 */
export const departmentFilesBucket: BucketDefinition = {
  id: 'DepartmentFiles',
  env: 'DEPARTMENT_FILES_BUCKET',
};

export const buckets: BucketDefinition[] = [
  archiveBucket,
  intakeBucket,
  payrollBucket,
  departmentFilesBucket,
];

/** Local resource names: CDK lets CloudFormation name things; locally we need stable names. */
export const localName = (id: string): string =>
  `doudi-${id.replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase())}`;
export const deadLetterName = (id: string): string => `${localName(id)}-dlq`;
