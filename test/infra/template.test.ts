/**
 * Assertions on the synthesized CloudFormation template. Everything is checked against the shared
 * definitions (`shared/resources.ts`, `functions/catalog.ts`, `workflows/index.ts`), so adding a
 * table, queue, function, route or workflow there is covered without touching this file.
 */

import { rmSync } from 'node:fs';
import aslValidator from 'asl-validator';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FunctionDefinition,
  type FunctionName,
  functions,
  type Grant,
  routes,
  timeoutOf,
} from '../../functions/catalog.ts';
import { AccessLogs } from '../../infra/access-logs.ts';
import { DoudiStack } from '../../infra/doudi-stack.ts';
import {
  apiPathPatterns,
  matchesPathPattern,
  ROUTES_SERVED_FROM_BUCKET,
  WebHosting,
} from '../../infra/web.ts';
import { lambdaContext, localTimeoutScale } from '../../local/lambda.ts';
import { CALENDAR_FALLBACK } from '../../shared/metrics.ts';
import { apiThrottle } from '../../shared/rate-limits.ts';
import { queues, tables } from '../../shared/resources.ts';
import { substitute, workflows } from '../../workflows/index.ts';
import { fakeSite, SITE_PAGES } from './fake-site.ts';
import { type WholeTemplate, wholeTemplate } from './stacks.ts';

// biome-ignore lint/suspicious/noExplicitAny: template properties are untyped JSON, walked by the assertions
type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

let stack: DoudiStack;
let whole: WholeTemplate;
let resources: Record<string, Resource>;
let webDirectory: string;

beforeAll(() => {
  // esbuild bundling is what `npm run synth` proves; this suite is about the template, so it uses
  // CDK's placeholder assets and does not depend on every handler compiling at this moment.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  webDirectory = fakeSite();
  stack = new DoudiStack(app, 'Doudi', { webDirectory });
  whole = wholeTemplate(stack);
  resources = whole.resources;
});

afterAll(() => rmSync(webDirectory, { recursive: true, force: true }));

const catalog = Object.entries(functions) as Array<[FunctionName, FunctionDefinition]>;
const logicalId = (c: IConstruct) => {
  const element = (CfnElement.isCfnElement(c) ? c : c.node.defaultChild) as CfnElement;
  return Stack.of(element).resolve(element.logicalId) as string;
};
const fnLogicalId = (name: string) => logicalId(stack.functions.get(name));
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const keyArn = () => ({ 'Fn::GetAtt': [logicalId(stack.key.key), 'Arn'] });
const actions = (statements: Statement[]) =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

/** Every statement of every policy attached to the function's role. */
function statementsOf(name: string): Statement[] {
  const role = stack.functions.get(name).role;
  if (!role) throw new Error(`${name} has no role`);
  const roleId = logicalId(role);
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: { Ref?: string }) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const grantsOf = (name: FunctionName) => functions[name].grants as FunctionDefinition['grants'];
const hasGrant = (name: FunctionName, match: (g: FunctionDefinition['grants'][number]) => boolean) =>
  grantsOf(name).some(match);

/** A DefinitionString is a plain string, or an Fn::Join when CDK had tokens to splice in. */
function definitionText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`unexpected DefinitionString ${JSON.stringify(value)}`);
  return join[1]
    .map((part) => {
      // A token inside the document would make the deployed ASL differ from the local one.
      if (typeof part !== 'string') throw new Error(`DefinitionString embeds ${JSON.stringify(part)}`);
      return part;
    })
    .join(join[0]);
}

const placeholdersIn = (text: string) => new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));

