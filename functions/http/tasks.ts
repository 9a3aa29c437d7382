/** The caseworker's inbox and decisions on human tasks. */
import { InvalidToken, SendTaskSuccessCommand, TaskDoesNotExist, TaskTimedOut } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { sfn } from '../../shared/clients.ts';
import { ConflictError, GoneError, NotFoundError } from '../../shared/errors.ts';
import { httpRoute } from '../../shared/http.ts';
import * as cases from '../../shared/repositories/cases.ts';
import { regionCode } from '../../shared/schemas/household.ts';

const publicTask = ({ taskToken: _token, executionArn: _arn, ...task }: cases.TaskRecord) => task;

export const list = httpRoute({ query: z.object({ township: regionCode }) }, async ({ query }) => {
  const tasks = await cases.listOpenTasks(query.township);
  return { statusCode: 200, body: { township: query.township, tasks: tasks.map(publicTask) } };
});

export const decisionBody = z
  .object({
    decision: z.enum(['approve', 'reject'], { error: 'decision 应为 approve（同意）或 reject（不同意）' }),
    reasons: z
      .array(z.string().trim().min(1, { error: '理由不能为空' }).max(500))
      .max(20)
      .default([]),
    decidedBy: z.string().trim().min(1).max(64).default('caseworker'),
  })
  .refine((b) => b.decision === 'approve' || b.reasons.length > 0, {
    error: '不同意时必须填写理由',
    path: ['reasons'],
  });

export const decide = httpRoute(
  {
    path: z.object({ taskId: z.string().regex(/^task-[a-f0-9]{24}$/, { error: '任务编号格式不正确' }) }),
    body: decisionBody,
  },
  async ({ path, body }) => {
    const decision = { ...body, decidedAt: new Date().toISOString() };
    const task = await cases.decideTask(path.taskId, decision);
    if (!task) {
      const existing = await cases.getTask(path.taskId);
      if (!existing) throw new NotFoundError(`任务 ${path.taskId} 不存在`);
      throw new ConflictError(`任务 ${path.taskId} 已处理，不能重复决定`);
    }
    try {
      await sfn().send(
        new SendTaskSuccessCommand({ taskToken: task.taskToken, output: JSON.stringify(decision) }),
      );
    } catch (error) {
      if (
        error instanceof TaskDoesNotExist ||
        error instanceof InvalidToken ||
        error instanceof TaskTimedOut
      ) {
        throw new GoneError(`任务 ${path.taskId} 所属流程已结束或已超时`);
      }
      throw error;
    }
    return { statusCode: 200, body: publicTask(task) };
  },
);
