import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { WorkflowDefinition } from '../workflows/index.ts';
import type { Buckets } from './buckets.ts';
import { acknowledge, attributeRef } from './nag.ts';

/** Whether the workflow has a Map in Distributed mode (its children are executions of the state machine). */
const isDistributed = (def: WorkflowDefinition) =>
  JSON.stringify(def.definition).includes('"Mode":"DISTRIBUTED"');

/**
 * Made in the root stack (see `rootStackName` in infra/lifecycle.ts). Workflows are named `<stack>-<id>` so that their ARNs are known before they exist. The step
 * functions are referenced by the state machines while every function (step functions included,
 * as in the local runtime) is given every state machine's ARN: with a name-built ARN neither the
 * environment nor the IAM grants refer back to the state machine resource, so there is no cycle.
 */
export class WorkflowReferences extends Construct {
  readonly byId = new Map<string, { name: string; ref: sfn.IStateMachine }>();

  constructor(scope: Construct, id: string, definitions: WorkflowDefinition[]) {
    super(scope, id);
    const stack = Stack.of(this);
    if (stack.nestedStackParent)
      throw new Error('workflow references belong to the root stack, whose name is known');
    for (const def of definitions) {
      const name = `${stack.stackName}-${def.id}`;
      this.byId.set(def.id, { name, ref: sfn.StateMachine.fromStateMachineName(this, def.id, name) });
    }
  }

  get(id: string): { name: string; ref: sfn.IStateMachine } {
    const workflow = this.byId.get(id);
    if (!workflow) throw new Error(`no workflow '${id}' in workflows/index.ts`);
    return workflow;
  }
}

export interface StateMachinesProps {
  definitions: WorkflowDefinition[];
  references: WorkflowReferences;
  /** The buckets a workflow's own grants name (a Distributed Map's ItemReader). */
  buckets: Buckets;
  /** Function name (as in `functions/catalog.ts`) → its Lambda function. */
  functionNamed: (name: string) => lambda.IFunction;
  key: kms.IKey;
  logRetention: logs.RetentionDays;
}

/** One Standard state machine per workflow, running the workflow module's ASL unchanged. */
/** The placeholder of the partition in a deployed definition (`aws`, `aws-cn`). */
const PARTITION = 'Partition';

/**
 * The ASL names its service integrations (`arn:aws:states:::lambda:invoke`) as the local interpreter
 * knows them; a deployment names them in its own partition, or the China regions refuse them.
 */
function inPartition(definition: unknown): string {
  const text = JSON.stringify(definition);
  if (text.includes(`\${${PARTITION}}`))
    throw new Error(`a workflow may not use the placeholder \${${PARTITION}}`);
  return text.replaceAll('"arn:aws:states:::', `"arn:\${${PARTITION}}:states:::`);
}

export class StateMachines extends Construct {
  readonly byId = new Map<string, sfn.StateMachine>();

  constructor(scope: Construct, id: string, props: StateMachinesProps) {
    super(scope, id);
    for (const def of props.definitions) {
      const { name } = props.references.get(def.id);
      const stepFunctions = Object.entries(def.substitutions).map(
        ([placeholder, fn]) => [placeholder, props.functionNamed(fn)] as const,
      );
      const stateMachine = new sfn.StateMachine(this, def.id, {
        stateMachineName: name,
        stateMachineType: sfn.StateMachineType.STANDARD,
        // A string body (not CDK states) keeps the deployed document byte-for-byte the one the
        // local runtime interprets; only the placeholders differ, and CloudFormation fills those.
        definitionBody: sfn.DefinitionBody.fromString(inPartition(def.definition)),
        definitionSubstitutions: {
          ...Object.fromEntries(stepFunctions.map(([p, fn]) => [p, fn.functionArn])),
          [PARTITION]: Aws.PARTITION,
        },
        logs: {
          // The vended-logs prefix keeps Step Functions from growing the account's log resource policy.
          destination: new logs.LogGroup(this, `${def.id}Logs`, {
            logGroupName: `/aws/vendedlogs/states/${name}`,
            retention: props.logRetention,
            encryptionKey: props.key,
          }),
          level: sfn.LogLevel.ALL,
          includeExecutionData: true,
        },
        tracingEnabled: true,
      });
      (stateMachine.node.defaultChild as sfn.CfnStateMachine).overrideLogicalId(def.id);
      // The ASL invokes the unqualified ARNs, so not `grantInvoke`, which adds every version and alias.
      stateMachine.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: [...new Set(stepFunctions.map(([, fn]) => fn))].map((fn) => fn.functionArn),
        }),
      );
      if (isDistributed(def)) {
        // A Distributed Map runs its children as executions of this state machine: it starts them, and
        // describes and stops them (AWS's documented policy for Distributed Map), on its own ARN only.
        const own = props.references.get(def.id).ref.stateMachineArn;
        stateMachine.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [own] }),
        );
        const children = Stack.of(this).formatArn({
          service: 'states',
          resource: 'execution',
          resourceName: `${name}/*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        });
        stateMachine.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['states:DescribeExecution', 'states:StopExecution'],
            resources: [children],
          }),
        );
        acknowledge(
          stateMachine.role,
          `IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}/*]`,
          `The Distributed Map's child executions of ${name} only: their names are made by each map run, so they cannot be listed in advance.`,
        );
      }
      for (const grant of def.grants ?? []) {
        // The ItemReader's GetObject on the manifests under the prefix, and the key they are encrypted with.
        const bucket = props.buckets.get(grant.bucket);
        stateMachine.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['s3:GetObject'],
            resources: [bucket.arnForObjects(`${grant.prefix}*`)],
          }),
        );
        stateMachine.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [props.key.keyArn] }),
        );
        acknowledge(
          stateMachine.role,
          `IAM5[Resource::${attributeRef(bucket, stateMachine)}/${grant.prefix}*]`,
          `The ItemReader reads the manifest each run writes under ${grant.prefix} in ${grant.bucket}; run ids are made at run time, so no narrower key exists. GetObject only.`,
        );
      }
      acknowledge(
        stateMachine.role,
        'IAM5[Resource::*]',
        'Logging to CloudWatch Logs (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) support no resource-level permissions; Step Functions requires them on `*`.',
      );
      this.byId.set(def.id, stateMachine);
    }
  }
}