describe('encryption keys', () => {
  it('are customer-managed — stores, personal fields (rotating), the blind index (HMAC) — kept when the stack goes', () => {
    const keys = ofType('AWS::KMS::Key');
    expect(keys.map(([id]) => id).sort()).toEqual(
      [
        logicalId(stack.key.key),
        logicalId(stack.key.fieldKey),
        logicalId(stack.key.blindIndexKeys[0]!),
      ].sort(),
    );
    for (const [, key] of keys) expect(key.DeletionPolicy).toBe('Retain');
    for (const k of [stack.key.key, stack.key.fieldKey])
      expect(resources[logicalId(k)]!.Properties.EnableKeyRotation).toBe(true);
    expect(resources[logicalId(stack.key.blindIndexKeys[0]!)]!.Properties).toMatchObject({
      KeySpec: 'HMAC_256',
      KeyUsage: 'GENERATE_VERIFY_MAC',
    });
  });

  it('the personal-field key: readers of the case table may open fields, writers also seal, others neither', () => {
    const fieldKeyArn = { 'Fn::GetAtt': [logicalId(stack.key.fieldKey), 'Arn'] };
    for (const [name, def] of catalog) {
      const onFieldKey = statementsOf(name).filter(
        (s) => JSON.stringify(s.Resource) === JSON.stringify(fieldKeyArn),
      );
      const onBlindKey = statementsOf(name).filter(
        (s) =>
          JSON.stringify(s.Resource) ===
          JSON.stringify({ 'Fn::GetAtt': [logicalId(stack.key.blindIndexKeys[0]!), 'Arn'] }),
      );
      const table = def.grants.find(
        (g): g is Extract<Grant, { table: string }> => 'table' in g && g.table === 'Cases',
      );
      const expected = !table
        ? []
        : table.access === 'read'
          ? ['kms:Decrypt']
          : ['kms:Decrypt', 'kms:GenerateDataKey'];
      expect(actions(onFieldKey).sort(), name).toEqual(expected);
      expect(actions(onBlindKey), name).toEqual(table ? ['kms:GenerateMac'] : []);
      for (const s of onFieldKey)
        expect(s.Condition, name).toEqual({
          StringEquals: { 'kms:EncryptionContext:purpose': 'doudi-personal-field' },
        });
    }
  });
});

describe('tables', () => {
  it('the template has exactly the tables of shared/resources.ts', () => {
    expect(ofType('AWS::DynamoDB::Table').map(([id]) => id)).toEqual(tables.map((t) => t.id));
  });

  it.each(tables.map((t) => [t.id, t] as const))('%s: on demand, PITR, CMK, TTL, retained', (id, def) => {
    const table = resources[id]!;
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    const p = table.Properties;
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn() });
    expect(p.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(p.KeySchema).toEqual([
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : []),
    ]);
    expect(
      p.GlobalSecondaryIndexes?.map((g: { IndexName: string; KeySchema: unknown }) => [
        g.IndexName,
        g.KeySchema,
      ]) ?? [],
    ).toEqual(
      def.globalSecondaryIndexes.map((g) => [
        g.name,
        [
          { AttributeName: g.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: g.sortKey.name, KeyType: 'RANGE' },
        ],
      ]),
    );
    if (def.timeToLiveAttribute) {
      expect(p.TimeToLiveSpecification).toEqual({ AttributeName: def.timeToLiveAttribute, Enabled: true });
    }
  });
});

describe('queues', () => {
  it('every queue in the template is a defined queue or its dead-letter queue', () => {
    expect(
      ofType('AWS::SQS::Queue')
        .map(([id]) => id)
        .sort(),
    ).toEqual(queues.flatMap((q) => [q.id, `${q.id}DeadLetters`]).sort());
  });

  it.each(queues.map((q) => [q.id, q] as const))(
    '%s: redrives to its own DLQ, encrypted, alarmed',
    (id, def) => {
      const dlqId = `${id}DeadLetters`;
      const queue = resources[id]!.Properties;
      const dlq = resources[dlqId]!.Properties;
      expect(queue.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: def.maxReceiveCount,
      });
      expect(queue.VisibilityTimeout).toBe(def.visibilityTimeout);
      expect(dlq.MessageRetentionPeriod).toBe(def.deadLetterRetentionDays * 86_400);
      expect(dlq.RedrivePolicy).toBeUndefined();
      for (const q of [queue, dlq]) expect(q.KmsMasterKeyId).toEqual(keyArn());

      for (const target of [id, dlqId]) {
        const policies = ofType('AWS::SQS::QueuePolicy').filter(([, p]) =>
          p.Properties.Queues.some((q: { Ref?: string }) => q.Ref === target),
        );
        const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
        expect(statements, `${target} enforces TLS`).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }

      const alarms = ofType('AWS::CloudWatch::Alarm').filter(([, a]) =>
        a.Properties.Dimensions?.some(
          (d: { Name: string; Value: unknown }) =>
            d.Name === 'QueueName' &&
            JSON.stringify(d.Value) === JSON.stringify({ 'Fn::GetAtt': [dlqId, 'QueueName'] }),
        ),
      );
      expect(alarms).toHaveLength(1);
      expect(alarms[0]![1].Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    },
  );
});

