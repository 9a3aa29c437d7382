/**
 * The deployment profiles' templates (`infra/profiles.ts`). China: only what the AWS China regions
 * offer, every ARN through the partition, the province's OIDC issuer behind the JWT authorizer, the
 * pages served by the API from the site bucket — and the same stateful resources under the same
 * logical ids as the global profile, so that a table is one definition whichever profile deploys it.
 * Global: with `cognitoDomainPrefix`, the pages sign in through the user pool's hosted sign-in.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/catalog.ts';
import { DoudiStack, OIDC_PARAMETERS } from '../../infra/doudi-stack.ts';
import { unavailableInChina, unsupportedInChina } from '../../infra/profiles.ts';
import { ApiSite, ROUTES_SERVED_FROM_BUCKET, SIGN_IN_PAGES } from '../../infra/web.ts';
import { fakeSite } from './fake-site.ts';
import { type WholeTemplate, wholeTemplate } from './stacks.ts';

// biome-ignore lint/suspicious/noExplicitAny: template properties are untyped JSON
type Resource = { Type: string; Properties: Record<string, any> };

let china: WholeTemplate;
let global: WholeTemplate;
let stack: DoudiStack;
let webDirectory: string;

const synth = (profile: string, context: Record<string, string> = {}) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], profile, ...context } });
  const root = new DoudiStack(app, 'Doudi', { webDirectory });
  return { root, whole: wholeTemplate(root) };
};

beforeAll(() => {
  webDirectory = fakeSite();
  const synthesized = synth('china');
  stack = synthesized.root;
  china = synthesized.whole;
  global = synth('global').whole;
});

afterAll(() => rmSync(webDirectory, { recursive: true, force: true }));

const ofType = (t: WholeTemplate, type: string) =>
  Object.entries(t.resources as Record<string, Resource>).filter(([, r]) => r.Type === type);
const at = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);

describe('the china profile', () => {
  it('creates no resource AWS lists as unavailable in the China regions, and no property they refuse', () => {
    expect(stack.profile).toBe('china');
    const types = new Set(Object.values(china.resources as Record<string, Resource>).map((r) => r.Type));
    expect([...types].filter((t) => t in unavailableInChina)).toEqual([]);
    for (const [type, path, refused] of unsupportedInChina)
      for (const [id, r] of ofType(china, type))
        expect(at(r.Properties, path), `${id} ${path}`).not.toBe(refused);
    // The list is not vacuous: the global profile has several of them.
    const globalTypes = new Set(
      Object.values(global.resources as Record<string, Resource>).map((r) => r.Type),
    );
    expect([...globalTypes].filter((t) => t in unavailableInChina).length).toBeGreaterThanOrEqual(4);
  });

  it('names no partition: every ARN comes through the AWS::Partition pseudo parameter', () => {
    for (const { stack: s, template } of china.stacks)
      expect(JSON.stringify(template).match(/arn:aws:[^"]*/g) ?? [], s.node.path).toEqual([]);
  });

  it('verifies tokens with the OIDC issuer and audience the deployment keeps in SSM, on every route that is not public', () => {
    const [[, authorizer]] = ofType(china, 'AWS::ApiGatewayV2::Authorizer') as [[string, Resource]];
    expect(ofType(china, 'AWS::ApiGatewayV2::Authorizer')).toHaveLength(1);
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    const edge = china.stacks.find((s) => s.stack.node.path === 'Doudi/Edge')!.template;
    const ssmDefault = (ref: { Ref: string }) => {
      const parameter = edge.Parameters[ref.Ref];
      expect(parameter.Type).toBe('AWS::SSM::Parameter::Value<String>');
      return parameter.Default;
    };
    expect(ssmDefault(authorizer.Properties.JwtConfiguration.Issuer)).toBe(OIDC_PARAMETERS.issuer);
    expect(ssmDefault(authorizer.Properties.JwtConfiguration.Audience[0])).toBe(OIDC_PARAMETERS.audience);
    // The pages read the same two from GET /public/sign-in.
    const signIn = Object.values(china.resources as Record<string, Resource>).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description).startsWith('signInOptions'),
    )!;
    const { OIDC_ISSUER, OIDC_CLIENT_ID } = signIn.Properties.Environment.Variables;
    expect(OIDC_ISSUER).toEqual(authorizer.Properties.JwtConfiguration.Issuer);
    expect(OIDC_CLIENT_ID).toEqual(authorizer.Properties.JwtConfiguration.Audience[0]);

    const deployed = new Map(
      ofType(china, 'AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey, r]),
    );
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      if (ROUTES_SERVED_FROM_BUCKET.has(route.path)) {
        expect(deployed.has(key), key).toBe(false);
        continue;
      }
      expect(deployed.get(key)?.Properties.AuthorizationType, key).toBe(route.public ? 'NONE' : 'JWT');
    }
  });

  it('serves the pages from the site bucket through the API’s $default route, reading nothing else', () => {
    const site = stack.web as ApiSite;
    expect(site).toBeInstanceOf(ApiSite);
    const [[, route]] = ofType(china, 'AWS::ApiGatewayV2::Route').filter(
      ([, r]) => r.Properties.RouteKey === '$default',
    ) as [[string, Resource]];
    expect(route.Properties.AuthorizationType).toBe('NONE');
    const page = Object.values(china.resources as Record<string, Resource>).find(
      (r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description).startsWith('sitePage'),
    )!;
    expect(Object.keys(page.Properties.Environment.Variables).sort()).toEqual([
      'NODE_OPTIONS',
      'SITE_BUCKET',
    ]);
    const role = (china.resources as Record<string, Resource>)[page.Properties.Role['Fn::GetAtt'][0]]!;
    const policies = ofType(china, 'AWS::IAM::Policy').filter(([, p]) =>
      p.Properties.Roles.some((r: { Ref: string }) => china.resources[r.Ref] === role),
    );
    const actions = policies.flatMap(([, p]) =>
      p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()),
    );
    expect(actions.filter((a: string) => !a.startsWith('logs:') && !a.startsWith('s3:'))).toEqual([]);
    expect(ofType(china, 'AWS::CloudFront::Distribution')).toEqual([]);
  });

  it('keeps every stateful resource of the global profile under its logical id, the user pool aside', () => {
    const stateful = ['AWS::KMS::Key', 'AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::S3::Bucket'];
    const rootIds = (t: WholeTemplate) =>
      Object.entries(t.stacks[0]!.template.Resources as Record<string, Resource>)
        .filter(([, r]) => stateful.includes(r.Type))
        .map(([id]) => id)
        .sort();
    expect(rootIds(china)).toEqual(rootIds(global));
    expect(ofType(china, 'AWS::Cognito::UserPool')).toEqual([]);
    expect(china.stacks).toHaveLength(6);
    for (const { stack: s, template, bytes } of china.stacks) {
      expect(Object.keys(template.Resources).length, s.node.path).toBeLessThanOrEqual(400);
      expect(bytes, s.node.path).toBeLessThanOrEqual(800 * 1024);
    }
  });

  it('runs no function with X-Ray tracing, which Lambda does not integrate there', () => {
    for (const [id, fn] of ofType(china, 'AWS::Lambda::Function'))
      expect(fn.Properties.TracingConfig?.Mode, id).not.toBe('Active');
  });

  it('refuses an unknown profile rather than deploying the wrong one', () => {
    expect(() => synth('mars')).toThrow(/unknown profile 'mars'/);
  });
});

