import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * One customer-managed key for every store of household data (tables, queues, log groups), so that
 * revoking or auditing access to the register is one key policy, and CloudTrail shows each use.
 */
export class DataKey extends Construct {
  readonly key: kms.Key;
  /**
   * A second key, for the personal fields inside records (ID numbers, health facts; `shared/crypto.ts`):
   * whoever may read the table through its key still sees only ciphertext there unless also granted
   * this key, and each use is a CloudTrail event of its own.
   */
  readonly fieldKey: kms.Key;
  /**
   * The HMAC keys of the blind index of ID numbers (`blindIndexes` in `shared/crypto.ts`), newest
   * first; none ever leaves KMS. KMS does not rotate HMAC keys, so a rotation is a new key: context
   * `blindIndexKeys` counts them (default 1; docs/deploy.md §7). The first key keeps its logical id.
   */
  readonly blindIndexKeys: kms.Key[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new kms.Key(this, 'Key', {
      description: `doudi ${stack.stackName}: tables, queues and logs of social-assistance cases`,
      enableKeyRotation: true,
      // Tables and backups encrypted with the key outlive the stack; so must the key.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.fieldKey = new kms.Key(this, 'FieldKey', {
      description: `doudi ${stack.stackName}: personal fields of households (ID numbers, health facts)`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const generations = Number(this.node.tryGetContext('blindIndexKeys') ?? 1);
    if (!Number.isInteger(generations) || generations < 1)
      throw new Error(`context blindIndexKeys must be a whole number ≥ 1, not ${generations}`);
    this.blindIndexKeys = Array.from({ length: generations }, (_, i) => generations - i).map(
      (generation) =>
        new kms.Key(this, generation === 1 ? 'BlindIndexKey' : `BlindIndexKey${generation}`, {
          description: `doudi ${stack.stackName}: blind index of ID numbers (HMAC), generation ${generation}`,
          keySpec: kms.KeySpec.HMAC_256,
          keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
          // Indexes made with it outlive the stack in the retained table: a look-up needs every key.
          removalPolicy: RemovalPolicy.RETAIN,
        }),
    );
    // Function and workflow logs may carry case data; CloudWatch Logs may use the key only for this
    // account's log groups (the encryption context names the log group).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsOfThisAccount',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.${stack.urlSuffix}`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }
}
