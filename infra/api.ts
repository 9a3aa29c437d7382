import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Route } from '../functions/catalog.ts';
import { apiThrottle } from '../shared/rate-limits.ts';
import { rootStackName } from './lifecycle.ts';
import { acknowledge } from './nag.ts';

export interface HttpApiProps {
  routes: Route[];
  functionNamed: (name: string) => lambda.IFunction;
  key: kms.IKey;
  logRetention: logs.RetentionDays;
  /**
   * Verifies the tokens of signed-in people on every route that is not public: a Cognito user pool's
   * or the province's OIDC issuer's (`infra/profiles.ts`).
   */
  authorizer: apigwv2.IHttpRouteAuthorizer;
}

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
      apiName: rootStackName(this),
      description: '兜底 — social assistance applications, caseworker tasks and case histories',
      // Created below, with access logging, which the default stage cannot be given.
      createDefaultStage: false,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // All callers together (shared/rate-limits.ts); the functions hold each caller to their own.
      throttle: { rateLimit: apiThrottle.rate, burstLimit: apiThrottle.burst },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(
          new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention, encryptionKey: props.key }),
        ),
        format: ACCESS_LOG_FORMAT,
      },
    });
    // API Gateway checks the token is genuine; the function checks role and jurisdiction.
    const authorizer = props.authorizer;
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
        ...(route.public ? {} : { authorizer }),
      })) {
        if (route.public)
          acknowledge(httpRoute, 'APIG4', `${routeKey} is public by design: ${route.public}.`);
      }
    }
  }
}
