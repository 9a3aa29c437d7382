/**
 * The walking skeleton, end to end over HTTP on the in-memory local runtime: submit → means test →
 * township task (record + SQS notification) → decision → determination and notice → history.
 * What landed is read back through the real SDK clients from DynamoDB Local, fauxqs and the local
 * Step Functions API.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { application, validId } from '../support/households.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;

const doc = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));
const table = () => runtime.rt.env.CASES_TABLE!;

async function countItems(prefix: string): Promise<number> {
  const out = await doc().send(
    new ScanCommand({
      TableName: table(),
      FilterExpression: 'begins_with(pk, :p)',
      ExpressionAttributeValues: { ':p': prefix },
    }),
  );
  return out.Count ?? 0;
}

async function submit(body: unknown, headers: Record<string, string> = {}) {
  return api('/applications', { method: 'POST', body: JSON.stringify(body), headers });
}

async function openTaskFor(applicationId: string, township = '430121') {
  return eventually(async () => {
    const { body } = await api(`/tasks?township=${township}`);
    return body.tasks.find((t: { applicationId: string }) => t.applicationId === applicationId);
  });
}

async function settled(applicationId: string) {
  return eventually(async () => {
    const { body } = await api(`/applications/${applicationId}`);
    return body.determination ? body : undefined;
  });
}

describe('POST /applications validation', () => {
  it('answers 400 naming every bad field, and writes nothing', async () => {
    const bad = application({ regionCode: '43012', pledge: false as never });
    const good = bad.members[0]!.idNumber;
    bad.members[0]!.idNumber = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
    bad.members[1]!.age = -3;
    const { status, body } = await submit(bad);
    expect(status).toBe(400);
    const fields = body.error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining(['regionCode', 'pledge', 'members.0.idNumber', 'members.1.age']),
    );
    expect(
      body.error.fields.find((f: { field: string }) => f.field === 'members.0.idNumber').message,
    ).toMatch(/校验位/);
    expect(await countItems('APP#')).toBe(0);
    expect(await countItems('CASE#')).toBe(0);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await fetch(`${runtime.rt.apiUrl}/applications`, {
      method: 'POST',
      body: '{not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields[0].field).toBe('body');
  });
});

describe('an application approved by the township', () => {
  it('runs from submission to a determined application with its history', async () => {
    const key = `idem-${Date.now()}`;
    const first = await submit(application(), { 'Idempotency-Key': key });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'submitted' });
    const { applicationId, caseId } = first.body;

    // A retried submission with the same key is the same application, not a second one.
    const retry = await submit(application(), { 'Idempotency-Key': key });
    expect(retry.status).toBe(202);
    expect(retry.body.applicationId).toBe(applicationId);

    const task = await openTaskFor(applicationId);
    expect(task).toMatchObject({ kind: 'townshipReview', status: 'open', caseId, township: '430121' });
    expect(task.taskToken).toBeUndefined();
    expect(task.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(task.meansTest.tier).toBe('dibao');

    // The task record holds the token; the notification on SQS carries ids, not personal data.
    const { Item } = await doc().send(
      new GetCommand({ TableName: table(), Key: { pk: `TASK#${task.taskId}`, sk: 'TASK' } }),
    );
    expect(Item?.taskToken).toEqual(expect.any(String));
    const sqs = new SQSClient({});
    const message = await eventually(async () => {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: runtime.rt.env.CASEWORKER_QUEUE_URL,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      const found = out.Messages?.find((m) => JSON.parse(m.Body!).taskId === task.taskId);
      if (found)
        await sqs.send(
          new DeleteMessageCommand({
            QueueUrl: runtime.rt.env.CASEWORKER_QUEUE_URL,
            ReceiptHandle: found.ReceiptHandle,
          }),
        );
      return found;
    });
    expect(JSON.parse(message.Body!)).toEqual({
      type: 'taskOpened',
      taskId: task.taskId,
      kind: 'townshipReview',
      township: '430121',
      caseId,
      dueDate: task.dueDate,
    });
    expect(message.Body).not.toContain(application().members[0]!.idNumber);

    const decided = await api(`/tasks/${task.taskId}/decision`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve', reasons: ['入户核实属实'] }),
    });
    expect(decided.status).toBe(200);
    const again = await api(`/tasks/${task.taskId}/decision`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'reject', reasons: ['重复'] }),
    });
    expect(again.status).toBe(409);

    const app = await settled(applicationId);
    expect(app.status).toBe('approved');
    expect(app.tier).toBe('dibao');
    expect(app.monthlyAmount).toBeGreaterThan(0);
    expect(app.notice.kind).toBe('approval');
    expect(app.notice.body).toMatch(/最低生活保障/);
    expect(app.members[0].idNumber).toMatch(/^430121\*{8}\d{3}[\dX]$/);

    // The decided task has left the inbox.
    const inbox = await api('/tasks?township=430121');
    expect(inbox.body.tasks.map((t: { taskId: string }) => t.taskId)).not.toContain(task.taskId);

    const history = await eventually(async () => {
      const { body } = await api(`/cases/${caseId}/history`);
      return body.executions?.[0]?.status === 'SUCCEEDED' ? body : undefined;
    });
    expect(history.executions).toHaveLength(1);
    expect(history.executions[0].states).toEqual(['MeansTest', 'TownshipReview', 'Determine']);
    const types = history.executions[0].events.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types).toContain('TaskSubmitted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');

    // The same history through the Step Functions API, as an auditor's tool would read it.
    const sfn = new SFNClient({});
    const execution = await sfn.send(
      new DescribeExecutionCommand({ executionArn: history.executions[0].executionArn }),
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.input!)).toEqual({ applicationId, caseId, regionCode: '430121' });
    const events = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: execution.executionArn, maxResults: 5 }),
    );
    expect(events.events).toHaveLength(5);
    expect(events.nextToken).toBeDefined();
  });
});

describe('an application refused by the township', () => {
  it('requires reasons, then records a refusal notice with them', async () => {
    const { body } = await submit(
      application({
        regionCode: '410122',
        members: [{ ...application().members[0]!, idNumber: validId('410122', '19700505', 21) }],
      }),
    );
    const task = await openTaskFor(body.applicationId, '410122');

    const noReasons = await api(`/tasks/${task.taskId}/decision`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'reject' }),
    });
    expect(noReasons.status).toBe(400);
    expect(noReasons.body.error.fields[0].field).toBe('reasons');

    const rejected = await api(`/tasks/${task.taskId}/decision`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'reject', reasons: ['家庭成员隐瞒经营收入'] }),
    });
    expect(rejected.status).toBe(200);
    const app = await settled(body.applicationId);
    expect(app.status).toBe('refused');
    expect(app.notice.kind).toBe('refusal');
    expect(app.notice.reasons).toContain('审核意见：家庭成员隐瞒经营收入');
    expect(app.notice.serveBy >= app.determination.decidedAt.slice(0, 10)).toBe(true);
  });

  it('answers 404 for an unknown task and an unknown application', async () => {
    expect(
      (
        await api('/tasks/task-000000000000000000000000/decision', {
          method: 'POST',
          body: JSON.stringify({ decision: 'approve' }),
        })
      ).status,
    ).toBe(404);
    expect((await api('/applications/app-doesnotexist')).status).toBe(404);
    expect((await api('/cases/case-doesnotexist/history')).status).toBe(404);
  });
});
