/**
 * Races (issue 7.5): two caseworkers deciding one task at the same moment get exactly one decision
 * between them — the other is told 409 — and case records take optimistic concurrency: of two
 * updates made from the same reading, one lands and the other is told the case moved on.
 */
import { describe, expect, it } from 'vitest';
import { readAuditLog } from '../../shared/audit.ts';
import { getCaseItem, StaleCaseError, updateCase } from '../../shared/repositories/lifecycle.ts';
import { actors } from '../support/actors.ts';
import { applicationFlow } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const flow = applicationFlow(runtime);

describe('races', () => {
  it('two caseworkers decide the same task at once: one decision, the other 409', async () => {
    const { applicationId, caseId } = await flow.submit(application());
    const task = await flow.task(applicationId, 'townshipReview');
    const colleague = { ...actors.township, subject: 'test-township-2', name: '李六' };
    const decide = (who: typeof colleague, decision: 'approve' | 'reject') =>
      api(
        `/tasks/${task.taskId}/decision`,
        { method: 'POST', body: JSON.stringify({ decision, reasons: [`${who.name}的意见`] }) },
        who,
      );
    const answers = await Promise.all([decide(actors.township, 'approve'), decide(colleague, 'reject')]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const winner = answers.find((a) => a.status === 200)!;
    expect(answers.find((a) => a.status === 409)!.body.error.message).toContain('已处理');

    // The workflow and the log carry the winner's decision, once.
    const decided = await eventually(async () => {
      const { entries } = await readAuditLog(caseId);
      const mine = entries.filter((e) => e.action === 'task.decided');
      return mine.length ? mine : undefined;
    });
    expect(decided).toHaveLength(1);
    expect(decided[0]!.actor.name).toBe(winner.body.decision.decidedBy);
    // An approval goes to public notice; a refusal is only proposed, to the county (第四十四条).
    if (winner.body.decision.decision === 'approve')
      await flow.applicationWhen(applicationId, (app) => app.status === 'publicNotice');
    else expect((await flow.task(applicationId, 'countyDetermination')).proposal.decision).toBe('reject');
  });

  it('of two case updates made from the same reading, one lands and the other is stale', async () => {
    const { caseId } = await flow.submit(application());
    const read = await getCaseItem(caseId);
    const version = read?.version ?? 0;
    const results = await Promise.allSettled([
      updateCase(caseId, { monthlyAmount: 500 }, [], { expectedVersion: version }),
      updateCase(caseId, { monthlyAmount: 600 }, [], { expectedVersion: version }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(StaleCaseError);
    const after = await getCaseItem(caseId);
    expect(after?.version).toBe(version + 1);
    // Read again, the loser's update lands.
    await updateCase(caseId, { monthlyAmount: 700 }, [], { expectedVersion: after!.version! });
    expect((await getCaseItem(caseId))?.monthlyAmount).toBe(700);
  });
});
