import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { type Route, routePattern } from '../functions/catalog.ts';
import type { AccessLogs } from './access-logs.ts';
import { bundledFunction, NODE_22 } from './functions.ts';
import { rootStackName } from './lifecycle.ts';
import { acknowledge, attributeRef } from './nag.ts';

/**
 * Routes that S3 answers on AWS instead of the API: `GET /assets/{file}` bundles on request in the
 * local runtime only (the deployed function has no esbuild and answers 404); the site build ships
 * the same bundles (`scripts/build-web.ts`).
 */
export const ROUTES_SERVED_FROM_BUCKET: ReadonlySet<string> = new Set(['/assets/{file}']);

/**
 * The pages that sign people in, each its own redirect URI at the identity provider (docs/deploy.md):
 * a test checks that these are the pages whose script starts the sign-in.
 */
export const SIGN_IN_PAGES = [
  'apply',
  'status',
  'workbench',
  'audit',
  'department',
  'payroll',
  'manage',
] as const;

/** CloudFront's default quota of cache behaviours per distribution (the default behaviour included). */
const MAX_BEHAVIOURS = 25;

/**
 * The CloudFront path patterns that go to the HTTP API: `/first` for a one-segment route,
 * `/first/*` for a longer one, and `/first*` where there are both. The pages call the API by relative paths (`/applications`, `/tasks`,
 * `/cases/…`, `/openapi.json`, `/docs`), so the API keeps its own paths rather than an `/api/` prefix.
 */
export function apiPathPatterns(routes: readonly Route[]): string[] {
  const patterns = new Set<string>();
  for (const route of routes) {
    if (ROUTES_SERVED_FROM_BUCKET.has(route.path)) continue;
    const [first = '', ...rest] = route.path.slice(1).split('/');
    if (first === '' || first.includes('{')) {
      throw new Error(
        `route ${route.method} ${route.path}: a first segment that is a parameter would take every page`,
      );
    }
    patterns.add(rest.length > 0 ? `/${first}/*` : `/${first}`);
  }
  // `/first` and `/first/*` together are one behaviour, `/first*`: the quota is per distribution, and
  // every resource with a list and its items would otherwise spend two. (A page it would hide fails the
  // synth below, as any pattern does.)
  for (const pattern of [...patterns])
    if (pattern.endsWith('/*') && patterns.has(pattern.slice(0, -2))) {
      patterns.delete(pattern);
      patterns.delete(pattern.slice(0, -2));
      patterns.add(`${pattern.slice(0, -2)}*`);
    }
  return [...patterns].sort();
}

/** Whether a CloudFront path pattern (`*` any characters, `?` one) matches a request path. */
export function matchesPathPattern(pattern: string, path: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(path);
}

/**
 * Viewer-request function: `/apply/` and `/apply` are `/apply/index.html`, as the local server
 * serves a directory (a default root object only covers `/`). Runs at the edge on every page request.
 */
