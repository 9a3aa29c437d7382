/**
 * Helpers for the lifecycle tests (recheck, gradual exit, emergency, the long chain): a determined
 * case seeded straight into the table, the virtual clock moved to an instant (the runtime's sweeper
 * ticks once when it moves), and the case's items, executions and tasks read back.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { scheduleFirstRecheck } from '../../functions/steps/recheck.ts';
import { clock } from '../../local/clock.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { newId } from '../../shared/domain/ids.ts';
import { createApplication } from '../../shared/repositories/cases.ts';
import { updateCase } from '../../shared/repositories/lifecycle.ts';
import { parametersFor } from '../../shared/repositories/parameters.ts';
import { meansTest } from '../../shared/rules/index.ts';
import type { ApplicationRequest } from '../../shared/schemas/household.ts';
import { type Actor, actors } from './actors.ts';
import { application } from './households.ts';
import { eventually, type useRuntime } from './runtime.ts';

type Runtime = ReturnType<typeof useRuntime>;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are whatever the API answered; the assertions check them.
type Body = any;

export const DAY = 86_400_000;

/** A household declaration with the applicant's incomes replaced. */
export function household(
  incomes: ApplicationRequest['members'][number]['incomes'],
  over: Partial<ApplicationRequest> = {},
) {
  const h = application(over);
  return {
    ...h,
    members: [
      { ...h.members[0]!, incomes, employed: incomes.some((i) => i.kind === 'wage') },
      ...h.members.slice(1),
    ],
  };
}

