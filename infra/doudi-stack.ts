import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { routes } from '../functions/catalog.ts';
import { CALENDAR_FALLBACK } from '../shared/metrics.ts';
import { buckets, queues, secrets, tables } from '../shared/resources.ts';
import { workflows } from '../workflows/index.ts';
import { AccessLogs } from './access-logs.ts';
import { HttpApi } from './api.ts';
import { Buckets } from './buckets.ts';
import { DataKey } from './encryption.ts';
import { Identity } from './identity.ts';
import { LifecycleStack } from './lifecycle.ts';
import { acknowledge } from './nag.ts';
import { type Profile, profileOf } from './profiles.ts';
import { Queues } from './queues.ts';
import { Tables } from './tables.ts';
import { ApiSite, ROUTES_SERVED_FROM_BUCKET, WebHosting } from './web.ts';
import { WorkflowReferences } from './workflows.ts';

export interface DoudiStackProps extends StackProps {
  /** Retention of function and workflow logs; the audit trail itself is archived in DynamoDB/S3. */
  logRetention?: logs.RetentionDays;
  /** The built web site (`scripts/build-web.ts`), deployed to S3 behind CloudFront. */
  webDirectory: string;
  /** Default: the app's context `profile` (`infra/profiles.ts`), else `global`. */
  profile?: Profile;
}

/**
 * Where the china profile reads its identity provider at deployment (SSM parameters, so that no
 * address is baked into the template); context `oidcIssuerParameter` / `oidcAudienceParameter`
 * name others.
 */
export const OIDC_PARAMETERS = { issuer: '/doudi/oidc/issuer', audience: '/doudi/oidc/audience' } as const;

/** CDK's switch for templates without indentation, read by every stack below the root. */
const SUPPRESS_TEMPLATE_INDENTATION = '@aws-cdk/core:suppressTemplateIndentation';

/**
 * The whole system, built from the same definitions the local runtime uses: `shared/resources.ts`,
 * `functions/catalog.ts` and `workflows/index.ts`. Split by lifecycle (docs/architecture.md §5): this
 * root stack holds what must never be replaced — keys, tables, queues, buckets, the user pool — and
 * five nested stacks hold what is redeployed at will: casework, payments, monitoring, notifications and the edge
 * (HTTP API and site). Each is one CloudFormation template under its 500-resource and 1 MB limits.
 */
export class DoudiStack extends Stack {
  readonly key: DataKey;
  readonly tables: Tables;
  readonly queues: Queues;
  readonly accessLogs: AccessLogs;
  readonly profile: Profile;
  /** The Cognito user pool (global profile); the china profile trusts the province's OIDC issuer. */
  readonly identity: Identity | undefined;
  readonly casework: LifecycleStack;
  readonly payments: LifecycleStack;
  readonly monitoring: LifecycleStack;
  readonly notifications: LifecycleStack;
  readonly edge: LifecycleStack;
  /** The secrets of `shared/resources.ts`: put by an operator, kept with the data. */
  readonly secrets: ReadonlyMap<string, secretsmanager.Secret>;
  readonly api: HttpApi;
  readonly web: WebHosting | ApiSite;
  /** Every function of the catalog, whichever stack it is in. */
  readonly functions: { get(name: string): NodejsFunction };
  /** Every workflow's state machine, by workflow id. */
  readonly stateMachines: { byId: ReadonlyMap<string, sfn.StateMachine> };

