/**
 * The local Step Functions service through the real `@aws-sdk/client-sfn`: the API operations,
 * task tokens, the DynamoDB and SQS integrations and error paths, on state machines made for the test.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidToken,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { taskToken } from '../../local/sfn/asl.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const sfn = () => new SFNClient({});

let tokenMachine: string;
let flowMachine: string;

/** A queue of the test's own: the runtime's queues have consumers that would take its messages. */
let queueUrl: string;

beforeAll(async () => {
  const engine = runtime.rt.engine;
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'doudi-sfn-engine-test' }))).QueueUrl!;
  sqs.destroy();
  tokenMachine = engine.createStateMachine('test-token', {
    StartAt: 'Ask',
    States: {
      Ask: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
        Parameters: { QueueUrl: queueUrl, MessageBody: { 'token.$': '$$.Task.Token', 'who.$': '$.who' } },
        TimeoutSeconds: 31_536_000,
        ResultPath: '$.answer',
        Catch: [{ ErrorEquals: ['Refused'], ResultPath: '$.error', Next: 'Refused' }],
        End: true,
      },
      Refused: { Type: 'Pass', Result: 'refused', ResultPath: '$.outcome', End: true },
    },
  });
  flowMachine = engine.createStateMachine('test-flow', {
    StartAt: 'Save',
    States: {
      Save: {
        Type: 'Task',
        Resource: 'arn:aws:states:::dynamodb:putItem',
        Parameters: {
          TableName: runtime.rt.env.CASES_TABLE,
          Item: {
            pk: { 'S.$': "States.Format('TEST#{}', $.id)" },
            sk: { S: 'TEST' },
            n: { 'N.$': 'States.JsonToString($.n)' },
          },
        },
        ResultPath: null,
        Next: 'Big?',
      },
      'Big?': {
        Type: 'Choice',
        Choices: [{ Variable: '$.n', NumericGreaterThan: 10, Next: 'Fan' }],
        Default: 'Small',
      },
      Small: { Type: 'Fail', Error: 'TooSmall', Cause: 'n must exceed 10' },
      Fan: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: {
          StartAt: 'Pause',
          States: { Pause: { Type: 'Wait', Seconds: 0, Next: 'Echo' }, Echo: { Type: 'Pass', End: true } },
        },
        ResultPath: '$.mapped',
        End: true,
      },
    },
  });
});

async function finished(executionArn: string) {
  return eventually(async () => {
    const e = await sfn().send(new DescribeExecutionCommand({ executionArn }));
    return e.status === 'RUNNING' ? undefined : e;
  });
}