const DIRECTORY_INDEX = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) request.uri = uri + 'index.html';
  else if (uri.split('/').pop().indexOf('.') === -1) request.uri = uri + '/index.html';
  return request;
}`;

export interface WebHostingProps {
  /** The built site (`scripts/build-web.ts`): pages, styles and `assets/<name>.js`. */
  directory: string;
  api: apigwv2.IHttpApi;
  routes: readonly Route[];
  /** Receives the site bucket's server access logs and the distribution's standard logs. */
  accessLogs: AccessLogs;
  logRetention: logs.RetentionDays;
}

/**
 * The pages on S3 behind CloudFront, and the HTTP API behind the same distribution, so a page and the
 * API it calls share one origin (no CORS, one certificate, one place for a WAF later).
 *
 * The site bucket uses S3-managed keys, not the data key: it holds only the public pages and scripts,
 * which every visitor downloads anyway; SSE-KMS would add a key-policy grant to CloudFront on the key
 * that protects the households' data, and a KMS call per uncached object, for nothing.
 */
export class WebHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly apiPathPatterns: string[];

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.apiPathPatterns = apiPathPatterns(props.routes);
    if (this.apiPathPatterns.length + 1 > MAX_BEHAVIOURS) {
      throw new Error(
        `${this.apiPathPatterns.length} API path patterns exceed CloudFront's ${MAX_BEHAVIOURS} behaviours per distribution`,
      );
    }
    for (const file of filesIn(props.directory)) {
      const shadowing = this.apiPathPatterns.find((p) => matchesPathPattern(p, `/${file}`));
      if (shadowing) throw new Error(`API path pattern ${shadowing} would hide the page /${file}`);
    }

    this.bucket = siteBucket(this, props.accessLogs);

    const apiOrigin = new origins.HttpOrigin(
      `${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`,
      {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      },
    );
    // Nothing from the API is cached: answers are per person and change with every decision. The
    // Authorization header is in the (one-second, never used) cache key only because CloudFront
    // forwards it on GET requests on that condition alone; the JWT authorizer (issue 7) needs it.
    const apiCachePolicy = new cloudfront.CachePolicy(this, 'ApiNoCache', {
      comment: 'doudi API: not cached; Authorization forwarded',
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
    });
    const apiBehaviour: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      // A POST to http:// redirected to https:// would already have sent the household's data in clear.
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: apiCachePolicy,
      // Everything the viewer sent (Idempotency-Key, query strings) but Host, which must be the API's.
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `doudi ${rootStackName(this)}: pages and API`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        // Pages carry no data of their own; someone typing the address gets sent to https.
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        functionAssociations: [
          {
            eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
            function: new cloudfront.Function(this, 'DirectoryIndex', {
              comment: 'doudi: /dir/ and /dir are /dir/index.html',
              code: cloudfront.FunctionCode.fromInline(DIRECTORY_INDEX),
              runtime: cloudfront.FunctionRuntime.JS_2_0,
            }),
          },
        ],
      },
      additionalBehaviors: Object.fromEntries(this.apiPathPatterns.map((p) => [p, apiBehaviour])),
      // No errorResponses: they would apply to the API's 4xx answers too and hide them behind a page.
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.accessLogs.bucket,
      logFilePrefix: 'cloudfront/',
    });

    deploySite(this, this.bucket, props, this.distribution);

    acknowledge(
      this.distribution,
      'CFR1',
      'No geo restriction: who may read or write a case is decided by sign-in, role and jurisdiction (issue 7), not by where a request comes from; blocking countries would shut out household members who work abroad and apply or check on relatives at home.',
    );
    acknowledge(
      this.distribution,
      'CFR2',
      'No WAF yet: a web ACL for CloudFront must be created in us-east-1, and this stack is region-agnostic; it needs its own us-east-1 stack (follow-up to issue 7). Until then the API has the account-level throttling of API Gateway and validates every request against its zod schema (issue 7 fuzzes that).',
    );
    acknowledge(
      this.distribution,
      'CFR4',
      'The distribution answers on its default *.cloudfront.net name, whose certificate CloudFront serves with a TLSv1 minimum that cannot be raised; TLSv1.2_2021 needs a custom domain with an ACM certificate in us-east-1, which the project does not have yet. Origins are reached with TLS 1.2 only.',
    );
  }
}

/**
 * The site bucket: S3-managed keys, not the data key — it holds only the public pages and scripts,
 * which every visitor downloads anyway.
 */
function siteBucket(scope: Construct, accessLogs: AccessLogs): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'Site', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
  });
  accessLogs.logAccessOf(bucket, 's3/site/');
  return bucket;
}

/**
 * Copies the built site into its bucket on every deployment and, where a distribution serves it,
 * invalidates the edge caches.
 */
