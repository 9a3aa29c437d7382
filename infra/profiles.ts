/**
 * Deployment profiles, chosen by CDK context (`npx cdk synth -c profile=china`; docs/deploy.md):
 *
 * - `global` (the default): a Cognito user pool says who people are, CloudFront serves the pages
 *   and the API from one origin. For demonstrations outside China.
 * - `china`: the AWS China regions (cn-north-1, cn-northwest-1; partition `aws-cn`), where the
 *   personal data of Chinese residents belongs. Only services available there: the HTTP API's JWT
 *   authorizer trusts the province's OIDC issuer (its address and audience are SSM parameters, read
 *   at deployment), the pages are served by the HTTP API itself from the site bucket, and no
 *   resource below is created.
 *
 * Whoever someone is, what they may do is the system's own staff records in both (`shared/staff.ts`).
 */
import type { Node } from 'constructs';

export const profiles = ['global', 'china'] as const;
export type Profile = (typeof profiles)[number];

/** The profile a synth was asked for; an unknown one stops the synth rather than deploying the wrong thing. */
export function profileOf(node: Node): Profile {
  const asked = node.tryGetContext('profile') ?? 'global';
  if (!profiles.includes(asked)) throw new Error(`unknown profile '${asked}': use ${profiles.join(' or ')}`);
  return asked;
}

/**
 * Resource types AWS documents as unavailable in the China regions, or available only with an ICP
 * licence and a domain the project does not assume. Source: "Getting Started with Amazon Web Services
 * in China", each service's page of feature availability and implementation differences
 * (https://docs.amazonaws.cn/en_us/aws/latest/userguide/<service>.html). The china profile's
 * template test checks that none is in the template.
 */
export const unavailableInChina: Readonly<Record<string, string>> = {
  'AWS::Cognito::UserPool': 'cognito.html: Amazon Cognito User Pools are not available',
  'AWS::Cognito::UserPoolClient': 'cognito.html: Amazon Cognito User Pools are not available',
  'AWS::Cognito::UserPoolDomain': 'cognito.html: Amazon Cognito User Pools are not available',
  'AWS::Cognito::UserPoolGroup': 'cognito.html: Amazon Cognito User Pools are not available',
  'AWS::Cognito::UserPoolUser': 'cognito.html: Amazon Cognito User Pools are not available',
  'AWS::Lambda::Url': 'lambda.html: Lambda function URLs are not available',
  'AWS::CloudFront::Distribution':
    'cloudfront.html: the default *.cloudfront.cn domain cannot serve content; a distribution needs an alternate domain with an ICP registration',
  'AWS::CloudFront::Function': 'cloudfront.html: a distribution needs an ICP-registered alternate domain',
  'AWS::CloudFront::OriginAccessControl':
    'cloudfront.html: a distribution needs an ICP-registered alternate domain',
  'AWS::CloudFront::CachePolicy': 'cloudfront.html: a distribution needs an ICP-registered alternate domain',
  'AWS::ApiGatewayV2::DomainName': 'api-gateway.html: every custom domain name needs an ICP licence',
};

/**
 * Properties that the China regions do not support on resources that exist there, as
 * `[resource type, property path, value refused]`. Source as above.
 */
export const unsupportedInChina: ReadonlyArray<readonly [string, string, string]> = [
  ['AWS::Lambda::Function', 'TracingConfig.Mode', 'Active'], // lambda.html: no X-Ray integration
  ['AWS::ApiGatewayV2::Authorizer', 'AuthorizerType', 'REQUEST'], // api-gateway.html: Lambda authorizers need an ICP licence
];
