import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketDefinition } from '../shared/resources.ts';

/**
 * Buckets from `shared/resources.ts`: KMS-encrypted, private, TLS-only, versioned and, where the
 * definition says so, under Object Lock in compliance mode, so an archived history cannot be altered
 * or deleted, by anyone, for the years the definition says. Every request to them is recorded in the
 * access-log bucket. A bucket whose events start a function sends them to EventBridge.
 */
export class Buckets extends Construct {
  readonly byId = new Map<string, s3.Bucket>();

  constructor(
    scope: Construct,
    id: string,
    props: { definitions: BucketDefinition[]; key: kms.IKey; accessLogs: s3.IBucket },
  ) {
    super(scope, id);
    for (const def of props.definitions) {
      const bucket = new s3.Bucket(this, def.id, {
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: props.key,
        bucketKeyEnabled: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        versioned: true,
        ...(def.objectLockYears
          ? {
              objectLockEnabled: true,
              objectLockDefaultRetention: s3.ObjectLockRetention.compliance(
                Duration.days(def.objectLockYears * 365),
              ),
            }
          : {}),
        removalPolicy: RemovalPolicy.RETAIN,
        // Who read which case's history, and when: S3 server access logs.
        serverAccessLogsBucket: props.accessLogs,
        serverAccessLogsPrefix: `s3/${def.id}/`,
      });
      const cfn = bucket.node.defaultChild as s3.CfnBucket;
      cfn.overrideLogicalId(def.id);
      // Events to EventBridge by the bucket's own CloudFormation property, not CDK's
      // `eventBridgeEnabled` (which adds a custom-resource Lambda function to set it).
      if (def.eventBridge)
        cfn.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
      this.byId.set(def.id, bucket);
    }
  }

  get(id: string): s3.Bucket {
    const bucket = this.byId.get(id);
    if (!bucket) throw new Error(`no bucket '${id}' in shared/resources.ts`);
    return bucket;
  }
}
