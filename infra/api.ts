import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { Route } from '../functions/catalog.ts';

export interface HttpApiProps {
  routes: Route[];
  functionNamed: (name: string) => lambda.IFunction;
}

/** The HTTP API: exactly the routes of `functions/catalog.ts`, the same ones the local server maps. */
export class HttpApi extends Construct {
  readonly api: apigwv2.HttpApi;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: Stack.of(this).stackName,
      description: '兜底 — social assistance applications, caseworker tasks and case histories',
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
      this.api.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration,
      });
    }
    new CfnOutput(this, 'Url', { value: this.api.apiEndpoint });
  }
}