describe('the global profile’s pages sign-in', () => {
  it('with cognitoDomainPrefix: a hosted sign-in domain and a public PKCE client for exactly the pages that sign in', () => {
    const { whole } = synth('global', { cognitoDomainPrefix: 'doudi-demo' });
    const [[, domain]] = ofType(whole, 'AWS::Cognito::UserPoolDomain') as [[string, Resource]];
    expect(domain.Properties.Domain).toBe('doudi-demo');
    const clients = ofType(whole, 'AWS::Cognito::UserPoolClient');
    const [pagesId, pages] = clients.find(([id]) => id.includes('PagesClient'))!;
    expect(pages.Properties).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
    });
    expect(pages.Properties.GenerateSecret).toBeFalsy();
    // No client of the pool allows the implicit grant (tokens in the address bar).
    for (const [id, c] of clients) expect(c.Properties.AllowedOAuthFlows ?? [], id).not.toContain('implicit');
    const urls = JSON.stringify(pages.Properties.CallbackURLs);
    for (const page of SIGN_IN_PAGES) expect(urls).toContain(`/${page}/`);
    expect(pages.Properties.CallbackURLs).toHaveLength(SIGN_IN_PAGES.length);
    expect(pages.Properties.LogoutURLs).toEqual(pages.Properties.CallbackURLs);
    // The API accepts its ID tokens, and the pages are told to use it.
    const [[, authorizer]] = ofType(whole, 'AWS::ApiGatewayV2::Authorizer') as [[string, Resource]];
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Audience)).toContain(pagesId);
    const signIn = Object.values(whole.resources as Record<string, Resource>).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description).startsWith('signInOptions'),
    )!;
    expect(signIn.Properties.Environment.Variables.OIDC_CLIENT_ID).toEqual({ Ref: pagesId });
    expect(JSON.stringify(signIn.Properties.Environment.Variables.OIDC_ISSUER)).toContain('cognito-idp.');
  });

  it('without it, no hosted sign-in: the pages offer none (and say so)', () => {
    expect(ofType(global, 'AWS::Cognito::UserPoolDomain')).toEqual([]);
    const signIn = Object.values(global.resources as Record<string, Resource>).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description).startsWith('signInOptions'),
    )!;
    expect(signIn.Properties.Environment.Variables.OIDC_ISSUER).toBeUndefined();
  });

  it('SIGN_IN_PAGES are the pages whose script starts the sign-in', () => {
    const root = join(import.meta.dirname, '..', '..', 'web', 'src');
    const signingIn = readdirSync(root)
      .filter((f) => f.endsWith('.ts') && readFileSync(join(root, f), 'utf8').includes('startSignIn('))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(signingIn).toEqual([...SIGN_IN_PAGES].sort());
  });
});