describe('local Step Functions', () => {
  it('runs Choice, Map, Wait and the DynamoDB integration, and records the history', async () => {
    const { executionArn } = await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: flowMachine,
        input: JSON.stringify({ id: 'a', n: 42, items: [1, 2, 3] }),
      }),
    );
    const done = await finished(executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).mapped).toEqual([1, 2, 3]);
    const item = await new DynamoDBClient({}).send(
      new GetItemCommand({
        TableName: runtime.rt.env.CASES_TABLE,
        Key: { pk: { S: 'TEST#a' }, sk: { S: 'TEST' } },
      }),
    );
    expect(item.Item?.n).toEqual({ N: '42' });
    const { events } = await sfn().send(new GetExecutionHistoryCommand({ executionArn }));
    const types = events!.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'TaskStateEntered',
        'TaskScheduled',
        'TaskSucceeded',
        'ChoiceStateEntered',
        'MapStateEntered',
        'MapIterationStarted',
        'WaitStateEntered',
      ]),
    );
    expect(events!.map((e) => e.id)).toEqual(events!.map((_, i) => i + 1));
  });

  it('fails an execution at a Fail state with its error and cause', async () => {
    const { executionArn } = await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: flowMachine,
        input: JSON.stringify({ id: 'b', n: 1, items: [] }),
      }),
    );
    const done = await finished(executionArn!);
    expect(done).toMatchObject({ status: 'FAILED', error: 'TooSmall', cause: 'n must exceed 10' });
  });

  it('starts one execution when the same name and input are started twice at once', async () => {
    const input = JSON.stringify({ who: 'race' });
    const starts = await Promise.all(
      Array.from({ length: 4 }, () =>
        sfn().send(new StartExecutionCommand({ stateMachineArn: tokenMachine, name: 'raced', input })),
      ),
    );
    expect(new Set(starts.map((s) => s.executionArn)).size).toBe(1);
    expect(new Set(starts.map((s) => s.startDate?.getTime())).size).toBe(1);
    const { executions } = await sfn().send(new ListExecutionsCommand({ stateMachineArn: tokenMachine }));
    expect(executions?.filter((e) => e.name === 'raced')).toHaveLength(1);
    await sfn().send(new StopExecutionCommand({ executionArn: starts[0]!.executionArn! }));
  });

  it('waits for a task token sent over SQS and resumes with SendTaskSuccess', async () => {
    const { executionArn } = await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: tokenMachine,
        name: 'ask-ok',
        input: JSON.stringify({ who: 'township' }),
      }),
    );
    const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
    const body = await eventually(async () => {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      return out.Messages?.map((m) => JSON.parse(m.Body!)).find((b) => b.who === 'township' && b.token);
    });
    await sfn().send(new SendTaskHeartbeatCommand({ taskToken: body.token }));
    expect((await sfn().send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await sfn().send(
      new SendTaskSuccessCommand({ taskToken: body.token, output: JSON.stringify({ ok: true }) }),
    );
    const done = await finished(executionArn!);
    expect(JSON.parse(done.output!)).toEqual({ who: 'township', answer: { ok: true } });
    // A token is good once: after its execution has closed, AWS answers TaskTimedOut.
    await expect(
      sfn().send(new SendTaskSuccessCommand({ taskToken: body.token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    const unknown = taskToken(
      `${tokenMachine.replace(':stateMachine:', ':execution:')}:never-started`,
      'Ask',
      1,
    );
    await expect(
      sfn().send(new SendTaskSuccessCommand({ taskToken: unknown, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(
      sfn().send(new SendTaskSuccessCommand({ taskToken: 'not a token!', output: '{}' })),
    ).rejects.toBeInstanceOf(InvalidToken);
  });

  it('routes SendTaskFailure to the state’s Catch', async () => {
    const { executionArn } = await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: tokenMachine,
        name: 'ask-refused',
        input: JSON.stringify({ who: 'county' }),
      }),
    );
    const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
    const body = await eventually(async () => {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      return out.Messages?.map((m) => JSON.parse(m.Body!)).find((b) => b.who === 'county' && b.token);
    });
    await sfn().send(
      new SendTaskFailureCommand({ taskToken: body.token, error: 'Refused', cause: '不同意' }),
    );
    const done = await finished(executionArn!);
    expect(JSON.parse(done.output!)).toMatchObject({
      outcome: 'refused',
      error: { Error: 'Refused', Cause: '不同意' },
    });
  });

  it('stops a running execution, refuses a duplicate name and lists by status', async () => {
    const { executionArn } = await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: tokenMachine,
        name: 'to-stop',
        input: '{"who":"nobody"}',
      }),
    );
    // Same name and input while running: the same execution (idempotent start).
    const same = await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: tokenMachine,
        name: 'to-stop',
        input: '{"who":"nobody"}',
      }),
    );
    expect(same.executionArn).toBe(executionArn);
    await expect(
      sfn().send(
        new StartExecutionCommand({
          stateMachineArn: tokenMachine,
          name: 'to-stop',
          input: '{"who":"else"}',
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await sfn().send(new StopExecutionCommand({ executionArn, error: 'Withdrawn', cause: '申请人撤回' }));
    const done = await finished(executionArn!);
    expect(done).toMatchObject({ status: 'ABORTED', error: 'Withdrawn' });
    const aborted = await sfn().send(
      new ListExecutionsCommand({ stateMachineArn: tokenMachine, statusFilter: 'ABORTED' }),
    );
    expect(aborted.executions?.map((e) => e.name)).toContain('to-stop');
    await expect(
      sfn().send(new DescribeExecutionCommand({ executionArn: `${executionArn}-missing` })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });
});