describe('alarms', () => {
  it('alarm when a deadline was counted without the year’s holiday arrangement', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').filter(
      ([, a]) => a.Properties.MetricName === CALENDAR_FALLBACK,
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]![1].Properties).toMatchObject({
      Namespace: 'doudi',
      Dimensions: [{ Name: 'service', Value: 'doudi' }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });
});

describe('functions', () => {
  /** CDK's own function behind `BucketDeployment` (the site upload), which runs only during deployments. */
  const isSiteDeployment = (id: string) => id.startsWith('CustomCDKBucketDeployment');
  const ownFunctions = () => ofType('AWS::Lambda::Function').filter(([id]) => !isSiteDeployment(id));

  it('one Lambda function per catalog entry, and CDK’s site deployment function, nothing else', () => {
    expect(
      ownFunctions()
        .map(([id]) => id)
        .sort(),
    ).toEqual(catalog.map(([name]) => fnLogicalId(name)).sort());
    expect(ofType('AWS::Lambda::Function').filter(([id]) => isSiteDeployment(id))).toHaveLength(1);
  });

  it('every runtime is Node.js 22 or newer', () => {
    for (const [id, fn] of ownFunctions()) {
      const major = /^nodejs(\d+)\.x$/.exec(fn.Properties.Runtime)?.[1];
      expect(Number(major), `${id} runs ${fn.Properties.Runtime}`).toBeGreaterThanOrEqual(22);
    }
  });

  it.each(catalog.map(([name, def]) => [name, def] as const))(
    '%s: handler, arm64, tracing, logs',
    (name, def) => {
      const p = resources[fnLogicalId(name)]!.Properties;
      expect(p.Handler).toBe(`index.${def.handler}`);
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.TracingConfig).toEqual({ Mode: 'Active' });
      const logGroup = resources[p.LoggingConfig.LogGroup.Ref]!;
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
      expect(logGroup.Properties.KmsKeyId).toEqual(keyArn());
      // The timeout the local runtime gives the handler too (`lambdaContext`).
      expect(p.Timeout).toBe(timeoutOf(def));
      // Locally stretched by the suite's DOUDI_TIMEOUT_SCALE only (1 under `npm start`).
      const local = timeoutOf(def) * localTimeoutScale() * 1000;
      const remaining = lambdaContext(name).getRemainingTimeInMillis();
      expect(remaining).toBeLessThanOrEqual(local);
      expect(remaining).toBeGreaterThan(local - 5_000);
    },
  );

  it('every function learns every table, queue and state machine from its environment', () => {
    for (const [name] of catalog) {
      const env = resources[fnLogicalId(name)]!.Properties.Environment.Variables;
      for (const t of tables) expect(env[t.env], `${name} ${t.env}`).toEqual({ Ref: t.id });
      for (const q of queues) expect(env[q.env], `${name} ${q.env}`).toEqual({ Ref: q.id });
      for (const w of workflows) {
        const machineName = resources[w.id]!.Properties.StateMachineName as string;
        expect(JSON.stringify(env[w.env])).toContain(`:stateMachine:${machineName}"`);
      }
    }
  });
});

