/**
 * A runtime stopped with work in flight and started again on the same data directory carries on:
 * the execution resumes from its record, completed steps are not redone, and the token the
 * caseworker holds still completes the task.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, expect, it } from 'vitest';
import { ApiClient } from '../../local/client.ts';
import { clock } from '../../local/clock.ts';
import { type Runtime, startRuntime } from '../../local/runtime.ts';
import { actors, tokenFor } from '../support/actors.ts';
import { application } from '../support/households.ts';
import { defaultActor, eventually } from '../support/runtime.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'doudi-restart-'));
let rt: Runtime | undefined;
afterAll(async () => {
  await rt?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const call = async (path: string, init?: RequestInit) =>
  new ApiClient(rt!.apiUrl).send(await defaultActor(init?.method ?? 'GET', path.split('?')[0]!), path, init);

it('resumes a waiting application after a restart without redoing its steps', async () => {
  rt = await startRuntime({ dataDir, port: 0 });
  const { body: submitted } = await call('/applications', {
    method: 'POST',
    body: JSON.stringify(application()),
  });
  const task = await eventually(async () => (await call('/tasks?township=430121')).body.tasks[0]);
  const tokenBefore = await tokenFor(rt.apiUrl, actors.township);
  await rt.stop();

  rt = await startRuntime({ dataDir, port: 0 });
  // Tokens are signed with the key kept in the data directory: one issued before still works.
  const inbox = await fetch(`${rt.apiUrl}/tasks?township=430121`, {
    headers: { authorization: `Bearer ${tokenBefore}` },
  });
  expect(inbox.status).toBe(200);
  // The open task and its notification are the ones from before: one of each.
  const tasks = (await call('/tasks?township=430121')).body.tasks;
  expect(tasks.map((t: { taskId: string }) => t.taskId)).toEqual([task.taskId]);
  const notified = await eventually(async () => {
    const { body } = await call('/notifications?township=430121');
    const mine = body.notifications.filter((n: { taskId: string }) => n.taskId === task.taskId);
    return mine.length ? mine : undefined;
  });
  expect(notified.map((n: { type: string }) => n.type)).toEqual(['taskOpened']);

  const decided = await call(`/tasks/${task.taskId}/decision`, {
    method: 'POST',
    body: JSON.stringify({ decision: 'approve', reasons: [] }),
  });
  expect(decided.status).toBe(200);
  // The public notice runs out on the virtual clock; then the county determines.
  const noticed = await eventually(async () => {
    const { body } = await call(`/applications/${submitted.applicationId}`);
    return body.publicNotice?.status === 'open' ? body : undefined;
  });
  clock.advance(Date.parse(`${noticed.publicNotice.endsOn}T16:00:00Z`) - Date.now() + 60_000);
  const county = await eventually(async () =>
    (await call('/tasks?township=430121')).body.tasks.find(
      (t: { kind: string }) => t.kind === 'countyDetermination',
    ),
  );
  expect(
    (
      await call(`/tasks/${county.taskId}/decision`, {
        method: 'POST',
        body: JSON.stringify({ decision: 'approve', reasons: [] }),
      })
    ).status,
  ).toBe(200);
  const app = await eventually(async () => {
    const { body } = await call(`/applications/${submitted.applicationId}`);
    return body.determination ? body : undefined;
  });
  expect(app.status).toBe('approved');

  const history = await eventually(async () => {
    const { body } = await call(`/cases/${submitted.caseId}/history`);
    return body.executions[0].status === 'SUCCEEDED' ? body.executions[0] : undefined;
  });
  // Each state once, each event once, in order: the replay wrote nothing twice.
  expect(history.states).toEqual([
    'Start',
    'Accept',
    'MeansTest',
    'PlanTownshipReview',
    'TownshipReview',
    'TownshipOutcome',
    'OpenPublicNotice',
    'PublicNotice',
    'ClosePublicNotice',
    'NoticeOutcome',
    'PlanCountyDetermination',
    'CountyDetermination',
    'CountyOutcome',
    'Determine',
    'AlternativeOffered',
    'Closed',
  ]);
  expect(history.events.map((e: { id: number }) => e.id)).toEqual(
    history.events.map((_: unknown, i: number) => i + 1),
  );
  expect(history.events.filter((e: { type: string }) => e.type === 'TaskSubmitted')).toHaveLength(2);
  const notices = await DynamoDBDocumentClient.from(new DynamoDBClient({})).send(
    new ScanCommand({
      TableName: rt.env.CASES_TABLE,
      FilterExpression: 'begins_with(sk, :n)',
      ExpressionAttributeValues: { ':n': 'NOTICE#' },
    }),
  );
  expect(notices.Count).toBe(1);
});
