import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueDefinition } from '../shared/resources.ts';

export interface QueuesProps {
  definitions: QueueDefinition[];
  key: kms.IKey;
}

export interface QueueWithDeadLetters {
  queue: sqs.Queue;
  deadLetterQueue: sqs.Queue;
  deadLetterAlarm: cloudwatch.Alarm;
}

/** The queues of `shared/resources.ts`, each with its own dead-letter queue and an alarm on it. */
export class Queues extends Construct {
  readonly byId = new Map<string, QueueWithDeadLetters>();

  constructor(scope: Construct, id: string, props: QueuesProps) {
    super(scope, id);
    const encryption = {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
    };
    for (const def of props.definitions) {
      const deadLetterQueue = new sqs.Queue(this, `${def.id}DeadLetters`, {
        ...encryption,
        retentionPeriod: Duration.days(def.deadLetterRetentionDays),
      });
      const queue = new sqs.Queue(this, def.id, {
        ...encryption,
        visibilityTimeout: Duration.seconds(def.visibilityTimeout),
        ...(def.retentionDays ? { retentionPeriod: Duration.days(def.retentionDays) } : {}),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: def.maxReceiveCount },
      });
      // Pinned like the tables: a refactor must not replace a queue and lose the messages in it.
      (deadLetterQueue.node.defaultChild as sqs.CfnQueue).overrideLogicalId(`${def.id}DeadLetters`);
      (queue.node.defaultChild as sqs.CfnQueue).overrideLogicalId(def.id);
      // A dead letter is a caseworker who was never told about a task: one is already too many.
      const deadLetterAlarm = deadLetterQueue
        .metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        })
        .createAlarm(this, `${def.id}DeadLettersAlarm`, {
          alarmDescription: `Messages of ${def.id} failed ${def.maxReceiveCount} times and wait in its dead-letter queue`,
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      this.byId.set(def.id, { queue, deadLetterQueue, deadLetterAlarm });
    }
  }

  get(id: string): QueueWithDeadLetters {
    const queue = this.byId.get(id);
    if (!queue) throw new Error(`no queue '${id}' in shared/resources.ts`);
    return queue;
  }
}
