/**
 * Tables and queues, defined once: `infra/` builds the CloudFormation resources from these and
 * `local/` creates the same tables in DynamoDB Local and the same queues in fauxqs. A test
 * compares the synthesized template against this file.
 */

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
  sortKey: KeyAttribute;
  globalSecondaryIndexes: Array<{ name: string; partitionKey: KeyAttribute; sortKey: KeyAttribute }>;
  timeToLiveAttribute?: string;
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
 * | idempotency   | `IDEMP#<scope>#<key>` | `IDEMP`                 | –                                               |
 * | schedule      | `CASE#<caseId>`       | `SCHEDULE#<wf>#<due>`   | gsi2: `DUE#<date>#<shard>` / `<dueAt>#<caseId>#<wf>` |
 *
 * `gsi1` holds two kinds of partition, told apart by their prefix:
 * - `OPEN#<township>`, the township inbox: only open tasks carry these keys, so deciding a task
 *   removes it from the index. A township has at most a few hundred open tasks, far below a
 *   partition's throughput.
 * - `APPS#<regionCode>`, the auditor's search (`repositories/audit-search.ts`): every application,
 *   for good, in submission order, so a region and a date range are one range query. Each
 *   application carries a summary of its tasks (`taskSummaries`: due dates, escalations, who decided
 *   when), written in the same transaction as the task. A county submits a few thousand
 *   applications a year, one write each plus a few per task: well within a partition's throughput.
 *
 * `gsi2` is the due-date index that replaces one schedule per household (DESIGN §4): a schedule
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

export const tables: TableDefinition[] = [casesTable];

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

export const queues: QueueDefinition[] = [caseworkerQueue, supervisorQueue];

export interface BucketDefinition {
  id: string;
  env: string;
  /** Objects cannot be deleted or overwritten for this many years (S3 Object Lock, compliance mode). */
  objectLockYears: number;
}

/**
 * Every closed execution's history, for years: Step Functions keeps a closed execution's history
 * only 90 days (DESIGN §3 "Long life"), and auditors need it for as long as the case file is kept.
 */
export const archiveBucket: BucketDefinition = {
  id: 'ExecutionArchive',
  env: 'ARCHIVE_BUCKET',
  objectLockYears: 10,
};

export const buckets: BucketDefinition[] = [archiveBucket];

/** Local resource names: CDK lets CloudFormation name things; locally we need stable names. */
export const localName = (id: string): string =>
  `doudi-${id.replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase())}`;
export const deadLetterName = (id: string): string => `${localName(id)}-dlq`;
