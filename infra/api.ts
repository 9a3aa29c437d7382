import { CfnOutput, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Route } from '../functions/catalog.ts';
import { acknowledge } from './nag.ts';

export interface HttpApiProps {
  routes: Route[];
  functionNamed: (name: string) => lambda.IFunction;
  key: kms.IKey;
  logRetention: logs.RetentionDays;
}

/**
 * Routes anyone may call, whatever issue 7's authorizer decides for the rest: what is public about
 * the service itself, never about a household.
 */
const PUBLIC_ROUTES: Record<string, string> = {
  'GET /health': 'a liveness probe answering only that the service is up',
  'GET /openapi.json': 'the API description, which the public API page (/docs) renders',
  'GET /docs': 'the API page, documentation only',
  'GET /assets/{file}':
    'the pages’ scripts, which every visitor downloads (served from S3 behind CloudFront)',
};

/**
 * One line per request, without bodies, query strings or path parameters: the route says what was
 * called, the function's own log says about which case.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    sourceIp: '$context.identity.sourceIp',
  }),
);

/** The HTTP API: exactly the routes of `functions/catalog.ts`, the same ones the local server maps. */
export class HttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: Stack.of(this).stackName,
      description: '兜底 — social assistance applications, caseworker tasks and case histories',
      // Created below, with access logging, which the default stage cannot be given.
      createDefaultStage: false,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(
          new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention, encryptionKey: props.key }),
        ),
        format: ACCESS_LOG_FORMAT,
      },
    });
    // One integration per function, shared by the function's routes.
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of props.routes) {
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(
          `${route.function}Integration`,
          props.functionNamed(route.function),
        );
        integrations.set(route.function, integration);
      }
      const routeKey = `${route.method} ${route.path}`;
      for (const httpRoute of this.api.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration,
      })) {
        const purpose = PUBLIC_ROUTES[routeKey];
        acknowledge(
          httpRoute,
          'APIG4',
          purpose
            ? `${routeKey} is public by design: ${purpose}.`
            : `${routeKey} has no authorizer yet: sign-in does not exist; issue 7 adds a JWT authorizer (Cognito user pool) to this route and role and jurisdiction checks to its function. Until then the stack must not hold real households' data.`,
        );
      }
    }
    new CfnOutput(this, 'Url', { value: this.api.apiEndpoint });
  }
}
