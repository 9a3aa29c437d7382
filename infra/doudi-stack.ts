import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { functions, routes } from '../functions/catalog.ts';
import { CALENDAR_FALLBACK } from '../shared/metrics.ts';
import { buckets, queues, tables } from '../shared/resources.ts';
import { workflows } from '../workflows/index.ts';
import { AccessLogs } from './access-logs.ts';
import { HttpApi } from './api.ts';
import { Buckets } from './buckets.ts';
import { DataKey } from './encryption.ts';
import { Functions } from './functions.ts';
import { Identity } from './identity.ts';
import { Queues } from './queues.ts';
import { Tables } from './tables.ts';
import { WebHosting } from './web.ts';
import { StateMachines, WorkflowReferences } from './workflows.ts';

export interface DoudiStackProps extends StackProps {
  /** Retention of function and workflow logs; the audit trail itself is archived in DynamoDB/S3. */
  logRetention?: logs.RetentionDays;
  /** The built web site (`scripts/build-web.ts`), deployed to S3 behind CloudFront. */
  webDirectory: string;
}

/**
 * The whole system in one stack, built from the same definitions the local runtime uses:
 * `shared/resources.ts`, `functions/catalog.ts` and `workflows/index.ts`.
 */
export class DoudiStack extends Stack {
  readonly key: DataKey;
  readonly tables: Tables;
  readonly queues: Queues;
  readonly functions: Functions;
  readonly api: HttpApi;
  readonly identity: Identity;
  readonly stateMachines: StateMachines;
  readonly accessLogs: AccessLogs;
  readonly web: WebHosting;

  constructor(scope: Construct, id: string, props: DoudiStackProps) {
    // The template without indentation: CloudFormation takes at most 1 MB, and the indentation alone is
    // a third of it. (Resources are ~460 of CloudFormation's 500; the next large addition splits the stack.)
    super(scope, id, { suppressTemplateIndentation: true, ...props });
    // S3 server access logs are allowed by the log bucket's policy (scoped to the source bucket and
    // account), not by the legacy LogDeliveryWrite ACL.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    assertUniqueIds();

    this.key = new DataKey(this, 'Encryption');
    const key = this.key.key;
    this.tables = new Tables(this, 'Tables', { definitions: tables, key });
    this.queues = new Queues(this, 'Queues', { definitions: queues, key });
    this.accessLogs = new AccessLogs(this, 'AccessLogs', { retention: logRetention });
    const accessLogs = this.accessLogs.bucket;
    const archive = new Buckets(this, 'Buckets', { definitions: buckets, key, accessLogs });
    const references = new WorkflowReferences(this, 'WorkflowArns', workflows);
    this.functions = new Functions(this, 'Functions', {
      definitions: functions,
      tableDefinitions: tables,
      queueDefinitions: queues,
      bucketDefinitions: buckets,
      workflowDefinitions: workflows,
      tables: this.tables,
      queues: this.queues,
      buckets: archive,
      workflows: references,
      key,
      fieldKey: this.key.fieldKey,
      blindIndexKey: this.key.blindIndexKey,
      logRetention,
    });
    const functionNamed = (name: string) => this.functions.get(name);
    this.identity = new Identity(this, 'Identity');
    this.api = new HttpApi(this, 'Http', {
      routes,
      functionNamed,
      key,
      logRetention,
      userPool: this.identity.userPool,
      userPoolClient: this.identity.client,
    });
    this.web = new WebHosting(this, 'Web', {
      directory: props.webDirectory,
      api: this.api.api,
      routes,
      accessLogs,
      logRetention,
    });
    this.stateMachines = new StateMachines(this, 'Workflows', {
      definitions: workflows,
      references,
      buckets: archive,
      functionNamed,
      key,
      logRetention,
    });
    // A deadline counted without the year's holiday arrangement is provisional: load the State
    // Council's notice (PUT /admin/calendar/{year}) before it matters.
    new cloudwatch.Metric({
      namespace: 'doudi',
      metricName: CALENDAR_FALLBACK,
      dimensionsMap: { service: 'doudi' },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.hours(1),
    }).createAlarm(this, 'CalendarFallbackAlarm', {
      alarmDescription:
        'A working-day deadline was counted for a year whose holiday arrangement is not loaded',
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}

/** Stateful resources take their definition's id as logical id (see Tables, Queues), so ids must not collide. */
function assertUniqueIds(): void {
  const ids = [
    ...tables.map((t) => t.id),
    ...queues.flatMap((q) => [q.id, `${q.id}DeadLetters`]),
    ...workflows.map((w) => w.id),
    ...buckets.map((b) => b.id),
  ];
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`definition id '${duplicate}' is used twice; logical ids would collide`);
}
