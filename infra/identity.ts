import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';
import { SIGN_IN_PAGES } from './web.ts';

/**
 * Attributes the pool was created with, when roles travelled as ID-token claims. Roles, regions and
 * departments are now the system's staff records (`shared/staff.ts`) and no claim is read; the
 * attributes stay because a user pool's schema cannot lose one without replacing the pool (and its
 * accounts).
 */
const CLAIMS = { role: 'custom:role', regionCodes: 'custom:regionCodes', department: 'custom:department' };

/** `custom:role` → `role`: the name CDK's custom attributes take (it adds the `custom:` prefix). */
const customName = (claim: string) => claim.replace(/^custom:/, '');

/**
 * Who may sign in on the global profile: one Cognito user pool for applicants and staff alike. It
 * says who a person is; what they may do is granted by administrators through `/admin/staff`.
 */
export class Identity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { phone: true, username: true },
      // Staff hold the personal data of whole counties: a second factor for everyone.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: true },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: cognito.AccountRecovery.PHONE_WITHOUT_MFA_AND_EMAIL,
      customAttributes: {
        [customName(CLAIMS.role)]: new cognito.StringAttribute({ minLen: 1, maxLen: 32, mutable: true }),
        [customName(CLAIMS.regionCodes)]: new cognito.StringAttribute({
          minLen: 0,
          maxLen: 2048,
          mutable: true,
        }),
        [customName(CLAIMS.department)]: new cognito.StringAttribute({
          minLen: 0,
          maxLen: 32,
          mutable: true,
        }),
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.userPool.node.findChild('smsRole'),
      'IAM5[Resource::*]',
      'Cognito texts verification and MFA codes to phone numbers, which are not ARNs: the SMS role must be allowed sns:Publish on * (Cognito developer guide, "SMS message settings"); only the user pool can assume it (sts:ExternalId).',
    );
    const readable = new cognito.ClientAttributes()
      .withStandardAttributes({ fullname: true, phoneNumber: true })
      .withCustomAttributes(...Object.values(CLAIMS).map(customName));
    this.client = this.userPool.addClient('Web', {
      authFlows: { userSrp: true },
      // Signs in by SRP only: CDK's OAuth defaults (the implicit grant among them) stay off; the pages'
      // OAuth client is `addPagesSignIn`'s, code flow with PKCE.
      disableOAuth: true,
      readAttributes: readable,
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ phoneNumber: true }),
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
      preventUserExistenceErrors: true,
    });
  }

  /**
   * The pages' sign-in on the global profile (context `cognitoDomainPrefix`): the user pool's hosted
   * sign-in at `<prefix>.auth.<region>.amazoncognito.com`, and a public client for the pages —
   * Authorization Code with PKCE, no secret, each page that signs in its redirect and sign-out URI.
   * Both live in `scope` (the edge stack), beside the distribution whose address `siteDomain` names
   * once it exists. The pages learn the issuer and client id from `GET /public/sign-in`.
   */
  addPagesSignIn(
    scope: Construct,
    domainPrefix: string,
    siteDomain: () => string,
  ): { issuer: string; client: cognito.UserPoolClient } {
    this.userPool.addDomain('PagesDomain', { cognitoDomain: { domainPrefix } });
    const pages = SIGN_IN_PAGES.map((page) =>
      Lazy.string({ produce: () => `https://${siteDomain()}/${page}/` }),
    );
    const client = new cognito.UserPoolClient(scope, 'PagesClient', {
      userPool: this.userPool,
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.PROFILE],
        callbackUrls: pages,
        logoutUrls: pages,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
      preventUserExistenceErrors: true,
    });
    const stack = Stack.of(this);
    return {
      issuer: `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`,
      client,
    };
  }
}