function deploySite(
  scope: Construct,
  bucket: s3.Bucket,
  props: { directory: string; logRetention: logs.RetentionDays },
  distribution?: cloudfront.IDistribution,
): void {
  // The deployment's function gets its own role and log group, not AWSLambdaBasicExecutionRole.
  const role = new iam.Role(scope, 'DeploymentRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: distribution
      ? 'doudi: copies the built site into the site bucket and invalidates the distribution'
      : 'doudi: copies the built site into the site bucket',
  });
  const deploymentLogs = new logs.LogGroup(scope, 'DeploymentLogs', { retention: props.logRetention });
  deploymentLogs.grantWrite(role);
  new s3deploy.BucketDeployment(scope, 'Deployment', {
    sources: [s3deploy.Source.asset(props.directory)],
    role,
    logGroup: deploymentLogs,
    destinationBucket: bucket,
    // Script names are not content-hashed (the pages name /assets/apply.js): browsers revalidate,
    // and the edge caches are invalidated by every deployment.
    cacheControl: [s3deploy.CacheControl.noCache()],
    ...(distribution ? { distribution, distributionPaths: ['/*'] } : {}),
  });

  // The findings on CDK's own deployment function (`Custom::CDKBucketDeployment`), whose code and
  // runtime are CDK's and whose grants CDK writes.
  const site = attributeRef(bucket, role);
  const assets = 'arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*';
  const wildcards: Array<[string, string]> = [
    ['Action::s3:GetObject*', 'reading the site archive from the CDK assets bucket and the site objects'],
    ['Action::s3:GetBucket*', 'locating the CDK assets bucket and the site bucket'],
    ['Action::s3:List*', 'listing the site bucket to prune files that a deployment no longer ships'],
    ['Action::s3:DeleteObject*', 'pruning from the site bucket the files a deployment no longer ships'],
    ['Action::s3:Abort*', 'aborting its own multipart uploads into the site bucket'],
    [`Resource::${site}/*`, 'the objects of the site bucket, which it replaces wholesale'],
    [
      `Resource::${assets}`,
      'the objects of the CDK bootstrap assets bucket, where the site archive is uploaded',
    ],
  ];
  if (distribution)
    wildcards.push([
      'Resource::*',
      'cloudfront:CreateInvalidation and GetInvalidation, which CDK grants on `*`; the function invalidates only this distribution, whose id it is given',
    ]);
  for (const [finding, what] of wildcards) {
    acknowledge(role, `IAM5[${finding}]`, `CDK's BucketDeployment grant, limited to ${what}.`);
  }
  // CDK makes the function a singleton at the stack's root; find it there to acknowledge it alone.
  const handlers = Stack.of(scope).node.children.filter((c) =>
    c.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (handlers.length !== 1)
    throw new Error(`expected one BucketDeployment function, found ${handlers.length}`);
  acknowledge(
    handlers[0]!,
    'L1',
    'CDK ships and pins the runtime of its BucketDeployment function (Python 3.13) with the handler code it was tested with; it runs only during deployments and processes only the site the build produced.',
  );
}

export interface ApiSiteProps {
  /** The built site (`scripts/build-web.ts`). */
  directory: string;
  api: apigwv2.HttpApi;
  routes: readonly Route[];
  accessLogs: AccessLogs;
  logRetention: logs.RetentionDays;
  key: kms.IKey;
}

/**
 * The china profile's pages (`infra/profiles.ts`): the site bucket read by a function on the HTTP
 * API's `$default` route (`functions/http/site.ts`), which takes every request no route of the
 * catalog matches — so the pages and the API share one origin without CloudFront, whose China
 * distributions need an ICP-registered domain of their own. API Gateway serves unauthenticated
 * requests there only for an account with an ICP licence (docs/deploy.md).
 */
export class ApiSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: ApiSiteProps) {
    super(scope, id);
    for (const file of filesIn(props.directory)) {
      const route = props.routes.find((r) => routePattern(r.path).regex.test(`/${file}`));
      if (route) throw new Error(`route ${route.method} ${route.path} would hide the page /${file}`);
    }
    this.bucket = siteBucket(this, props.accessLogs);
    deploySite(this, this.bucket, props);

    const role = new iam.Role(this, 'PageRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'doudi sitePage: reads the site bucket',
    });
    const logGroup = new logs.LogGroup(this, 'PageLogs', {
      retention: props.logRetention,
      encryptionKey: props.key,
    });
    logGroup.grantWrite(role);
    this.bucket.grantRead(role);
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*'])
      acknowledge(
        role,
        `IAM5[Action::${action}]`,
        "CDK's read grant on the site bucket, which holds only the public pages and scripts.",
      );
    acknowledge(
      role,
      `IAM5[Resource::${attributeRef(this.bucket, role)}/*]`,
      'The objects of the site bucket: every page and script, all public.',
    );
    this.function = bundledFunction(this, 'Page', {
      description: 'sitePage: 网页（站点存储桶）',
      entry: 'functions/http/site.ts',
      handler: 'page',
      timeoutSeconds: 10,
      tracing: false,
      role,
      logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', SITE_BUCKET: this.bucket.bucketName },
    });
    acknowledge(this.function, 'L1', NODE_22);
    const route = new apigwv2.HttpRoute(this, 'DefaultRoute', {
      httpApi: props.api,
      routeKey: apigwv2.HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration('PageIntegration', this.function),
    });
    acknowledge(route, 'APIG4', 'The pages are public by design: the sign-in happens on them.');
  }
}

function filesIn(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(directory, join(e.parentPath, e.name)).split(sep).join('/'));
}
