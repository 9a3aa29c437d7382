/**
 * One household's whole chain over three years of virtual time: the application and its approval,
 * rechecks every six months, a rise in earnings that leads to a six-month gradual exit, the case
 * closed, and the monitoring follow-up a year later. Each step is its own short execution, started by
 * the sweeper from the due index; `GET /cases/{caseId}/history` lists every one, in order, archived.
 */
import { describe, expect, it } from 'vitest';
import {
  addMonthsToMonth,
  endOfChinaDay,
  monthStartsAt,
  startOfChinaDay,
} from '../../shared/domain/lifecycle.ts';
import { application } from '../support/households.ts';
import { DAY, household, lifecycleHelpers } from '../support/lifecycle.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const lc = lifecycleHelpers(runtime);

/**
 * Takes an application through whatever review the application workflow asks for: approves each
 * task it opens and lets a public notice run out on the clock, until the application is approved.
 */
async function approve(applicationId: string) {
  return eventually(async () => {
    const { body: app } = await api(`/applications/${applicationId}`);
    if (app.status === 'approved') return app;
    const { body } = await api('/tasks?township=430121');
    const task = body.tasks.find((t: { applicationId: string }) => t.applicationId === applicationId);
    if (task) {
      await api(`/tasks/${task.taskId}/decision`, {
        method: 'POST',
        body: JSON.stringify({ decision: 'approve', reasons: ['入户核实属实'], decidedBy: '李四' }),
      });
    } else if (app.publicNotice?.status === 'open') {
      lc.advanceTo(endOfChinaDay(app.publicNotice.endsOn));
    }
    return undefined;
  });
}

describe('a case chain longer than a year', () => {
  it('lists every execution of the chain in order, each archived', { timeout: 180_000 }, async () => {
    const submitted = await api('/applications', { method: 'POST', body: JSON.stringify(application()) });
    expect(submitted.status).toBe(202);
    const { applicationId, caseId } = submitted.body;
    const app = await approve(applicationId);
    expect(app.determination).toMatchObject({ outcome: 'approved', tier: 'dibao' });
    // The application's execution ends (scheduling the first recheck) before the clock moves on.
    await lc.closed(caseId, 'Application');
    const first = await lc.pending(caseId, 'Recheck');
    expect(first.dueAt).toBe(startOfChinaDay(app.determination.nextRecheckDue));

    // Two rechecks six months apart find nothing changed.
    expect((await lc.startDue(caseId, 'Recheck')).dueAt).toBe(first.dueAt);
    await lc.closed(caseId, 'Recheck', 1);
    await lc.startDue(caseId, 'Recheck');
    await lc.closed(caseId, 'Recheck', 2);

    // The applicant finds work; the third recheck proposes a gradual exit, which the caseworker confirms.
    await lc.declare(caseId, household([{ kind: 'wage', monthlyAmount: 6000 }]));
    await lc.startDue(caseId, 'Recheck');
    const task = await lc.task(caseId, 'recheckConfirmation');
    expect(task.recheck.outcome).toBe('gradualExit');
    await lc.decide(task.taskId, { decision: 'approve', reasons: ['已稳定就业'] });
    await lc.hear(caseId, 'agree');
    await lc.closed(caseId, 'Recheck', 3);

    // Six months of gradual exit, one execution each; the last one closes the case.
    const { gradualExit: plan } = await lc.caseItem(caseId);
    for (let i = 0; i < plan.months; i++) {
      expect((await lc.startDue(caseId, 'GradualExit')).dueAt).toBe(
        monthStartsAt(addMonthsToMonth(plan.firstMonth, i)),
      );
      await eventually(async () => ((await lc.payments(caseId)).length === i + 1 ? true : undefined));
      // The clock moves on only once the month's execution is done with its steps.
      if (i < plan.months - 1) await lc.closed(caseId, 'GradualExit', i + 1);
    }
    await lc.reached(caseId, 'GradualExit', plan.months, 'WaitForMonthEnd');
    lc.advanceTo(monthStartsAt(addMonthsToMonth(plan.firstMonth, plan.months)));
    await lc.closed(caseId, 'GradualExit', plan.months);
    expect(await lc.caseItem(caseId)).toMatchObject({ status: 'exited', monitoring: true });

    // A year on, the monitoring follow-up finds the household well above every line: monitoring ends.
    await lc.startDue(caseId, 'Recheck');
    const history = await lc.closed(caseId, 'Recheck', 4);
    expect(await lc.caseItem(caseId)).toMatchObject({ status: 'exited', monitoring: false });
    expect(await lc.schedules(caseId).then((s) => s.filter((x) => x.status === 'pending'))).toEqual([]);

    const executions = history.executions as Array<{
      workflow: string;
      status: string;
      archived: boolean;
      startDate: string;
      stopDate: string;
      states: string[];
    }>;
    expect(executions.map((e) => e.workflow)).toEqual([
      'Application',
      'Recheck',
      'Recheck',
      'Recheck',
      ...Array(6).fill('GradualExit'),
      'Recheck',
    ]);
    for (const e of executions) expect(e).toMatchObject({ status: 'SUCCEEDED', archived: true });
    const starts = executions.map((e) => Date.parse(e.startDate));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    // Every execution is short; the chain is long.
    for (const e of executions)
      expect(Date.parse(e.stopDate) - Date.parse(e.startDate)).toBeLessThan(62 * DAY);
    expect(Date.parse(executions.at(-1)!.stopDate) - starts[0]!).toBeGreaterThan(2 * 365 * DAY);
    expect(executions.map((e) => e.states.at(-1))).toEqual([
      ...(executions[0]!.states.at(-1) ? [executions[0]!.states.at(-1)] : []),
      'Continue',
      'Continue',
      'StartGradualExit',
      ...Array(5).fill('ScheduleNextMonth'),
      'Exit',
      'MonitoringEnded',
    ]);

    const notices = await lc.notices(caseId);
    expect(notices.map((n) => n.kind).sort()).toEqual(
      [
        'approval',
        'recheckContinue',
        'recheckContinue',
        'hearing',
        'gradualExit',
        'exit',
        'monitoringEnded',
      ].sort(),
    );
    expect((await lc.payments(caseId)).map((p) => p.kind)).toEqual(Array(6).fill('gradualExit'));
  });
});
