import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * One bucket for the access logs of the other buckets (S3 server access logs: who read or wrote
 * which archived history, which page) and of the CloudFront distribution.
 *
 * S3-managed keys, not the data key: AWS's log-delivery services write here (AWS documents SSE-S3
 * for server-access-log targets, and CloudFront's delivery would need a grant on the key that
 * protects the households' declarations); the logs hold object keys, request lines and client
 * addresses, not declarations. cdk-nag does not ask a log bucket to log its own access.
 */
export class AccessLogs extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: { retention: logs.RetentionDays }) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // CloudFront's standard logs are delivered under a bucket ACL grant, so ACLs stay enabled;
      // S3's own access logs are allowed by bucket policy, and the bucket owns every object.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      enforceSSL: true,
      // Kept as long as the function and workflow logs (`logs.RetentionDays` counts days).
      lifecycleRules: props.retention >= 9999 ? [] : [{ expiration: Duration.days(props.retention) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * Has `source` log its access here under `prefix`, for a bucket of another stack. CDK's
   * `serverAccessLogsBucket` does the same but scopes S3's delivery to the source bucket only when
   * both buckets are in one stack; across stacks it would let any bucket of any account write here.
   */
  logAccessOf(source: s3.Bucket, prefix: string): void {
    (source.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: this.bucket.bucketName,
      logFilePrefix: prefix,
    };
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${prefix}*`)],
        conditions: {
          ArnLike: { 'aws:SourceArn': source.bucketArn },
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
        },
      }),
    );
  }
}