describe('the blind-index key ring (docs/deploy.md §7)', () => {
  it('a rotation adds a key: the first keeps its logical id, every function names the ring newest first and may use each', () => {
    const { root, whole } = synth('china', { blindIndexKeys: '2' });
    expect(root.key.blindIndexKeys.map((k) => k.node.id)).toEqual(['BlindIndexKey2', 'BlindIndexKey']);
    const ids = (t: WholeTemplate) =>
      ofType(t, 'AWS::KMS::Key')
        .map(([id]) => id)
        .filter((id) => id.includes('BlindIndexKey'));
    // The key of before the rotation is the same resource: what it indexed is still found.
    const firstId = ids(china)[0]!;
    expect(ids(china)).toHaveLength(1);
    expect(ids(whole)).toContain(firstId);
    const newestId = ids(whole).find((id) => id !== firstId)!;
    expect(ids(whole)).toHaveLength(2);
    const functions = ofType(whole, 'AWS::Lambda::Function').filter(
      ([, f]) => f.Properties.Environment?.Variables?.BLIND_INDEX_KMS_KEY_ID,
    );
    expect(functions.length).toBeGreaterThan(10);
    for (const [id, f] of functions) {
      const ring = JSON.stringify(f.Properties.Environment.Variables.BLIND_INDEX_KMS_KEY_ID);
      expect(ring.indexOf(newestId), id).toBeGreaterThanOrEqual(0);
      expect(ring.indexOf(newestId), id).toBeLessThan(ring.indexOf(firstId));
    }
    const macStatements = ofType(whole, 'AWS::IAM::Policy').flatMap(([, p]) =>
      (p.Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>).filter(
        (s) => s.Action === 'kms:GenerateMac',
      ),
    );
    expect(macStatements.length).toBeGreaterThan(0);
    for (const s of macStatements) {
      expect(JSON.stringify(s.Resource)).toContain(newestId);
      expect(JSON.stringify(s.Resource)).toContain(firstId);
    }
  });

  it('refuses a ring of no key', () => {
    expect(() => synth('global', { blindIndexKeys: '0' })).toThrow(/blindIndexKeys/);
  });
});