  constructor(scope: Construct, id: string, props: DoudiStackProps) {
    // Templates without indentation: CloudFormation takes at most 1 MB, and indentation alone is a third.
    super(scope, id, { suppressTemplateIndentation: true, ...props });
    this.node.setContext(SUPPRESS_TEMPLATE_INDENTATION, true);
    // S3 server access logs are allowed by the log bucket's policy (scoped to the source bucket and
    // account), not by the legacy LogDeliveryWrite ACL.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    this.profile = props.profile ?? profileOf(this.node);
    const china = this.profile === 'china';
    assertUniqueIds();

    this.key = new DataKey(this, 'Encryption');
    const key = this.key.key;
    this.tables = new Tables(this, 'Tables', { definitions: tables, key });
    this.queues = new Queues(this, 'Queues', { definitions: queues, key });
    this.accessLogs = new AccessLogs(this, 'AccessLogs', { retention: logRetention });
    const accessLogs = this.accessLogs.bucket;
    const archive = new Buckets(this, 'Buckets', { definitions: buckets, key, accessLogs });
    // The user pool holds every caseworker's and auditor's account: data, kept here with the rest.
    this.identity = china ? undefined : new Identity(this, 'Identity');
    const references = new WorkflowReferences(this, 'WorkflowArns', workflows);
    this.secrets = new Map(
      secrets.map((s) => {
        const secret = new secretsmanager.Secret(this, s.id, {
          description: s.description,
          encryptionKey: key,
          // A value only an operator can give (docs/deploy.md); kept when the stack goes.
          removalPolicy: RemovalPolicy.RETAIN,
        });
        acknowledge(
          secret,
          'SMG4',
          'Credentials of outside services (an SMS gateway, robot webhooks), rotated by their issuers; an operator puts the new value (docs/deploy.md).',
        );
        return [s.id, secret];
      }),
    );

    const lifecycle = {
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
      blindIndexKeys: this.key.blindIndexKeys,
      secrets: this.secrets,
      logRetention,
      tracing: !china,
      nameClaim: this.node.tryGetContext('oidcNameClaim') as string | undefined,
    };
    this.casework = new LifecycleStack(this, 'Casework', {
      ...lifecycle,
      lifecycle: 'casework',
      description: '兜底 doudi 业务办理 casework: applications, rechecks, gradual exits, emergencies',
    });
    this.payments = new LifecycleStack(this, 'Payments', {
      ...lifecycle,
      lifecycle: 'payments',
      description: '兜底 doudi 资金发放 payments: payee accounts, the monthly roll, bank files, recoveries',
    });
    this.monitoring = new LifecycleStack(this, 'Monitoring', {
      ...lifecycle,
      lifecycle: 'monitoring',
      description:
        '兜底 doudi 动态监测 monitoring: department feeds compared with the register, warnings, demands, look-ups, change lists, discoveries, complaints',
    });
    this.notifications = new LifecycleStack(this, 'Notifications', {
      ...lifecycle,
      lifecycle: 'notifications',
      description:
        '兜底 doudi 通知 notifications: SMS to households, work messages to offices, with receipts',
    });
    this.edge = new LifecycleStack(this, 'Edge', {
      ...lifecycle,
      lifecycle: 'edge',
      description: '兜底 doudi 入口 edge: the HTTP API, the pages and their documents',
    });
    const stacks = [this.casework, this.payments, this.monitoring, this.notifications, this.edge];
    this.functions = {
      get: (name) => {
        const stack = stacks.find((s) => s.functions.byName.has(name));
        if (!stack) throw new Error(`no function '${name}' in functions/catalog.ts`);
        return stack.functions.get(name);
      },
    };
    this.stateMachines = { byId: new Map(stacks.flatMap((s) => [...s.stateMachines.byId])) };
    if (this.stateMachines.byId.size !== workflows.length)
      throw new Error('every workflow must be deployed in exactly one stack');

    // On the china profile the site's function answers what S3 answers behind CloudFront.
    const apiRoutes = china ? routes.filter((r) => !ROUTES_SERVED_FROM_BUCKET.has(r.path)) : routes;
    let hosting: WebHosting | undefined;
    const domainPrefix = this.node.tryGetContext('cognitoDomainPrefix') as string | undefined;
    const pagesSignIn =
      this.identity && domainPrefix
        ? this.identity.addPagesSignIn(this.edge, domainPrefix, () => {
            if (!hosting) throw new Error('the pages’ sign-in needs the distribution');
            return hosting.distribution.distributionDomainName;
          })
        : undefined;
    if (pagesSignIn) this.tellPages(pagesSignIn.issuer, pagesSignIn.client.userPoolClientId);
    this.api = new HttpApi(this.edge, 'Http', {
      routes: apiRoutes,
      functionNamed: this.functions.get,
      key,
      logRetention,
      authorizer: this.identity
        ? new HttpUserPoolAuthorizer('Cognito', this.identity.userPool, {
            userPoolClients: [this.identity.client, ...(pagesSignIn ? [pagesSignIn.client] : [])],
          })
        : this.oidcAuthorizer(),
    });
    const site = { directory: props.webDirectory, routes, accessLogs: this.accessLogs, logRetention };
    if (china) {
      this.web = new ApiSite(this.edge, 'Web', { ...site, routes: apiRoutes, api: this.api.api, key });
      new CfnOutput(this, 'SiteUrl', { value: this.api.api.apiEndpoint });
    } else {
      const web = new WebHosting(this.edge, 'Web', { ...site, api: this.api.api });
      hosting = web;
      this.web = web;
      new CfnOutput(this, 'SiteUrl', { value: `https://${web.distribution.distributionDomainName}` });
    }
    new CfnOutput(this, 'ApiUrl', { value: this.api.api.apiEndpoint });

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

  /**
   * The china profile's JWT authorizer: the province's OIDC issuer and the audience registered for
   * this system (the pages' client id), read from SSM parameters at deployment (no lookup at synth,
   * nothing in the template). The pages learn the same two from `GET /public/sign-in`.
   */
  private oidcAuthorizer(): apigwv2.IHttpRouteAuthorizer {
    const parameter = (context: string, fallback: string) =>
      ssm.StringParameter.valueForStringParameter(
        this.edge,
        (this.node.tryGetContext(context) as string | undefined) ?? fallback,
      );
    const issuer = parameter('oidcIssuerParameter', OIDC_PARAMETERS.issuer);
    const clientId = parameter('oidcAudienceParameter', OIDC_PARAMETERS.audience);
    this.tellPages(issuer, clientId);
    return new HttpJwtAuthorizer('Oidc', issuer, { jwtAudience: [clientId] });
  }

  /** What `GET /public/sign-in` tells the pages: the issuer to sign in with, and their client id. */
  private tellPages(issuer: string, clientId: string): void {
    const signInOptions = this.functions.get('signInOptions');
    signInOptions.addEnvironment('OIDC_ISSUER', issuer);
    signInOptions.addEnvironment('OIDC_CLIENT_ID', clientId);
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