export function lifecycleHelpers(runtime: Runtime) {
  const { api } = runtime;
  const doc = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const table = () => runtime.rt.env.CASES_TABLE!;

  const query = async (pk: string, prefix: string): Promise<Body[]> => {
    const { Items } = await doc().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': pk, ':p': prefix },
        ConsistentRead: true,
      }),
    );
    return Items ?? [];
  };

  const helpers = {
    today: () => chinaDate(new Date()),

    /**
     * A case determined today in the household's own tier at the amount the means test gives, as
     * the application workflow leaves it (application, case item with tier and amount).
     */
    async seedApprovedCase(declaration: ApplicationRequest = application()) {
      const now = new Date();
      const asOf = chinaDate(now);
      const parameters = await parametersFor(declaration.regionCode, declaration.residence, asOf);
      const result = meansTest(declaration, { asOf, parameters });
      expect(result.eligible).toBe(true);
      const applicationId = newId('app', now);
      const caseId = newId('case', now);
      const decidedAt = now.toISOString();
      await createApplication({
        applicationId,
        caseId,
        status: 'approved',
        regionCode: declaration.regionCode,
        requestedTier: declaration.requestedTier,
        declaration,
        submittedAt: decidedAt,
        ownerSubject: actors.applicant.subject,
        determination: {
          outcome: 'approved',
          tier: result.tier,
          monthlyAmount: result.monthlyAmount,
          decidedAt,
        },
      });
      await updateCase(caseId, {
        tier: result.tier,
        monthlyAmount: result.monthlyAmount,
        determinedApplicationId: applicationId,
        determinedAt: decidedAt,
      });
      return { applicationId, caseId, tier: result.tier, monthlyAmount: result.monthlyAmount, decidedAt };
    },

    /**
     * A determined case (by default 低保, 长沙县, urban) with its first recheck scheduled; the case and
     * that date.
     */
    async caseAtFirstRecheck(declaration: ApplicationRequest = application()) {
      const seeded = await helpers.seedApprovedCase(declaration);
      const first = await scheduleFirstRecheck({
        caseId: seeded.caseId,
        tier: seeded.tier,
        determinedAt: seeded.decidedAt,
        regionCode: declaration.regionCode,
        residence: declaration.residence,
      });
      expect(first).toBeDefined();
      return { ...seeded, due: first!.due, dueAt: first!.dueAt };
    },

    /** Moves the virtual clock just past `iso` (never back); due timers and the sweeper's tick fire. */
    advanceTo(iso: string, marginMs = 60_000) {
      clock.advance(Math.max(0, Date.parse(iso) - clock.now()) + marginMs);
    },

    /**
     * Runs the clock to the pending schedule of `workflow` and waits until the sweeper has started
     * it: the runtime runs its scheduled functions again after every jump of the clock.
     */
    async startDue(caseId: string, workflow: string) {
      const schedule = await helpers.pending(caseId, workflow);
      helpers.advanceTo(schedule.dueAt);
      await eventually(async () => {
        const s = (await helpers.schedules(caseId)).find((x) => x.sk === schedule.sk);
        return s?.status === 'started' ? s : undefined;
      });
      return schedule;
    },

    caseItem: async (caseId: string) => (await query(`CASE#${caseId}`, 'CASE'))[0],
    /** The task item as stored, token included. */
    taskItem: async (taskId: string) => (await query(`TASK#${taskId}`, 'TASK'))[0],
    schedules: (caseId: string) => query(`CASE#${caseId}`, 'SCHEDULE#'),
    payments: (caseId: string) => query(`CASE#${caseId}`, 'PAY#'),
    notices: (caseId: string) => query(`CASE#${caseId}`, 'NOTICE#'),
    emergencyItems: async () => {
      const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
      const { Items } = await doc().send(
        new ScanCommand({
          TableName: table(),
          FilterExpression: 'begins_with(pk, :e)',
          ExpressionAttributeValues: { ':e': 'EMERG#' },
        }),
      );
      return Items ?? [];
    },

    /** The pending schedule of `workflow`, once it is there. */
    pending: (caseId: string, workflow: string) =>
      eventually(async () =>
        (await helpers.schedules(caseId)).find((s) => s.workflow === workflow && s.status === 'pending'),
      ),

    async history(caseId: string): Promise<Body> {
      const { status, body } = await api(`/cases/${caseId}/history`);
      expect(status).toBe(200);
      return body;
    },

    /** The case's history once its `n`-th execution of `workflow` has closed (and been archived). */
    closed: (caseId: string, workflow: string, n = 1, timeoutMs = 20_000) =>
      eventually(async () => {
        const h = await helpers.history(caseId);
        const runs = h.executions.filter((e: Body) => e.workflow === workflow);
        return runs.length >= n && runs[n - 1].status !== 'RUNNING' && runs[n - 1].archived ? h : undefined;
      }, timeoutMs),

    /**
     * The case's history once its `n`-th execution of `workflow` has entered `state` — e.g. a Wait
     * — so that moving the clock cannot cut a step in flight short.
     */
    reached: (caseId: string, workflow: string, n: number, state: string) =>
      eventually(async () => {
        const h = await helpers.history(caseId);
        const run = h.executions.filter((e: Body) => e.workflow === workflow)[n - 1];
        return run?.states.includes(state) ? h : undefined;
      }),

    /** The open task of `kind` for a case in a township's inbox. */
    task: (caseId: string, kind: string, township = '430121') =>
      eventually(async () => {
        const { body } = await api(`/tasks?township=${township}`);
        return body.tasks.find((t: Body) => t.caseId === caseId && t.kind === kind);
      }),

    async decide(taskId: string, body: Record<string, unknown>) {
      const res = await api(`/tasks/${taskId}/decision`, { method: 'POST', body: JSON.stringify(body) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    },

    async declare(caseId: string, declaration: ApplicationRequest) {
      const { applicant: _a, requestedTier: _r, ...rest } = declaration;
      const res = await api(`/cases/${caseId}/declaration`, { method: 'POST', body: JSON.stringify(rest) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    },

    /** The case's hearings (听取意见), as stored. */
    hearings: (caseId: string) => query(`CASE#${caseId}`, 'HEARING#'),

    /** The case's open hearing, once the workflow has opened it and started waiting on it. */
    openHearing: (caseId: string) =>
      eventually(async () =>
        (await helpers.hearings(caseId)).find((h) => h.status === 'open' && h.taskToken !== undefined),
      ),

    /** The household answers its open hearing (as the applicant by default; a caseworker records a visit). */
    async hear(caseId: string, opinion: 'agree' | 'object', statement = '', as: Actor = actors.applicant) {
      await helpers.openHearing(caseId);
      const res = await api(
        `/cases/${caseId}/hearing`,
        { method: 'POST', body: JSON.stringify({ opinion, statement }) },
        as,
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    },

    /** Task notifications the queues' consumer delivered to a township's inbox. */
    async notifications(township = '430121'): Promise<Body[]> {
      const { status, body } = await api(`/notifications?township=${township}`);
      expect(status).toBe(200);
      return body.notifications;
    },
  };
  return helpers;
}
