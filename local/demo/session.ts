/**
 * One run of the demo: the runtime it drives, the client every request goes through (as the acting
 * person), the virtual clock moved by the administrator, the reads the stories wait on, and the
 * summary they fill in. What the HTTP API does not show yet (the case item after its determination,
 * lifecycle notices) is read from the register in-process, for the end-state checks only.
 */
import { chinaDate } from '../../shared/domain/dates.ts';
import { addMonthsToMonth, startOfChinaDay } from '../../shared/domain/lifecycle.ts';
import { yuanText } from '../../shared/domain/money.ts';
import { ApiClient, eventually } from '../client.ts';
import type { Runtime } from '../runtime.ts';
import { type Actor, admin, applicant, auditor, type Household, township } from './households.ts';
import { type DemoOptions, type DemoSummary, emptySummary } from './summary.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are whatever the API answered; the checks read them.
export type Json = any;

export const DAY_MS = 86_400_000;

/** Amounts as people read them (`1,234.00元`), and as the English half of each line gives them. */
export const yuan = (n: number | null | undefined) => yuanText(n ?? 0);
export const rmb = (n: number | null | undefined) => `¥${(n ?? 0).toFixed(2)}`;

const tierEnglish: Record<string, string> = {
  dibao: 'minimum living allowance (dibao)',
  singlePersonDibao: 'single-person dibao',
  tekun: 'extreme-poverty support (tekun)',
  marginal: 'marginal household',
  rigidExpense: 'rigid-expense hardship household',
  emergency: 'temporary assistance',
};
export const tierEn = (tier: string | null | undefined) => (tier ? (tierEnglish[tier] ?? tier) : 'none');

export class DemoSession {
  readonly summary: DemoSummary = emptySummary();
  readonly client: ApiClient;
  readonly #print: (line: string) => void;
  readonly #waitMs: number;

  constructor(
    readonly rt: Runtime,
    options: DemoOptions,
  ) {
    const log = options.log ?? ((line: string) => console.log(line));
    this.#print = options.quiet ? () => undefined : log;
    this.#waitMs = options.waitMs ?? 20_000;
    this.client = new ApiClient(rt.apiUrl);
  }

  line(text: string) {
    this.#print(text);
  }

  /** One step: `[户1 张三] 2027-01-05 乡镇审核通过 — township review approved`. */
  step(h: Household, zh: string, en: string) {
    this.#print(`[${h.label} ${h.name}] ${chinaDate(new Date())} ${zh} — ${en}`);
  }

  /** A request that must answer `expect`; anything else stops the household's story. */
  async api(actor: Actor, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, expect = [200]) {
    return this.client.expect(actor, method, path, body, expect) as Promise<Json>;
  }

  /** Waits on real time for `check` to answer a value; it stops the story if it does not come. */
  until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
    return eventually(check, { what, timeoutMs: this.#waitMs, every: 40 });
  }

  // ── the clock (admin) ──

  async advance(minutes: number) {
    if (minutes <= 0) return;
    await this.api(admin, 'POST', '/admin/clock/advance', { minutes: Math.ceil(minutes) });
  }

  /** Moves the virtual clock just past `instant` (never back). */
  async advanceTo(instant: string | number, marginMinutes = 1) {
    const { now } = await this.api(admin, 'GET', '/admin/clock');
    const target = typeof instant === 'number' ? instant : Date.parse(instant);
    const minutes = (target - Date.parse(now)) / 60_000;
    if (minutes > -marginMinutes) await this.advance(Math.ceil(minutes) + marginMinutes);
  }

  // ── reads ──

  application = (id: string) => this.api(applicant, 'GET', `/applications/${id}`);
  emergencyView = (id: string) => this.api(applicant, 'GET', `/emergency/${id}`);
  payments = (caseId: string) => this.api(applicant, 'GET', `/cases/${caseId}/payments`);
  history = (caseId: string) => this.api(auditor, 'GET', `/cases/${caseId}/history`);

  applicationWhen(id: string, what: string, check: (app: Json) => boolean) {
    return this.until(what, async () => {
      const app = await this.application(id);
      return check(app) ? app : undefined;
    });
  }

  task(region: string, what: string, match: (t: Json) => boolean) {
    return this.until(what, async () => {
      const { tasks } = await this.api(township(region), 'GET', `/tasks?township=${region}`);
      return (tasks as Json[]).find(match);
    });
  }

  /** The case's history once its `n`-th execution of `workflow` satisfies `check`. */
  execution(caseId: string, workflow: string, n: number, what: string, check: (e: Json) => boolean) {
    return this.until(what, async () => {
      const h = await this.history(caseId);
      const run = (h.executions as Json[]).filter((e) => e.workflow === workflow)[n - 1];
      return run && check(run) ? { history: h, run } : undefined;
    });
  }

  /** The next first-of-month in China time after now. */
  nextMonthStart(): string {
    const month = chinaDate(new Date()).slice(0, 7);
    return startOfChinaDay(`${addMonthsToMonth(month, 1)}-01`);
  }

  /** The approval put the first recheck into the due-date index; the sweeper will start it. */
  async expectFirstRecheck(caseId: string) {
    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const { dynamo } = await import('../../shared/clients.ts');
    // The approval's last step records the determination, then schedules the recheck.
    await this.until(`case ${caseId}: the first recheck the approval schedules`, async () => {
      const { Items } = await dynamo().send(
        new QueryCommand({
          TableName: this.rt.env.CASES_TABLE!,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
          ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':s': 'SCHEDULE#Recheck#' },
          ConsistentRead: true,
        }),
      );
      return Items?.length ? true : undefined;
    });
  }

  // ── read in-process ──

  async caseItem(caseId: string): Promise<Record<string, unknown> | undefined> {
    const { getCaseItem } = await import('../../shared/repositories/lifecycle.ts');
    return getCaseItem(caseId);
  }

  async notices(caseId: string): Promise<Array<{ kind: string; title: string; body: string }>> {
    const { listNotices } = await import('../../shared/repositories/cases.ts');
    return (await listNotices(caseId)) as unknown as Array<{ kind: string; title: string; body: string }>;
  }
}
