/**
 * Steps of the application workflow driven over HTTP, for the integration tests: submit, find a
 * task, decide it, let a public notice run out on the virtual clock, read queues and the history.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { clock } from '../../local/clock.ts';
import { WorkingDayCalendar } from '../../shared/calendar/index.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import type { useRuntime } from './runtime.ts';
import { eventually } from './runtime.ts';

type Runtime = ReturnType<typeof useRuntime>;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are whatever the API answered; the assertions check them.
type Body = any;

/** The calendar the system counts with (holiday arrangements as `chinese-days` ships them). */
export const calendar = new WorkingDayCalendar();

export const today = () => chinaDate(new Date());

export function applicationFlow(runtime: Runtime) {
  const { api } = runtime;
  const doc = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const table = () => runtime.rt.env.CASES_TABLE!;

  const flow = {
    async submit(body: unknown): Promise<{ applicationId: string; caseId: string }> {
      const res = await api('/applications', { method: 'POST', body: JSON.stringify(body) });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      return res.body;
    },

    /** The open task of `kind` (and `round`) for an application, once it is in the inbox. */
    async task(
      applicationId: string,
      kind: 'townshipReview' | 'countyDetermination',
      round = 1,
      township = '430121',
    ): Promise<Body> {
      return eventually(async () => {
        const { body } = await api(`/tasks?township=${township}`);
        return body.tasks.find(
          (t: Body) => t.applicationId === applicationId && t.kind === kind && t.round === round,
        );
      });
    },

    async decide(taskId: string, body: Record<string, unknown>) {
      return api(`/tasks/${taskId}/decision`, { method: 'POST', body: JSON.stringify(body) });
    },

    async application(applicationId: string): Promise<Body> {
      const { status, body } = await api(`/applications/${applicationId}`);
      expect(status).toBe(200);
      return body;
    },

    /** The application once `check` holds for it. */
    async applicationWhen(applicationId: string, check: (app: Body) => boolean): Promise<Body> {
      return eventually(async () => {
        const app = await flow.application(applicationId);
        return check(app) ? app : undefined;
      });
    },

    /** Waits for the open public notice of `round`, then moves the clock just past its end. */
    async passPublicNotice(applicationId: string, round = 1): Promise<Body> {
      const app = await flow.applicationWhen(
        applicationId,
        (a) => a.status === 'publicNotice' && a.publicNotice?.round === round,
      );
      const endsAt = Date.parse(`${app.publicNotice.endsOn}T16:00:00Z`);
      clock.advance(Math.max(0, endsAt - Date.now()) + 60_000);
      return app;
    },

    /** The township approves, the public notice runs out: the county's task, once it is open. */
    async reviewToCounty(applicationId: string): Promise<Body> {
      const review = await flow.task(applicationId, 'townshipReview');
      const decided = await flow.decide(review.taskId, { decision: 'approve', reasons: ['入户调查属实'] });
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
      await flow.passPublicNotice(applicationId);
      return flow.task(applicationId, 'countyDetermination');
    },

    /**
     * The township does not approve: its opinion goes to the county as a proposed refusal
     * (社会救助法第四十四条). The county's task, once it is open.
     */
    async proposeRefusal(
      applicationId: string,
      township = '430121',
      body: Record<string, unknown> = { decision: 'reject', reasons: ['家庭成员隐瞒经营收入'] },
    ): Promise<Body> {
      const review = await flow.task(applicationId, 'townshipReview', 1, township);
      const decided = await flow.decide(review.taskId, body);
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
      return flow.task(applicationId, 'countyDetermination', 1, township);
    },

    /** The township proposes a refusal and the county refuses: the refused application. */
    async refuse(applicationId: string, township = '430121', body?: Record<string, unknown>): Promise<Body> {
      const county = await flow.proposeRefusal(applicationId, township, body);
      const decided = await flow.decide(county.taskId, {
        decision: 'reject',
        reasons: ['同意乡镇（街道）意见'],
      });
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
      return flow.applicationWhen(applicationId, (a) => a.status === 'refused');
    },

    /** Moves the clock just past the end of a (China-time) day. */
    passEndOf(day: string) {
      clock.advance(Math.max(0, Date.parse(`${day}T16:00:00Z`) - Date.now()) + 60_000);
    },

    async history(caseId: string, check: (execution: Body) => boolean = (e) => e.status === 'SUCCEEDED') {
      return eventually(async () => {
        const { body } = await api(`/cases/${caseId}/history`);
        const execution = body.executions?.[0];
        return execution && check(execution) ? execution : undefined;
      });
    },

    /**
     * The first notification `match` accepts, once the queue's consumer has delivered it to the
     * township's inbox (`GET /notifications`): what was sent on SQS, as the caseworker receives it.
     */
    async notification(match: (body: Body) => boolean, township = '430121'): Promise<Body> {
      return eventually(async () => {
        const { body } = await api(`/notifications?township=${township}`);
        return body.notifications?.find(match);
      });
    },

    async item(pk: string, sk: string): Promise<Body> {
      const { Item } = await doc().send(new GetCommand({ TableName: table(), Key: { pk, sk } }));
      return Item;
    },

    async notices(caseId: string): Promise<Body[]> {
      const out = await doc().send(
        new ScanCommand({
          TableName: table(),
          FilterExpression: 'pk = :pk AND begins_with(sk, :n)',
          ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':n': 'NOTICE#' },
        }),
      );
      return out.Items ?? [];
    },
  };
  return flow;
}
