/** The inbox's notifications: new and overdue tasks of a region the caseworker or officer serves. */
import { z } from 'zod';
import { requireJurisdiction } from '../../shared/auth.ts';
import { httpRoute } from '../../shared/http.ts';
import { listNotifications } from '../../shared/repositories/notifications.ts';
import { regionCode } from '../../shared/schemas/household.ts';

export const notificationsQuery = z.object({
  township: regionCode,
  since: z.iso.datetime({ error: 'since 应为 ISO 时间，如 2026-11-30T08:00:00.000Z' }).optional(),
});

export const list = httpRoute(
  { roles: ['townshipCaseworker', 'countyOfficer'], query: notificationsQuery },
  async ({ query, principal }) => {
    requireJurisdiction(principal, query.township);
    const notifications = await listNotifications(query.township, query.since);
    return { statusCode: 200, body: { township: query.township, notifications } };
  },
);

export const notificationsResponse = z
  .object({
    township: z.string(),
    notifications: z.array(
      z.object({
        type: z
          .enum(['taskOpened', 'taskEscalated', 'warningEscalated'])
          .describe('新任务 / 任务逾期督办 / 动态监测预警逾期未反馈督办'),
        taskId: z.string().describe('任务编号；warningEscalated 为预警编号'),
        kind: z.string(),
        township: z.string(),
        caseId: z.string(),
        dueDate: z.string().optional(),
        overdueSince: z.string().optional(),
        newDueDate: z.string().optional(),
        escalation: z.number().optional(),
        at: z.string(),
        deliveredAt: z.string(),
      }),
    ),
  })
  .meta({ title: '任务通知' });
