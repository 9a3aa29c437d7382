/**
 * Starts an in-memory local runtime for one test file and gives typed helpers over its HTTP API.
 * Requests are signed in as the person who would make them (`defaultActor`) unless a test names
 * one — `api(path, init, actors.auditor)` — or `'anonymous'` for no token at all.
 */
import { afterAll, beforeAll } from 'vitest';
import { ApiClient, type ApiResponse, type Caller } from '../../local/client.ts';
import { type Runtime, type RuntimeOptions, startRuntime } from '../../local/runtime.ts';
import { getTask } from '../../shared/repositories/cases.ts';
import { type Actor, actors } from './actors.ts';

/**
 * Who makes a request in the ordinary course of a case: the applicant declares, answers and reads
 * their own; the township reviews and the county determines; the auditor reads histories and
 * searches cases; the administrator loads parameters and moves the local clock.
 */
export async function defaultActor(method: string, path: string): Promise<Actor> {
  if (path.startsWith('/admin/')) return actors.admin;
  if (path.startsWith('/cases/') && (path.endsWith('/history') || path.endsWith('/audit')))
    return actors.auditor;
  if (path === '/cases') return actors.auditor;
  // The county answers for its decisions before the reviewing body and the court.
  if (path.startsWith('/cases/') && path.endsWith('/appeals')) return actors.county;
  // The county orders money returned and records repayments.
  if (path.startsWith('/cases/') && path.includes('/recoveries')) return actors.county;
  // The county prepares its payroll (a second officer approves: tests name them).
  if (path.startsWith('/payrolls')) return actors.county;
  // Warnings are the departments' (a 医保 officer by default); runs and the happiness list the auditors'.
  if (path.startsWith('/warnings')) return actors.department;
  // Demands too (需求推送): the 医保 officer reads and answers them.
  if (path.startsWith('/demands')) return actors.department;
  // 主动发现: the township records and reads what was found.
  if (path.startsWith('/discoveries')) return actors.township;
  // 举报投诉: the county reads and records them (a township records one too; tests name it).
  if (path.startsWith('/complaints')) return actors.county;
  // 结果互认: a department looks up; the auditors read the record of look-ups.
  if (path === '/register/lookups') return actors.auditor;
  if (path === '/register/lookup' || path === '/register/changes') return actors.department;
  if (path.startsWith('/monitoring/') || path.startsWith('/reports/')) return actors.auditor;
  if ((path.startsWith('/tasks') || path.startsWith('/notifications')) && method === 'GET')
    return actors.township;
  if (
    path.endsWith('/paperwork') ||
    path.endsWith('/extension') ||
    path.endsWith('/investigation') ||
    path.startsWith('/staff/')
  )
    return actors.township;
  const decision = /^\/tasks\/([^/]+)\/decision$/.exec(path);
  if (decision) {
    const task = await getTask(decision[1]!).catch(() => undefined);
    // The county officer who prepares rolls in tests is `county`; another approves them.
    if (task?.kind === 'payrollApproval') return actors.countyApprover;
    return task?.kind === 'countyDetermination' ||
      task?.kind === 'emergencyAssessment' ||
      task?.kind === 'endNoticeReview'
      ? actors.county
      : actors.township;
  }
  return actors.applicant;
}

export type Api = (path: string, init?: RequestInit, as?: Caller) => Promise<ApiResponse>;

/** An in-memory runtime for the test file; `options` (read when it starts) adds to its settings. */
export function useRuntime(options: () => Partial<RuntimeOptions> = () => ({})): {
  readonly rt: Runtime;
  api: Api;
} {
  let runtime: Runtime | undefined;
  let client: ApiClient | undefined;
  beforeAll(async () => {
    runtime = await startRuntime({ dataDir: null, port: 0, ...options() });
  });
  afterAll(async () => {
    await runtime?.stop();
  });
  return {
    get rt() {
      if (!runtime) throw new Error('runtime not started');
      return runtime;
    },
    async api(path, init, as) {
      client = client?.apiUrl === runtime!.apiUrl ? client : new ApiClient(runtime!.apiUrl);
      const actor = as ?? (await defaultActor(init?.method ?? 'GET', path.split('?')[0]!));
      return client.send(actor, path, init);
    },
  };
}

export { eventually } from '../../local/client.ts';

/**
 * A chain's actions without the notifications' receipts: those land when the outbox relay and the
 * deliveries consumer get to them, after the action they announce (test/integration/deliveries.test.ts).
 */
export const chainActions = (entries: ReadonlyArray<{ action: string }>): string[] =>
  entries.map((e) => e.action).filter((a) => !a.startsWith('notification.'));
