/**
 * A case as a chain of executions: a closed execution's history is archived to S3 and read back
 * from there; a scheduled execution starts when the sweeper finds it due — on the runtime's clock,
 * once — and joins the case's history in order.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { sweep } from '../../functions/steps/sweeper.ts';
import { clock } from '../../local/clock.ts';
import { archiveKey } from '../../shared/repositories/archive.ts';
import { scheduleWorkflow } from '../../shared/repositories/schedule.ts';
import { application } from '../support/households.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const DAY = 86_400_000;

async function approvedApplication() {
  const { body } = await api('/applications', { method: 'POST', body: JSON.stringify(application()) });
  const task = await eventually(async () =>
    (await api('/tasks?township=430121')).body.tasks.find(
      (t: { applicationId: string }) => t.applicationId === body.applicationId,
    ),
  );
  await api(`/tasks/${task.taskId}/decision`, {
    method: 'POST',
    body: JSON.stringify({ decision: 'approve', reasons: [] }),
  });
  // The public notice (公示) runs out on the virtual clock, then the county confirms.
  const noticed = await eventually(async () => {
    const app = (await api(`/applications/${body.applicationId}`)).body;
    return app.publicNotice?.status === 'open' ? app : undefined;
  });
  clock.advance(Date.parse(`${noticed.publicNotice.endsOn}T16:00:00Z`) - clock.now() + 60_000);
  const county = await eventually(async () =>
    (await api('/tasks?township=430121')).body.tasks.find(
      (t: { applicationId: string; kind: string }) =>
        t.applicationId === body.applicationId && t.kind === 'countyDetermination',
    ),
  );
  await api(`/tasks/${county.taskId}/decision`, {
    method: 'POST',
    body: JSON.stringify({ decision: 'approve', reasons: [] }),
  });
  return body as { applicationId: string; caseId: string };
}

describe('the case chain', () => {
  it('archives a closed execution and serves its history from the archive', async () => {
    const { caseId } = await approvedApplication();
    const history = await eventually(async () => {
      const { body } = await api(`/cases/${caseId}/history`);
      return body.executions[0]?.archived ? body : undefined;
    });
    const [execution] = history.executions;
    expect(execution.status).toBe('SUCCEEDED');
    const object = await new S3Client({ forcePathStyle: true }).send(
      new GetObjectCommand({
        Bucket: runtime.rt.env.ARCHIVE_BUCKET,
        Key: archiveKey(caseId, execution.executionArn),
      }),
    );
    const archived = JSON.parse(await object.Body!.transformToString());
    expect(archived.events.map((e: { type: string }) => e.type)).toEqual(
      execution.events.map((e: { type: string }) => e.type),
    );
    expect(archived.input).toMatchObject({ caseId });
  });

  it('starts a scheduled execution when it falls due, once, and lists it after the first', async () => {
    const { applicationId, caseId } = await approvedApplication();
    await eventually(async () =>
      (await api(`/cases/${caseId}/history`)).body.executions[0]?.archived ? true : undefined,
    );
    const dueAt = new Date(clock.now() + 3 * DAY).toISOString();
    await scheduleWorkflow({
      caseId,
      workflow: 'Application',
      dueAt,
      input: { applicationId, regionCode: '430121' },
    });

    expect((await sweep()).started).toBe(0);
    clock.advance(2 * DAY);
    expect((await sweep()).started).toBe(0);
    clock.advance(DAY + 60_000);
    expect((await sweep()).started).toBe(1);
    expect((await sweep()).started).toBe(0);

    const history = await eventually(async () => {
      const { body } = await api(`/cases/${caseId}/history`);
      return body.executions.length === 2 ? body : undefined;
    });
    expect(history.executions.map((e: { workflow: string }) => e.workflow)).toEqual([
      'Application',
      'Application',
    ]);
    expect(history.executions[0].startDate < history.executions[1].startDate).toBe(true);
  });
});
