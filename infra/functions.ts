import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  CONSUMER_BATCH_SIZE,
  type FunctionDefinition,
  type FunctionName,
  type Grant,
  timeoutOf,
} from '../functions/catalog.ts';
import {
  type BucketDefinition,
  type QueueDefinition,
  secrets,
  type TableDefinition,
} from '../shared/resources.ts';
import type { WorkflowDefinition } from '../workflows/index.ts';
import type { Buckets } from './buckets.ts';
import { acknowledge, attributeRef } from './nag.ts';
import type { Queues } from './queues.ts';
import type { Tables } from './tables.ts';
import type { WorkflowReferences } from './workflows.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export interface FunctionsProps {
  /** The catalog's functions to create here: those of one stack (`infra/lifecycle.ts`). */
  definitions: Partial<Record<FunctionName, FunctionDefinition>>;
  tableDefinitions: TableDefinition[];
  queueDefinitions: QueueDefinition[];
  bucketDefinitions: BucketDefinition[];
  workflowDefinitions: WorkflowDefinition[];
  tables: Tables;
  queues: Queues;
  buckets: Buckets;
  workflows: WorkflowReferences;
  key: kms.IKey;
  /** The master key of personal fields (`shared/crypto.ts`). */
  fieldKey: kms.IKey;
  /** The HMAC keys of the ID numbers' blind index, newest first (`shared/crypto.ts`). */
  blindIndexKeys: kms.IKey[];
  /** The secrets of `shared/resources.ts`, by id. */
  secrets: ReadonlyMap<string, secretsmanager.ISecret>;
  logRetention: logs.RetentionDays;
  /** X-Ray active tracing of the functions (off on the china profile: no Lambda integration there). */
  tracing: boolean;
  /** The OIDC claim that names a person (`OIDC_NAME_CLAIM`, `shared/staff.ts`), when not `name`. */
  nameClaim?: string | undefined;
}

/** The encryption context `shared/crypto.ts` binds to every data key of personal fields. */
const FIELD_CONTEXT = { 'kms:EncryptionContext:purpose': 'doudi-personal-field' };

const constructId = (name: string) => name[0]!.toUpperCase() + name.slice(1);

function secretOf(props: Pick<FunctionsProps, 'secrets'>, id: string): secretsmanager.ISecret {
  const secret = props.secrets.get(id);
  if (!secret) throw new Error(`no secret '${id}' in shared/resources.ts`);
  return secret;
}

/** A secret's ARN is in the environment of the functions granted it only: nobody else can read it. */
function secretsEnvironment(def: FunctionDefinition, props: Pick<FunctionsProps, 'secrets'>) {
  return Object.fromEntries(
    def.grants.flatMap((g) =>
      'secret' in g
        ? [[secrets.find((s) => s.id === g.secret)!.env, secretOf(props, g.secret).secretArn]]
        : [],
    ),
  );
}

/** Why every function runs on Node.js 22 (cdk-nag's L1 asks for the newest runtime). */
export const NODE_22 =
  'Node.js 22 on purpose: docs/architecture.md §2 runs the functions on the same major as the local runtime and the tests (the `node@22` dev dependency) and as the esbuild target (node22); moving to Node.js 24 moves all three at once, not the Lambda runtime alone.';

/**
 * A handler of this repository bundled as every function is: ESM for Node.js 22 on ARM, the SDK
 * bundled in, source maps on.
 */
