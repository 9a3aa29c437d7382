/**
 * 近亲属备案 (issue 7.3): a caseworker who declared a household member a close relative is never
 * offered the household's task and may not decide it; the colleague who decides records who stood aside.
 */
import { describe, expect, it } from 'vitest';
import { maskIdNumber } from '../../shared/domain/id-number.ts';
import { actors } from '../support/actors.ts';
import { applicationFlow } from '../support/application-flow.ts';
import { application, validId } from '../support/households.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const flow = applicationFlow(runtime);
const related = { ...actors.township, subject: 'test-township-related', name: '王某（申请人之子）' };

describe('conflict of interest', () => {
  it('keeps a declared relative’s task away from the caseworker and records who stood aside', async () => {
    const household = application();
    const { applicationId } = await flow.submit(household);
    const task = await flow.task(applicationId, 'townshipReview');

    // Declared after the task was opened: it is taken away all the same.
    const declared = await api(
      '/staff/me/relatives',
      {
        method: 'POST',
        body: JSON.stringify({
          relatives: [
            {
              name: household.members[0]!.name,
              idNumber: household.members[0]!.idNumber,
              relation: 'parent',
            },
          ],
        }),
      },
      related,
    );
    expect(declared.status).toBe(201);
    expect(declared.body.relatives[0].idNumberMasked).toBe(maskIdNumber(household.members[0]!.idNumber));
    expect(JSON.stringify(declared.body)).not.toContain(household.members[0]!.idNumber);

    const inbox = async (who: typeof related) =>
      (await api('/tasks?township=430121', {}, who)).body.tasks.map((t: { taskId: string }) => t.taskId);
    expect(await inbox(related)).not.toContain(task.taskId);
    expect(await inbox(actors.township)).toContain(task.taskId);

    const refused = await api(
      `/tasks/${task.taskId}/decision`,
      { method: 'POST', body: JSON.stringify({ decision: 'approve', reasons: ['核实属实'] }) },
      related,
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('回避');

    const decided = await api(
      `/tasks/${task.taskId}/decision`,
      { method: 'POST', body: JSON.stringify({ decision: 'approve', reasons: ['核实属实'] }) },
      actors.township,
    );
    expect(decided.status).toBe(200);
    expect(decided.body.decision.standAside).toEqual([
      { subject: related.subject, name: related.name, relation: 'parent' },
    ]);
    // The task as stored never shows the household's member indexes.
    expect(decided.body).not.toHaveProperty('memberIndexes');
    // Other households' tasks still reach the related caseworker.
    const other = await flow.submit(
      application({
        members: household.members.map((m, i) => ({
          ...m,
          idNumber: validId('430121', i ? '20150601' : '19800101', 60 + i),
        })),
      }),
    );
    const otherTask = await flow.task(other.applicationId, 'townshipReview');
    await eventually(async () => ((await inbox(related)).includes(otherTask.taskId) ? true : undefined));
  });
});
