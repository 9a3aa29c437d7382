import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * One bucket for the access logs of the other buckets (S3 server access logs: who read or wrote
 * which archived history).
 *
 * S3-managed keys, not the data key: S3's log delivery writes here (AWS documents SSE-S3 for
 * server-access-log targets); the logs hold object keys, request lines and client addresses, not
 * the households' declarations. cdk-nag does not ask a log bucket to log its own access.
 */
export class AccessLogs extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: { retention: logs.RetentionDays }) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // S3's access logs are allowed by bucket policy, and the bucket owns every object.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // Kept as long as the function and workflow logs (`logs.RetentionDays` counts days).
      lifecycleRules: props.retention >= 9999 ? [] : [{ expiration: Duration.days(props.retention) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
