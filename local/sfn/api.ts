/**
 * The Step Functions JSON API (awsJson1_0, `X-Amz-Target: AWSStepFunctions.<Operation>`) over
 * the local engine, so functions use the real `@aws-sdk/client-sfn` at `AWS_ENDPOINT_URL_SFN`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { LocalStepFunctions } from './engine.ts';
import { SfnApiError } from './errors.ts';

type Body = Record<string, unknown>;

const str = (body: Body, key: string, required = true): string => {
  const value = body[key];
  if (typeof value === 'string') return value;
  if (value === undefined && !required) return undefined as unknown as string;
  throw new SfnApiError(
    'ValidationException',
    `1 validation error detected: Value at '${key}' failed to satisfy constraint: Member must not be null`,
  );
};

/** Pages a list the way the AWS API does: an opaque nextToken and maxResults (default 100, max 1000). */
function page<T>(items: T[], body: Body, key: string): Body {
  const max = Math.min(Number(body.maxResults) || 100, 1000);
  const start =
    typeof body.nextToken === 'string' ? Number(Buffer.from(body.nextToken, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw new SfnApiError('InvalidToken', 'Invalid nextToken');
  const slice = items.slice(start, start + max);
  const next =
    start + max < items.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
  return { [key]: slice, ...(next ? { nextToken: next } : {}) };
}

export function operations(
  engine: LocalStepFunctions,
): Record<string, (body: Body) => Promise<unknown> | unknown> {
  return {
    ListStateMachines: (b) => page(engine.listStateMachines(), b, 'stateMachines'),
    DescribeStateMachine: (b) => engine.describeStateMachine(str(b, 'stateMachineArn')),
    StartExecution: (b) =>
      engine.startExecution(str(b, 'stateMachineArn'), str(b, 'name', false), str(b, 'input', false)),
    DescribeExecution: (b) => engine.describeExecution(str(b, 'executionArn')),
    ListExecutions: async (b) =>
      page(
        await engine.listExecutions(str(b, 'stateMachineArn'), str(b, 'statusFilter', false)),
        b,
        'executions',
      ),
    GetExecutionHistory: async (b) => {
      const events = await engine.getExecutionHistory(str(b, 'executionArn'));
      return page(b.reverseOrder ? [...events].reverse() : events, b, 'events');
    },
    SendTaskSuccess: async (b) => {
      await engine.sendTaskSuccess(str(b, 'taskToken'), str(b, 'output'));
      return {};
    },
    SendTaskFailure: async (b) => {
      await engine.sendTaskFailure(str(b, 'taskToken'), str(b, 'error', false), str(b, 'cause', false));
      return {};
    },
    SendTaskHeartbeat: async (b) => {
      await engine.sendTaskHeartbeat(str(b, 'taskToken'));
      return {};
    },
    StopExecution: (b) =>
      engine.stopExecution(str(b, 'executionArn'), str(b, 'error', false), str(b, 'cause', false)),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function createSfnServer(engine: LocalStepFunctions): Server {
  const ops = operations(engine);
  return createServer(async (req, res) => {
    const send = (status: number, payload: unknown, type?: string) => {
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        ...(type ? { 'x-amzn-errortype': type } : {}),
      });
      res.end(JSON.stringify(payload));
    };
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = ops[target.replace(/^AWSStepFunctions\./, '')];
      if (!target.startsWith('AWSStepFunctions.') || !op)
        throw new SfnApiError('UnknownOperationException', `Unknown operation ${target}`);
      if (engine.closing) throw new SfnApiError('ServiceUnavailable', 'The local runtime is stopping', 503);
      const text = await readBody(req);
      let body: Body;
      try {
        body = text ? (JSON.parse(text) as Body) : {};
      } catch {
        throw new SfnApiError('SerializationException', 'Request body is not valid JSON');
      }
      send(200, (await op(body)) ?? {});
    } catch (error) {
      if (error instanceof SfnApiError) {
        send(
          error.statusCode,
          { __type: `com.amazonaws.states#${error.type}`, message: error.message },
          error.type,
        );
        return;
      }
      console.error('[sfn] internal error', error);
      send(
        500,
        { __type: 'com.amazonaws.states#InternalFailure', message: (error as Error).message },
        'InternalFailure',
      );
    }
  });
}
