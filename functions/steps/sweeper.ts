/**
 * The sweeper: starts every scheduled execution that has fallen due (rechecks, gradual exits, …),
 * day by day from its cursor, shard by shard. Run by EventBridge Scheduler on AWS and by the local
 * runtime's clock; running it twice starts nothing twice (execution names derive from the schedule).
 */
import { DescribeExecutionCommand, ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { sfn } from '../../shared/clients.ts';
import { requiredEnv } from '../../shared/config.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { logger } from '../../shared/logger.ts';
import { linkExecution } from '../../shared/repositories/cases.ts';
import {
  dueOn,
  markStarted,
  type Schedule,
  setSweepCursor,
  sweepCursor,
} from '../../shared/repositories/schedule.ts';
import { workflows } from '../../workflows/index.ts';

/** How far back a first sweep looks for schedules it has never seen. */
const FIRST_SWEEP_LOOKBACK_DAYS = 31;
const DAY_MS = 86_400_000;
/** Days whose due-index partitions are read at once (each day is `DUE_SHARDS` queries). */
const SWEEP_WINDOW_DAYS = 16;
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

async function start(schedule: Schedule): Promise<string> {
  const workflow = workflows.find((w) => w.id === schedule.workflow);
  if (!workflow) throw new Error(`schedule for unknown workflow ${schedule.workflow}`);
  const stateMachineArn = requiredEnv(workflow.env);
  const name = `${schedule.workflow}-${schedule.caseId}-${schedule.dueAt.slice(0, 10)}`.slice(0, 80);
  const input = JSON.stringify({ ...schedule.input, caseId: schedule.caseId });
  let executionArn: string;
  let startDate: Date;
  try {
    const started = await sfn().send(new StartExecutionCommand({ stateMachineArn, name, input }));
    executionArn = started.executionArn!;
    startDate = started.startDate!;
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    // Another sweep started it first: link it under its own start date, so both write one link.
    executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    startDate = (await sfn().send(new DescribeExecutionCommand({ executionArn }))).startDate!;
  }
  await linkExecution({
    caseId: schedule.caseId,
    executionArn,
    workflow: schedule.workflow,
    startedAt: startDate.toISOString(),
  });
  await markStarted(schedule, executionArn);
  return executionArn;
}

export async function sweep(): Promise<{ started: number; cursor: string }> {
  const now = new Date();
  const today = chinaDate(now);
  let day = (await sweepCursor()) ?? chinaDate(new Date(now.getTime() - FIRST_SWEEP_LOOKBACK_DAYS * DAY_MS));
  let started = 0;
  const days: string[] = [];
  for (; day <= today; day = nextDay(day)) days.push(day);
  // After a pause (a stopped runtime, a clock moved on by months) many days are behind: they are
  // read a window at a time, and started in due order.
  for (let i = 0; i < days.length; i += SWEEP_WINDOW_DAYS) {
    const window = days.slice(i, i + SWEEP_WINDOW_DAYS);
    const due = await Promise.all(window.map((d) => dueOn(d, now.toISOString())));
    for (const schedule of due.flat()) {
      await start(schedule);
      started++;
    }
    // A past day is finished once swept; today stays open for what falls due later today.
    const lastPast = window.filter((d) => d < today).at(-1);
    if (lastPast) await setSweepCursor(nextDay(lastPast));
  }
  if (started) logger.info('sweeper started executions', { started, today });
  return { started, cursor: today };
}
