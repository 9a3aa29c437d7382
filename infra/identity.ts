import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

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
      readAttributes: readable,
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ phoneNumber: true }),
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
      preventUserExistenceErrors: true,
    });
  }
}