export function bundledFunction(
  scope: Construct,
  id: string,
  props: {
    description: string;
    /** Path from the repository root. */
    entry: string;
    handler: string;
    timeoutSeconds: number;
    /** X-Ray active tracing: not where Lambda has no X-Ray integration (the China regions). */
    tracing: boolean;
    role: iam.IRole;
    logGroup: logs.ILogGroup;
    environment: Record<string, string>;
  },
): NodejsFunction {
  return new NodejsFunction(scope, id, {
    description: props.description,
    entry: join(repoRoot, props.entry),
    handler: props.handler,
    projectRoot: repoRoot,
    depsLockFilePath: join(repoRoot, 'package-lock.json'),
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    // Cold starts initialise the SDK clients, which is CPU-bound; Lambda's CPU grows with memory.
    memorySize: 512,
    // Below API Gateway's 30 s integration limit, so a slow call fails in the function's own logs.
    timeout: Duration.seconds(props.timeoutSeconds),
    tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
    role: props.role,
    logGroup: props.logGroup,
    environment: props.environment,
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
      banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
}

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
      FIELD_KMS_KEY_ID: props.fieldKey.keyArn,
      BLIND_INDEX_KMS_KEY_ID: props.blindIndexKeys.map((k) => k.keyArn).join(','),
      ...(props.nameClaim ? { OIDC_NAME_CLAIM: props.nameClaim } : {}),
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
      // Its own role rather than AWSLambdaBasicExecutionRole, which may create and write to any log
      // group of the account: this one may write to its own log group only.
      const role = new iam.Role(this, `${fnId}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `doudi ${name}: exactly the grants of functions/catalog.ts`,
      });
      const logGroup = new logs.LogGroup(this, `${fnId}Logs`, {
        retention: props.logRetention,
        encryptionKey: props.key,
      });
      logGroup.grantWrite(role);
      const fn = bundledFunction(this, fnId, {
        description: `${name}: ${def.description}`,
        entry: def.entry,
        handler: def.handler,
        timeoutSeconds: timeoutOf(def),
        tracing: props.tracing,
        role,
        logGroup,
        environment: { ...environment, ...secretsEnvironment(def, props) },
      });
      for (const grant of def.grants) this.grant(fn, grant, props);
      acknowledgeGrantWildcards(role, def.grants, props);
      if (def.schedule) {
        // One schedule per function, not per household: the function finds what is due (docs/architecture.md §4).
        const scheduleRole = new iam.Role(this, `${fnId}ScheduleRole`, {
          assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
          description: `doudi ${name}: EventBridge Scheduler invokes it`,
        });
        new scheduler.Schedule(this, `${fnId}Schedule`, {
          schedule: scheduler.ScheduleExpression.expression(def.schedule),
          target: new schedulerTargets.LambdaInvoke(fn, { role: scheduleRole }),
          description: `${name}: ${def.description}`,
        });
        acknowledge(
          scheduleRole,
          `IAM5[Resource::${attributeRef(fn, scheduleRole)}:*]`,
          `The scheduler target's invoke grant (aws-scheduler-targets) also names the versions and aliases of this one function, ${name}; no other function.`,
        );
      }
      for (const queueId of def.consumes ?? []) {
        // Grants the function receive/delete on the queue (and use of its key).
        fn.addEventSource(
          new SqsEventSource(props.queues.get(queueId).queue, {
            batchSize: CONSUMER_BATCH_SIZE,
            reportBatchItemFailures: true,
          }),
        );
      }
      if (def.onObjectCreated) {
        // S3 sends the bucket's events to EventBridge (`eventBridge` in shared/resources.ts); this rule
        // passes on the objects created under the prefixes (the feed folders).
        const { bucket, prefixes } = def.onObjectCreated;
        new events.Rule(this, `${fnId}OnObjectCreated`, {
          description: `${name}: objects created in ${bucket} under ${prefixes.join(', ')}`,
          eventPattern: {
            source: ['aws.s3'],
            detailType: ['Object Created'],
            detail: {
              bucket: { name: [props.buckets.get(bucket).bucketName] },
              object: { key: prefixes.map((prefix) => ({ prefix })) },
            },
          },
          targets: [new eventTargets.LambdaFunction(fn, { retryAttempts: 8 })],
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
    acknowledge(this, 'L1', NODE_22);
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
      if (props.tableDefinitions.find((t) => t.id === grant.table)?.personalFields === false) return;
      // Records carry sealed personal fields: readers may open them, writers also seal new ones —
      // only with doudi's encryption context, so the key serves nothing else.
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: grant.access === 'read' ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.fieldKey.keyArn],
          conditions: { StringEquals: FIELD_CONTEXT },
        }),
      );
      // Looking the register up by ID number needs the blind index.
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['kms:GenerateMac'],
          resources: props.blindIndexKeys.map((k) => k.keyArn),
        }),
      );
    } else if ('queue' in grant) {
      props.queues.get(grant.queue).queue.grantSendMessages(fn);
    } else if ('bucket' in grant) {
      const bucket = props.buckets.get(grant.bucket);
      if (grant.access === 'write') bucket.grantPut(fn, grant.objects);
      else if (!grant.objects) bucket.grantRead(fn);
      else {
        // Those objects alone: `grantRead` would also list (and so name) every object of the bucket.
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['s3:GetObject'],
            resources: [bucket.arnForObjects(grant.objects)],
          }),
        );
        bucket.encryptionKey?.grantDecrypt(fn);
      }
    } else if ('secret' in grant) {
      // Its value, and the key it is encrypted with through Secrets Manager alone — on the role, not
      // in the key's policy, which lives in the root stack and would then depend on this one.
      const secret = secretOf(props, grant.secret);
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          resources: [secret.secretArn],
        }),
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [props.key.keyArn],
          conditions: {
            StringEquals: {
              'kms:ViaService': `secretsmanager.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`,
            },
          },
        }),
      );
    } else {
      const { name, ref } = props.workflows.get(grant.stateMachine);
      switch (grant.access) {
        case 'start':
          ref.grantStartExecution(fn);
          break;
        case 'read':
          // `grantRead` without its `*` statement (activities, which doudi does not use) and with
          // DescribeStateMachine on this state machine instead of on every one.
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['states:ListExecutions', 'states:DescribeStateMachine'],
              resources: [ref.stateMachineArn],
            }),
          );
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              actions: [
                'states:DescribeExecution',
                'states:DescribeStateMachineForExecution',
                'states:GetExecutionHistory',
              ],
              resources: [executionsOf(fn, name)],
            }),
          );
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

