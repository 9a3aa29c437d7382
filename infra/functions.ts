import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { FunctionDefinition, FunctionName, Grant } from '../functions/catalog.ts';
import type { BucketDefinition, QueueDefinition, TableDefinition } from '../shared/resources.ts';
import type { WorkflowDefinition } from '../workflows/index.ts';
import type { Buckets } from './buckets.ts';
import type { Queues } from './queues.ts';
import type { Tables } from './tables.ts';
import type { WorkflowReferences } from './workflows.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export interface FunctionsProps {
  definitions: Record<FunctionName, FunctionDefinition>;
  tableDefinitions: TableDefinition[];
  queueDefinitions: QueueDefinition[];
  bucketDefinitions: BucketDefinition[];
  workflowDefinitions: WorkflowDefinition[];
  tables: Tables;
  queues: Queues;
  buckets: Buckets;
  workflows: WorkflowReferences;
  key: kms.IKey;
  logRetention: logs.RetentionDays;
}

const constructId = (name: string) => name[0]!.toUpperCase() + name.slice(1);

/** One `NodejsFunction` per entry of `functions/catalog.ts`, with exactly the grants listed there. */
export class Functions extends Construct {
  readonly byName = new Map<string, NodejsFunction>();

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    // Every function sees every resource, as in the local runtime where they share one process;
    // what a function may do with a resource is decided by its grants alone.
    const environment: Record<string, string> = {
      // Stack traces point into the TypeScript sources (bundles carry source maps).
      NODE_OPTIONS: '--enable-source-maps',
    };
    for (const t of props.tableDefinitions) environment[t.env] = props.tables.get(t.id).tableName;
    for (const q of props.queueDefinitions) environment[q.env] = props.queues.get(q.id).queue.queueUrl;
    for (const b of props.bucketDefinitions) environment[b.env] = props.buckets.get(b.id).bucketName;
    for (const w of props.workflowDefinitions)
      environment[w.env] = props.workflows.get(w.id).ref.stateMachineArn;

    for (const [name, def] of Object.entries(props.definitions) as Array<
      [FunctionName, FunctionDefinition]
    >) {
      const fnId = constructId(name);
      const fn = new NodejsFunction(this, fnId, {
        description: `${name}: ${def.description}`,
        entry: join(repoRoot, def.entry),
        handler: def.handler,
        projectRoot: repoRoot,
        depsLockFilePath: join(repoRoot, 'package-lock.json'),
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        // Cold starts initialise the SDK clients, which is CPU-bound; Lambda's CPU grows with memory.
        memorySize: 512,
        // Below API Gateway's 30 s integration limit, so a slow call fails in the function's own logs.
        timeout: Duration.seconds(def.timeoutSeconds ?? 10),
        tracing: lambda.Tracing.ACTIVE,
        logGroup: new logs.LogGroup(this, `${fnId}Logs`, {
          retention: props.logRetention,
          encryptionKey: props.key,
        }),
        environment,
        bundling: {
          forceDockerBundling: false,
          format: OutputFormat.ESM,
          target: 'node22',
          mainFields: ['module', 'main'],
          // Bundle the SDK too: Lambda's built-in copy lags and differs from the one tests run against.
          externalModules: [],
          minify: true,
          sourceMap: true,
          sourcesContent: false,
          // CommonJS dependencies bundled into ESM still call `require` for Node built-ins.
          banner:
            "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        },
      });
      for (const grant of def.grants) this.grant(fn, grant, props);
      if (def.schedule) {
        // One schedule per function, not per household: the function finds what is due (DESIGN §4).
        new scheduler.Schedule(this, `${fnId}Schedule`, {
          schedule: scheduler.ScheduleExpression.expression(def.schedule),
          target: new schedulerTargets.LambdaInvoke(fn),
          description: `${name}: ${def.description}`,
        });
      }
      if (def.onExecutionClosed) {
        new events.Rule(this, `${fnId}OnExecutionClosed`, {
          description: `${name}: Step Functions executions of this stack closing`,
          eventPattern: {
            source: ['aws.states'],
            detailType: ['Step Functions Execution Status Change'],
            detail: {
              status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'],
              stateMachineArn: props.workflowDefinitions.map(
                (w) => props.workflows.get(w.id).ref.stateMachineArn,
              ),
            },
          },
          targets: [new eventTargets.LambdaFunction(fn, { retryAttempts: 8 })],
        });
      }
      this.byName.set(name, fn);
    }
  }

  get(name: string): NodejsFunction {
    const fn = this.byName.get(name);
    if (!fn) throw new Error(`no function '${name}' in functions/catalog.ts`);
    return fn;
  }

  private grant(fn: NodejsFunction, grant: Grant, props: FunctionsProps): void {
    // The table, queue and state machine grants also grant use of the key they are encrypted with.
    if ('table' in grant) {
      const table = props.tables.get(grant.table);
      if (grant.access === 'read') table.grantReadData(fn);
      else table.grantReadWriteData(fn);
    } else if ('queue' in grant) {
      props.queues.get(grant.queue).queue.grantSendMessages(fn);
    } else if ('bucket' in grant) {
      const bucket = props.buckets.get(grant.bucket);
      if (grant.access === 'read') bucket.grantRead(fn);
      else bucket.grantPut(fn);
    } else {
      const { ref } = props.workflows.get(grant.stateMachine);
      switch (grant.access) {
        case 'start':
          ref.grantStartExecution(fn);
          break;
        case 'read':
          ref.grantRead(fn);
          break;
        case 'respond':
          ref.grantTaskResponse(fn);
          break;
        default:
          throw new Error(`unknown state machine access ${(grant as { access: string }).access}`);
      }
    }
  }
}