describe('IAM grants follow functions/catalog.ts', () => {
  const writes = [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ];

  it('no function may use dynamodb without a table grant (health)', () => {
    expect(grantsOf('health')).toEqual([]);
    expect(actions(statementsOf('health')).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    for (const [name] of catalog.filter(([n]) => !hasGrant(n, (g) => 'table' in g))) {
      expect(
        actions(statementsOf(name)).filter((a) => a.startsWith('dynamodb:')),
        name,
      ).toEqual([]);
    }
  });

  it("a 'read' table grant reads but never writes (listTasks vs decideTask)", () => {
    expect(actions(statementsOf('listTasks'))).toContain('dynamodb:Query');
    for (const w of writes) expect(actions(statementsOf('listTasks'))).not.toContain(w);
    for (const w of writes) expect(actions(statementsOf('decideTask'))).toContain(w);
    for (const [name] of catalog) {
      const access = grantsOf(name).find((g) => 'table' in g)?.access;
      const granted = actions(statementsOf(name));
      if (access === 'read') for (const w of writes) expect(granted, name).not.toContain(w);
      if (access === 'read') expect(granted, name).toContain('dynamodb:GetItem');
      if (access === 'readWrite') for (const w of writes) expect(granted, name).toContain(w);
    }
  });

  it('table permissions name only the granted table and its indexes', () => {
    for (const [name] of catalog) {
      for (const s of statementsOf(name).filter((s) => actions([s]).some((a) => a.startsWith('dynamodb:')))) {
        const text = JSON.stringify(s.Resource);
        expect(text, name).not.toBe('"*"');
        for (const t of tables) {
          if (text.includes(`"${t.id}"`))
            expect(hasGrant(name, (g) => 'table' in g && g.table === t.id)).toBe(true);
        }
      }
    }
  });

  it('only functions with a send grant may send to a queue, and only to that queue', () => {
    for (const [name] of catalog) {
      const sends = statementsOf(name).filter((s) => actions([s]).includes('sqs:SendMessage'));
      const granted = grantsOf(name).flatMap((g) => ('queue' in g && g.access === 'send' ? [g.queue] : []));
      expect(
        sends.map((s) => s.Resource),
        name,
      ).toEqual(granted.map((q) => ({ 'Fn::GetAtt': [q, 'Arn'] })));
    }
    expect(actions(statementsOf('openTaskStep'))).toContain('sqs:SendMessage');
  });

  it.each([
    ['start', 'states:StartExecution'],
    ['read', 'states:GetExecutionHistory'],
    ['respond', 'states:SendTaskSuccess'],
    ['respond', 'states:SendTaskFailure'],
  ] as const)("only '%s' state machine grants give %s", (access, action) => {
    for (const [name] of catalog) {
      const expected = hasGrant(name, (g) => 'stateMachine' in g && g.access === access);
      expect(actions(statementsOf(name)).includes(action), `${name} ${action}`).toBe(expected);
    }
  });

  it('keys: readers may decrypt, only writers and senders may encrypt', () => {
    for (const [name] of catalog) {
      const granted = actions(
        statementsOf(name).filter((s) => JSON.stringify(s.Resource) === JSON.stringify(keyArn())),
      );
      const writesData = hasGrant(
        name,
        (g) =>
          ('table' in g && g.access === 'readWrite') ||
          'queue' in g ||
          ('bucket' in g && g.access === 'write'),
      );
      const readsData = hasGrant(name, (g) => 'table' in g || ('bucket' in g && g.access === 'read'));
      expect(granted.includes('kms:Decrypt'), name).toBe(readsData || writesData);
      expect(granted.includes('kms:GenerateDataKey*'), name).toBe(writesData);
    }
  });

  it('each state machine may invoke exactly its substituted functions', () => {
    for (const w of workflows) {
      const machine = stack.stateMachines.byId.get(w.id)!;
      const roleId = logicalId(machine.role);
      const invoked = ofType('AWS::IAM::Policy')
        .filter(([, p]) => p.Properties.Roles.some((r: { Ref?: string }) => r.Ref === roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[])
        .filter((s) => actions([s]).includes('lambda:InvokeFunction'))
        .flatMap((s) => [s.Resource].flat() as Array<{ 'Fn::GetAtt'?: [string, string] }>)
        // Unqualified ARNs only: no `<fn>:*` (every version and alias).
        .map((r) => r['Fn::GetAtt']![0]);
      expect(invoked.sort()).toEqual([...new Set(Object.values(w.substitutions))].map(fnLogicalId).sort());
    }
  });
});

describe('HTTP API', () => {
  it('has exactly the routes of functions/catalog.ts, each integrated with its function', () => {
    const apis = ofType('AWS::ApiGatewayV2::Api');
    expect(apis).toHaveLength(1);
    expect(apis[0]![1].Properties.ProtocolType).toBe('HTTP');
    const deployed = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => {
      const integrationId = r.Properties.Target['Fn::Join'][1][1].Ref as string;
      const integration = resources[integrationId]!.Properties;
      expect(integration.IntegrationType).toBe('AWS_PROXY');
      expect(integration.PayloadFormatVersion).toBe('2.0');
      return [r.Properties.RouteKey, integration.IntegrationUri['Fn::GetAtt'][0]];
    });
    expect(deployed.sort()).toEqual(
      routes.map((r) => [`${r.method} ${r.path}`, fnLogicalId(r.function)]).sort(),
    );
  });
});

describe('workflows', () => {
  it('one state machine per workflow', () => {
    expect(
      ofType('AWS::StepFunctions::StateMachine')
        .map(([id]) => id)
        .sort(),
    ).toEqual(workflows.map((w) => w.id).sort());
  });

  it.each(workflows.map((w) => [w.id, w] as const))('%s: Standard, logging ALL, X-Ray', (id) => {
    const p = resources[id]!.Properties;
    expect(p.StateMachineType).toBe('STANDARD');
    expect(p.TracingConfiguration).toEqual({ Enabled: true });
    expect(p.LoggingConfiguration.Level).toBe('ALL');
    expect(p.LoggingConfiguration.IncludeExecutionData).toBe(true);
    const logGroupId =
      p.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    expect(resources[logGroupId]!.Type).toBe('AWS::Logs::LogGroup');
  });

  it.each(workflows.map((w) => [w.id, w] as const))(
    '%s: the ASL in the template is the ASL the local runtime runs',
    (id, workflow) => {
      const p = resources[id]!.Properties;
      const text = definitionText(p.DefinitionString);
      // Only the service integrations' partition is the deployment's own (`aws` locally).
      expect(JSON.parse(text.replaceAll('arn:${Partition}:', 'arn:aws:'))).toEqual(workflow.definition);
      expect(p.DefinitionSubstitutions.Partition).toEqual({ Ref: 'AWS::Partition' });

      const placeholders = Object.keys(workflow.substitutions).sort();
      expect([...placeholdersIn(text)].filter((n) => n !== 'Partition').sort()).toEqual(placeholders);
      expect(
        Object.keys(p.DefinitionSubstitutions)
          .filter((n) => n !== 'Partition')
          .sort(),
      ).toEqual(placeholders);
      for (const [placeholder, fn] of Object.entries(workflow.substitutions)) {
        expect(p.DefinitionSubstitutions[placeholder], placeholder).toEqual({
          'Fn::GetAtt': [fnLogicalId(fn), 'Arn'],
        });
      }
    },
  );

  it('asl-validator rejects a broken document (so a pass below means something)', () => {
    const broken = { StartAt: 'Missing', States: { Only: { Type: 'Pass', Next: 'Nowhere' } } };
    expect(aslValidator(broken, { checkArn: true, checkPaths: true }).isValid).toBe(false);
  });

  it.each(workflows.map((w) => [w.id, w] as const))('%s passes asl-validator', (_id, workflow) => {
    for (const fn of Object.values(workflow.substitutions)) expect(functions).toHaveProperty(fn);
    const arns = Object.fromEntries(
      Object.entries(workflow.substitutions).map(([placeholder, fn]) => [
        placeholder,
        `arn:aws:lambda:us-east-1:000000000000:function:doudi-${fn}`,
      ]),
    );
    const result = aslValidator(substitute(workflow.definition, arns), { checkArn: true, checkPaths: true });
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });
});

describe('least privilege beyond the catalog grants', () => {
  it('no role carries an AWS managed policy', () => {
    for (const [id, role] of ofType('AWS::IAM::Role')) {
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
  });

  it('each function writes logs to its own log group only', () => {
    for (const [name] of catalog) {
      const logGroup = resources[fnLogicalId(name)]!.Properties.LoggingConfig.LogGroup.Ref as string;
      const logging = statementsOf(name).filter((s) => actions([s]).some((a) => a.startsWith('logs:')));
      expect(logging, name).toEqual([
        expect.objectContaining({
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] },
        }),
      ]);
    }
  });

  it('a function’s only `*` resource is X-Ray, which has no resource-level permissions', () => {
    for (const [name] of catalog) {
      const anywhere = statementsOf(name).filter((s) => JSON.stringify(s.Resource) === '"*"');
      expect(actions(anywhere).sort(), name).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    }
  });
});

