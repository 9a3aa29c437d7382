/**
 * `npm run demo`: three households through their lifecycles on the in-process local runtime, in
 * well under a minute of real time, each step printed in Chinese and English with the virtual date.
 *
 *   户1 张三 (长沙县) — reported by its village committee (主动发现), helped to apply → 低保
 *       application → township review → 公示 → county determination → its special assistance pushed
 *       to 医保, 教育 and 人社, each answering (需求推送) → an anonymous report about it verified and
 *       found untrue, the reporter told by code (举报投诉) → paid
 *       monthly through the county's payment roll and the bank (the first month prepared by an
 *       officer, the second computed on the payroll day; each approved by a second officer and
 *       reconciled from the bank's return); at its recheck the household has recovered through
 *       employment → 渐退 month by month, each month a payment record → case closed, household under
 *       动态监测.
 *   户2 李四 (中牟县) — the township's home visit finds undeclared income → refused; the written notice
 *       with its reasons is due within 3 working days.
 *   户3 王芳 (芙蓉区) — a fire: 临时救助, a small amount at once, the paperwork task, then converted into
 *       a regular 低保 application on the same case and determined.
 *
 * Everything is driven through the HTTP API as people would (one `ApiClient`, signed in as the acting
 * person), moving the virtual clock (`POST /admin/clock/advance`) rather than waiting: `stories.ts`
 * and `household1.ts` tell them, `report.ts` checks their end states, `session.ts` holds what a run shares.
 *
 * `runDemo(options)` returns a structured summary; run directly, the script exits 0 only if all
 * three households reached their expected end states.
 */

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { household1, household1Later } from './household1.ts';
import { H1, H2, H3, type Household } from './households.ts';
import { table, verify } from './report.ts';
import { DemoSession } from './session.ts';
import { household2, household3 } from './stories.ts';
import type { DemoOptions, DemoSummary } from './summary.ts';

export type { Check, DemoOptions, DemoSummary, HouseholdSummary, PaymentView } from './summary.ts';

export async function runDemo(options: DemoOptions = {}): Promise<DemoSummary> {
  // Handler logs and EMF metrics would interleave with the story; set before the handlers load.
  process.env.LOG_LEVEL ??= 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  // The SDK warns on every SendMessage that the queue URL's host (`sqs.<region>.localhost`) is not the
  // endpoint's (127.0.0.1); both are loopback, and the warning says nothing about the story.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('differs from SQSClient resolved endpoint')) return;
    warn(...args);
  };
  const started = performance.now();
  const { startRuntime } = await import('../runtime.ts');
  const { clockStartFromEnv } = await import('../clock.ts');
  const rt = await startRuntime({ dataDir: null, port: 0, startAt: clockStartFromEnv() }).catch((error) => {
    console.warn = warn;
    throw error;
  });
  const demo = new DemoSession(rt, options);
  const sum = demo.summary;
  sum.virtualStart = new Date().toISOString();
  demo.line(
    `兜底 doudi 演示：三户家庭的救助全过程 — three households through their lifecycles (${rt.apiUrl})`,
  );
  const phase = async (h: Household, fn: () => Promise<void>) => {
    try {
      await fn();
      return true;
    } catch (error) {
      const message = `${h.label} ${h.name}: ${(error as Error).message}`;
      sum.failures.push(message);
      demo.line(`[${h.label} ${h.name}] ✗ ${(error as Error).message}`);
      return false;
    }
  };
  try {
    const h1 = await phase(H1, () => household1(demo));
    await phase(H2, () => household2(demo));
    await phase(H3, () => household3(demo));
    if (h1) await phase(H1, () => household1Later(demo));
    await verify(demo);
    sum.virtualEnd = new Date().toISOString();
    sum.realMs = performance.now() - started;
    sum.ok = sum.failures.length === 0 && sum.households.length === 3 && sum.households.every((h) => h.ok);
    table(demo);
  } finally {
    await rt.stop();
    console.warn = warn;
  }
  sum.realMs = performance.now() - started;
  return sum;
}

const invokedDirectly = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
})();

if (invokedDirectly) {
  runDemo()
    .then((summary) => process.exit(summary.ok ? 0 : 1))
    .catch((error) => {
      console.error('演示失败 demo failed:', error);
      process.exit(1);
    });
}