/** The ARN pattern of a state machine's executions: `arn:…:execution:<name>:*`. */
function executionsOf(scope: Construct, stateMachineName: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachineName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

const KEY_WILDCARDS =
  "CDK's encrypt grant on the one data key (the statement names that key, not `*`): GenerateDataKey* lets DynamoDB, SQS and S3 make data keys on the function's behalf when it writes, ReEncrypt* (From/To) is the rest of CDK's standard encrypt grant, on this key only.";

/**
 * The wildcards the grants of `functions/catalog.ts` put in a function's policy, each acknowledged
 * on that function's role only, for that grant's resource only. A grant kind without an entry here
 * leaves its wildcards unacknowledged, and synth fails until someone writes down why they are fine.
 */
function acknowledgeGrantWildcards(role: iam.IRole, grants: Grant[], props: FunctionsProps): void {
  if (props.tracing)
    acknowledge(
      role,
      'IAM5[Resource::*]',
      'X-Ray (active tracing): xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    );
  const encrypts = grants.some(
    (g) =>
      ('table' in g && g.access === 'readWrite') || 'queue' in g || ('bucket' in g && g.access === 'write'),
  );
  if (encrypts) {
    acknowledge(role, 'IAM5[Action::kms:GenerateDataKey*]', KEY_WILDCARDS);
    acknowledge(role, 'IAM5[Action::kms:ReEncrypt*]', KEY_WILDCARDS);
  }
  for (const grant of grants) {
    if ('table' in grant) {
      const table = props.tables.get(grant.table);
      // CDK names `<table>/index/*` only for a table with secondary indexes.
      const definition = props.tableDefinitions.find((t) => t.id === grant.table);
      if (!definition?.globalSecondaryIndexes.length) continue;
      acknowledge(
        role,
        `IAM5[Resource::${attributeRef(table, role)}/index/*]`,
        `The ${grant.table} table grant covers the table's own global secondary indexes (shared/resources.ts: the township inbox and the due-date index), with the same ${grant.access} access.`,
      );
    } else if ('bucket' in grant && grant.objects) {
      const bucket = props.buckets.get(grant.bucket);
      if (grant.objects.includes('*'))
        acknowledge(
          role,
          `IAM5[Resource::${attributeRef(bucket, role)}/${grant.objects}]`,
          `The objects of the ${grant.bucket} bucket under ${grant.objects} only (${
            grant.objects.startsWith('audit-anchors/')
              ? 'one per anchored audit chain head, keyed by chain and seq'
              : 'one per archived execution, keyed by case'
          }), made at run time, so no narrower pattern exists.`,
        );
      if (grant.access === 'write')
        acknowledge(
          role,
          'IAM5[Action::s3:Abort*]',
          `CDK's put grant on ${grant.objects} of the ${grant.bucket} bucket only: aborting its own multipart uploads; Object Lock forbids overwriting or deleting what was put, and no delete is granted.`,
        );
    } else if ('bucket' in grant) {
      const bucket = props.buckets.get(grant.bucket);
      const def = props.bucketDefinitions.find((b) => b.id === grant.bucket);
      const locked = def?.objectLockYears !== undefined;
      acknowledge(
        role,
        `IAM5[Resource::${attributeRef(bucket, role)}/*]`,
        `The objects of the ${grant.bucket} bucket only: ${
          locked
            ? 'one object per archived execution, keyed by case'
            : 'department feeds keyed by feed, and each monitoring run’s manifest, rejected lines and report keyed by run'
        }, made at run time, so no narrower prefix exists.`,
      );
      if (grant.access === 'read') {
        for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*']) {
          acknowledge(
            role,
            `IAM5[Action::${action}]`,
            `CDK's read grant on the ${grant.bucket} bucket (and its objects) only: ${
              locked
                ? "object versions, retention and legal hold (the bucket is under Object Lock) and listing a case's archives"
                : 'objects and their versions (a feed read by byte ranges) and listing them'
            }; no write.`,
          );
        }
      } else {
        acknowledge(
          role,
          'IAM5[Action::s3:Abort*]',
          `CDK's put grant on the ${grant.bucket} bucket's objects only: aborting its own multipart uploads; ${
            locked ? 'Object Lock forbids overwriting or deleting what was put' : 'it deletes nothing'
          }.`,
        );
      }
    } else if ('stateMachine' in grant && grant.access === 'read') {
      const { name } = props.workflows.get(grant.stateMachine);
      acknowledge(
        role,
        `IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}:*]`,
        `The executions of the ${name} state machine only: execution ARNs are made at run time (one per case and cycle), so they cannot be listed in advance.`,
      );
    }
  }
}