describe('buckets and access logs', () => {
  const buckets = () => ofType('AWS::S3::Bucket');
  const logBucketId = () => logicalId(stack.accessLogs.bucket);

  it('every bucket blocks public access, is encrypted and refuses plain HTTP', () => {
    for (const [id, bucket] of buckets()) {
      expect(bucket.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration, id).toHaveLength(1);
      const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === id);
      expect(policy?.[1].Properties.PolicyDocument.Statement, id).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('every other bucket logs its access into the access-log bucket, which S3 may write by policy', () => {
    const others = buckets().filter(([id]) => id !== logBucketId());
    expect(others.map(([id]) => id)).toContain('ExecutionArchive');
    const policy = ofType('AWS::S3::BucketPolicy').find(
      ([, p]) => p.Properties.Bucket.Ref === logBucketId(),
    )!;
    const deliveries = (policy[1].Properties.PolicyDocument.Statement as Statement[]).filter(
      (s) => (s as { Principal?: { Service?: string } }).Principal?.Service === 'logging.s3.amazonaws.com',
    );
    for (const [id, bucket] of others) {
      expect(bucket.Properties.LoggingConfiguration?.DestinationBucketName, id).toEqual({
        Ref: logBucketId(),
      });
      expect(
        deliveries.some((s) =>
          JSON.stringify(s.Condition).includes(JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] })),
        ),
        `${id} may deliver its logs`,
      ).toBe(true);
    }
    expect(resources[logBucketId()]!.Properties.LoggingConfiguration).toBeUndefined();
    expect(resources[logBucketId()]!.Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(365);
  });
});

