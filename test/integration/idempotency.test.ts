/**
 * Idempotency (issue 7.5), Powertools over DynamoDB: a submission retried with its Idempotency-Key
 * gets the first answer and writes nothing more; the same key with another body is refused; a key
 * is its caller's own; a workflow step invoked again with the same execution and input answers
 * what it answered the first time without running again.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { clock } from '../../local/clock.ts';
import { invoke } from '../../local/lambda.ts';
import { resetClients } from '../../shared/clients.ts';
import { actors } from '../support/actors.ts';
import { application } from '../support/households.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const HOUR = 3_600_000;

const submit = (body: unknown, key: string, as = actors.applicant) =>
  api(
    '/applications',
    { method: 'POST', body: JSON.stringify(body), headers: { 'Idempotency-Key': key } },
    as,
  );

async function applicationItems(): Promise<number> {
  const { Items = [] } = await DynamoDBDocumentClient.from(new DynamoDBClient({})).send(
    new ScanCommand({
      TableName: runtime.rt.env.CASES_TABLE,
      FilterExpression: 'sk = :app',
      ExpressionAttributeValues: { ':app': 'APP' },
    }),
  );
  return Items.length;
}

describe('idempotency', () => {
  it('answers a retried submission with the first answer and writes it once', async () => {
    const before = await applicationItems();
    const body = application();
    const first = await submit(body, 'retry-1');
    expect(first.status).toBe(202);
    const again = await Promise.all([submit(body, 'retry-1'), submit(body, 'retry-1')]);
    for (const res of again) {
      expect(res.status).toBe(202);
      expect(res.body).toEqual(first.body);
    }
    expect(await applicationItems()).toBe(before + 1);
  });

  it('starts the workflow on a retry when the first try stopped between the write and the start', async () => {
    const body = application();
    // The first try's start fails (Step Functions unreachable) after its transaction has committed.
    const endpoint = process.env.AWS_ENDPOINT_URL_SFN;
    process.env.AWS_ENDPOINT_URL_SFN = 'http://127.0.0.1:9';
    resetClients();
    const first = await submit(body, 'cut-short-1').finally(() => {
      process.env.AWS_ENDPOINT_URL_SFN = endpoint;
      resetClients();
    });
    expect(first.status).toBe(500);
    const again = await submit(body, 'cut-short-1');
    expect(again.status).toBe(202);
    const { applicationId, caseId } = again.body;
    // The retry started the application's one execution, which the case's link leads to.
    await eventually(async () => {
      const res = await api(`/applications/${applicationId}`);
      return res.body.status === 'underReview' ? true : undefined;
    });
    const { body: chain } = await api(`/cases/${caseId}/history`, {}, actors.auditor);
    expect(chain.executions).toHaveLength(1);
    expect(chain.executions[0].executionArn).toMatch(new RegExp(`:${applicationId}$`));
  });

  it('refuses the same key with a different body, naming the header, and writes nothing', async () => {
    const before = await applicationItems();
    const first = await submit(application(), 'reused-1');
    expect(first.status).toBe(202);
    const other = await submit(application({ requestedTier: 'marginal' }), 'reused-1');
    expect(other.status).toBe(422);
    expect(other.body.error.fields[0].field).toBe('headers.idempotency-key');
    expect(await applicationItems()).toBe(before + 1);
  });

  it('refuses a reused key with another body every time, also after a day, and writes nothing for it', async () => {
    const before = await applicationItems();
    const body = application();
    const first = await submit(body, 'reused-forever');
    expect(first.status).toBe(202);
    const other = application({ requestedTier: 'marginal' });
    const refusedWith422 = async () => {
      const res = await submit(other, 'reused-forever');
      expect(res.status).toBe(422);
      expect(res.body.error.message).toMatch(/^该 Idempotency-Key 已用于另一内容不同的请求/);
      expect(res.body.error.fields).toEqual([
        { field: 'headers.idempotency-key', message: expect.stringContaining('Idempotency-Key') },
      ]);
    };
    // The attack: the first refusal used to clear the record, so the next retry got 202 and the
    // second body was dropped.
    for (let attempt = 0; attempt < 3; attempt++) await refusedWith422();
    // Past any record's day-long lifetime, the key still answers for its first application only.
    clock.advance(25 * HOUR);
    await refusedWith422();
    const again = await submit(body, 'reused-forever');
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(await applicationItems()).toBe(before + 1);
  });

  it('keeps keys apart between callers: another applicant’s same key is their own submission', async () => {
    const mine = await submit(application(), 'shared-key');
    const theirs = await submit(application(), 'shared-key', actors.otherApplicant);
    expect(theirs.status).toBe(202);
    expect(theirs.body.applicationId).not.toBe(mine.body.applicationId);
  });

  it('runs a step once per execution and input: a repeat answers the first result', async () => {
    const { body } = await submit(application(), 'step-1');
    const payload = {
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:doudi-application:idem-test',
      applicationId: body.applicationId,
      kind: 'townshipReview',
      round: 1,
    };
    const first = (await invoke('planTaskStep', payload)) as { dueDate: string; timeoutSeconds: number };
    // Two hours on, running it again would count two hours fewer to the due date; the repeat does not run it.
    clock.advance(2 * HOUR);
    expect(await invoke('planTaskStep', payload)).toEqual(first);
    // Another execution is another key: the step runs, and counts from now.
    const other = (await invoke('planTaskStep', {
      ...payload,
      executionArn: `${payload.executionArn}-2`,
    })) as { timeoutSeconds: number };
    expect(other.timeoutSeconds).toBeLessThanOrEqual(first.timeoutSeconds - 2 * 3600);
  });
});
