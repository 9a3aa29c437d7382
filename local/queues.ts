/** SQS and S3 from fauxqs, in-process; queues and their DLQs created over the real SQS API. */
import { Server as NetServer } from 'node:net';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { interceptLocalhostDns, startFauxqs } from 'fauxqs';
import { deadLetterName, type QueueDefinition } from '../shared/resources.ts';

export interface LocalQueues {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startQueues(options: { port: number; dataDir: string | null }): Promise<LocalQueues> {
  // fauxqs names queues `http://sqs.<region>.localhost:<port>/…`, and the SDK sends to the queue
  // URL's host. `*.localhost` is loopback by RFC 6761; not every resolver knows it, so this process does.
  const restoreDns = interceptLocalhostDns();
  const server = await onLoopback(() =>
    startFauxqs({
      port: options.port,
      logger: false,
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    }),
  );
  return {
    endpoint: server.address,
    stop: async () => {
      await server.stop();
      restoreDns();
    },
  };
}

/**
 * Runs `start` with every wildcard listen turned into a loopback one. fauxqs listens on 0.0.0.0
 * whatever it is given (its `host` option only names queue URLs), and it has no authentication:
 * on every interface, anyone on the network could read and send the runtime's messages and objects.
 * Nothing else listens while the runtime awaits fauxqs, so the override touches its server alone.
 */
async function onLoopback<T>(start: () => Promise<T>): Promise<T> {
  const listen = NetServer.prototype.listen;
  NetServer.prototype.listen = function (this: NetServer, ...args: unknown[]) {
    const [first] = args;
    if (first && typeof first === 'object' && (first as { host?: string }).host === '0.0.0.0') {
      args[0] = { ...first, host: '127.0.0.1' };
    } else if (args[1] === '0.0.0.0') {
      args[1] = '127.0.0.1';
    }
    return (listen as (...a: unknown[]) => NetServer).apply(this, args);
  } as typeof listen;
  try {
    return await start();
  } finally {
    NetServer.prototype.listen = listen;
  }
}

export async function ensureQueue(
  client: SQSClient,
  endpoint: string,
  def: QueueDefinition,
  name: string,
): Promise<{ url: string; dlqUrl: string }> {
  const dlq = await client.send(
    new CreateQueueCommand({
      QueueName: deadLetterName(def.id),
      Attributes: { MessageRetentionPeriod: String(def.deadLetterRetentionDays * 86_400) },
    }),
  );
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queue = await client.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(def.visibilityTimeout),
        ...(def.retentionDays ? { MessageRetentionPeriod: String(def.retentionDays * 86_400) } : {}),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: Attributes!.QueueArn,
          maxReceiveCount: def.maxReceiveCount,
        }),
      },
    }),
  );
  // A queue restored from disk keeps the URL of the port it was created on; point it at this one.
  const port = new URL(endpoint).port;
  const here = (url: string) => url.replace(/:\d+\//, `:${port}/`);
  return { url: here(queue.QueueUrl!), dlqUrl: here(dlq.QueueUrl!) };
}

export { SQSClient };