describe('HTTP API access logs', () => {
  it('the $default stage writes one line per request to a log group under the data key', () => {
    const stages = ofType('AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const stage = stages[0]![1].Properties;
    expect(stage.StageName).toBe('$default');
    expect(stage.AutoDeploy).toBe(true);
    const logGroup = resources[stage.AccessLogSettings.DestinationArn['Fn::GetAtt'][0]]!;
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.KmsKeyId).toEqual(keyArn());
    const format = JSON.parse(stage.AccessLogSettings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey' });
    // The route key, not the path: ids and query strings stay in the functions' own logs.
    expect(Object.values(format)).not.toContain('$context.path');
  });
});

describe('HTTP API throttling', () => {
  it('the $default stage throttles all callers together as shared/rate-limits.ts says', () => {
    const stage = ofType('AWS::ApiGatewayV2::Stage')[0]![1].Properties;
    expect(stage.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: apiThrottle.rate,
      ThrottlingBurstLimit: apiThrottle.burst,
    });
  });
});

describe('web hosting: S3 + CloudFront', () => {
  const config = () => {
    const distributions = ofType('AWS::CloudFront::Distribution');
    expect(distributions).toHaveLength(1);
    return distributions[0]![1].Properties.DistributionConfig;
  };
  const siteId = () => logicalId(stack.web.bucket);
  const distributionId = () => logicalId((stack.web as WebHosting).distribution);
  type Origin = {
    Id: string;
    DomainName: unknown;
    OriginAccessControlId?: unknown;
    S3OriginConfig?: unknown;
  };
  const origin = (id: string) => (config().Origins as Origin[]).find((o) => o.Id === id)!;
  type Behaviour = {
    PathPattern?: string;
    TargetOriginId: string;
    ViewerProtocolPolicy: string;
    AllowedMethods?: string[];
    CachePolicyId: unknown;
    OriginRequestPolicyId?: string;
    FunctionAssociations?: Array<{ EventType: string; FunctionARN: { 'Fn::GetAtt': [string, string] } }>;
  };
  const behaviours = () => config().CacheBehaviors as Behaviour[];
  const apiOriginId = () => behaviours()[0]!.TargetOriginId;

  it('the site bucket is private and only this distribution may read it, through OAC', () => {
    const site = resources[siteId()]!.Properties;
    expect(site.PublicAccessBlockConfiguration.RestrictPublicBuckets).toBe(true);
    expect(site.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'AES256',
    });
    expect(site.WebsiteConfiguration).toBeUndefined();

    const s3Origin = origin(config().DefaultCacheBehavior.TargetOriginId);
    expect(s3Origin.DomainName).toEqual({ 'Fn::GetAtt': [siteId(), 'RegionalDomainName'] });
    const oacId = (s3Origin.OriginAccessControlId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(resources[oacId]!.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    // OAC, not the legacy origin access identity.
    expect(s3Origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(ofType('AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual([]);

    const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === siteId())!;
    const allows = (policy[1].Properties.PolicyDocument.Statement as Statement[]).filter(
      (s) => s.Effect === 'Allow',
    );
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
    });
    expect(JSON.stringify(allows[0]!.Condition)).toContain(`{"Ref":"${distributionId()}"}`);
  });

  it('HTTPS only: pages redirect to https, the API refuses http', () => {
    const all = [config().DefaultCacheBehavior as Behaviour, ...behaviours()];
    for (const b of all) expect(b.ViewerProtocolPolicy, b.PathPattern).not.toBe('allow-all');
    expect(config().DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    for (const b of behaviours()) expect(b.ViewerProtocolPolicy, b.PathPattern).toBe('https-only');
  });

  it('serves index.html at / and logs to the access-log bucket', () => {
    expect(config().DefaultRootObject).toBe('index.html');
    expect(config().Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [logicalId(stack.accessLogs.bucket), 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
  });

  it('the API path patterns go to the HTTP API origin over TLS 1.2, uncached, all methods', () => {
    expect(behaviours().map((b) => b.PathPattern)).toEqual(apiPathPatterns(routes));
    expect((stack.web as WebHosting).apiPathPatterns).toEqual(apiPathPatterns(routes));
    const api = origin(apiOriginId()) as Origin & { CustomOriginConfig: Record<string, unknown> };
    expect(JSON.stringify(api.DomainName)).toContain(`{"Ref":"${logicalId(stack.api.api)}"}`);
    expect(JSON.stringify(api.DomainName)).toContain('.execute-api.');
    expect(api.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    const cachePolicyId = behaviours()[0]!.CachePolicyId as { Ref: string };
    const cache = resources[cachePolicyId.Ref]!.Properties.CachePolicyConfig;
    expect(cache).toMatchObject({ DefaultTTL: 0, MinTTL: 0, MaxTTL: 1 });
    expect(cache.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig).toEqual({
      HeaderBehavior: 'whitelist',
      Headers: ['Authorization'],
    });
    for (const b of behaviours()) {
      expect(b.TargetOriginId, b.PathPattern).toBe(apiOriginId());
      expect(b.AllowedMethods, b.PathPattern).toContain('POST');
      expect(b.CachePolicyId).toEqual(cachePolicyId);
      // Managed AllViewerExceptHostHeader: API Gateway answers only to its own Host.
      expect(b.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
    }
  });

  it('every route reaches the API through the distribution; pages and scripts come from S3', () => {
    const target = (path: string) =>
      behaviours().find((b) => matchesPathPattern(b.PathPattern!, path))?.TargetOriginId ??
      config().DefaultCacheBehavior.TargetOriginId;
    for (const r of routes) {
      const path = r.path.replace(/\{\w+\}/g, 'x');
      const expected = ROUTES_SERVED_FROM_BUCKET.has(r.path)
        ? config().DefaultCacheBehavior.TargetOriginId
        : apiOriginId();
      expect(target(path), `${r.method} ${r.path}`).toBe(expected);
    }
    for (const page of [
      '/',
      ...SITE_PAGES.map((p) => `/${p}`),
      '/apply/',
      '/styles.css',
      '/assets/apply.js',
    ]) {
      expect(target(page), page).toBe(config().DefaultCacheBehavior.TargetOriginId);
    }
  });

  it('a directory is served as its index.html, as the local server does', () => {
    const [association] = config().DefaultCacheBehavior.FunctionAssociations as NonNullable<
      Behaviour['FunctionAssociations']
    >;
    expect(association!.EventType).toBe('viewer-request');
    const fn = resources[association!.FunctionARN['Fn::GetAtt'][0]]!.Properties;
    expect(fn.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    const handler = new Function(`${fn.FunctionCode}; return handler;`)() as (e: {
      request: { uri: string };
    }) => { uri: string };
    const rewrite = (uri: string) => handler({ request: { uri } }).uri;
    expect(rewrite('/')).toBe('/index.html');
    expect(rewrite('/apply/')).toBe('/apply/index.html');
    expect(rewrite('/apply')).toBe('/apply/index.html');
    expect(rewrite('/status/index.html')).toBe('/status/index.html');
    expect(rewrite('/assets/apply.js')).toBe('/assets/apply.js');
  });

  it('each deployment copies the built site into the bucket and invalidates the edge caches', () => {
    const deployments = ofType('Custom::CDKBucketDeployment');
    expect(deployments).toHaveLength(1);
    const p = deployments[0]![1].Properties;
    expect(p.DestinationBucketName).toEqual({ Ref: siteId() });
    expect(p.DistributionId).toEqual({ Ref: distributionId() });
    expect(p.DistributionPaths).toEqual(['/*']);
    expect(p.Prune).toBe(true);
    expect(p.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
  });
});

describe('API path patterns', () => {
  const route = (path: string) => ({ method: 'GET' as const, path, function: 'health' as const });

  it('one pattern per first segment: exact for one-segment routes, `/first*` for a list and its items', () => {
    expect(
      apiPathPatterns([
        route('/applications'),
        route('/applications/{id}'),
        route('/docs'),
        route('/a/b/{c}'),
      ]),
    ).toEqual(['/a/*', '/applications*', '/docs']);
  });

  it('leaves /assets/{file} to the bucket and refuses a parameter as first segment', () => {
    expect(apiPathPatterns([route('/assets/{file}')])).toEqual([]);
    expect(() => apiPathPatterns([route('/{region}/tasks')])).toThrow(/would take every page/);
  });

  it('matches as CloudFront does', () => {
    expect(matchesPathPattern('/cases/*', '/cases/c1/history')).toBe(true);
    expect(matchesPathPattern('/cases/*', '/cases')).toBe(false);
    expect(matchesPathPattern('/cases*', '/cases')).toBe(true);
    expect(matchesPathPattern('/cases*', '/cases/c1/history')).toBe(true);
    expect(matchesPathPattern('/openapi.json', '/openapiXjson')).toBe(false);
    expect(matchesPathPattern('/a?c', '/abc')).toBe(true);
  });

  it('a route that would hide a page fails the synth', () => {
    const site = fakeSite();
    try {
      const scope = new Stack(new App(), 'Shadow');
      expect(
        () =>
          new WebHosting(scope, 'Web', {
            directory: site,
            api: new apigwv2.HttpApi(scope, 'Api'),
            routes: [route('/audit/{caseId}')],
            accessLogs: new AccessLogs(scope, 'Logs', { retention: logs.RetentionDays.ONE_WEEK }),
            logRetention: logs.RetentionDays.ONE_WEEK,
          }),
      ).toThrow('API path pattern /audit/* would hide the page /audit/index.html');
    } finally {
      rmSync(site, { recursive: true, force: true });
    }
  });
});

describe('stacks by lifecycle', () => {
  const nestedStacks = () => ({
    casework: stack.casework,
    payments: stack.payments,
    monitoring: stack.monitoring,
    notifications: stack.notifications,
    edge: stack.edge,
  });

  it('each stack stays well under CloudFormation’s limits: ≤ 400 resources, ≤ 800 KB', () => {
    expect(whole.stacks).toHaveLength(6);
    for (const { stack: s, template, bytes } of whole.stacks) {
      expect(Object.keys(template.Resources).length, s.node.path).toBeLessThanOrEqual(400);
      expect(bytes, s.node.path).toBeLessThanOrEqual(800 * 1024);
    }
  });

  it('the root stack keeps the stateful resources, under the logical ids they were deployed with', () => {
    const root = whole.stacks[0]!.template.Resources as Record<string, Resource>;
    const idsOf = (type: string) =>
      Object.entries(root)
        .filter(([, r]) => r.Type === type)
        .map(([id]) => id)
        .sort();
    // Pinned literally: a different id here means CloudFormation would replace the resource, and a
    // replaced key, table, queue, bucket or user pool loses what it holds.
    expect(idsOf('AWS::KMS::Key')).toEqual([
      'EncryptionBlindIndexKeyF722B40F',
      'EncryptionFieldKeyB66EF23D',
      'EncryptionKey3A692D6E',
    ]);
    expect(idsOf('AWS::DynamoDB::Table')).toEqual(['Cases', 'Idempotency', 'RateLimits']);
    expect(idsOf('AWS::SQS::Queue')).toEqual(queues.flatMap((q) => [q.id, `${q.id}DeadLetters`]).sort());
    expect(idsOf('AWS::S3::Bucket')).toEqual([
      'AccessLogsBucketCD784A59',
      'DepartmentFiles',
      'ExecutionArchive',
      'MonitoringIntake',
      'PayrollFiles',
    ]);
    expect(idsOf('AWS::Cognito::UserPool')).toEqual(['IdentityUsers61009EFD']);
    // Nothing replaceable at will lives beside them.
    expect(idsOf('AWS::Lambda::Function')).toEqual([]);
    expect(idsOf('AWS::StepFunctions::StateMachine')).toEqual([]);
  });

  it('every function is in the stack its catalog entry names, every workflow with its step functions', () => {
    for (const [name, def] of catalog) {
      expect(Stack.of(stack.functions.get(name)), name).toBe(nestedStacks()[def.stack]);
    }
    for (const w of workflows) {
      const machine = Stack.of(stack.stateMachines.byId.get(w.id)!);
      for (const fn of Object.values(w.substitutions))
        expect(Stack.of(stack.functions.get(fn)), `${w.id} ${fn}`).toBe(machine);
    }
    expect(Stack.of(stack.api.api)).toBe(stack.edge);
    expect(Stack.of((stack.web as WebHosting).distribution)).toBe(stack.edge);
  });
});
