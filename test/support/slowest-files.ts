/**
 * A vitest reporter that ends a run with its ten slowest test files, so that the suite's time is
 * seen as it grows. A file over the budget is marked: split it or make it cheaper.
 */
import type { Reporter, TestModule } from 'vitest/node';

export const FILE_BUDGET_MS = 60_000;

export default class SlowestFiles implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const rows = modules
      .map((m) => {
        const d = m.diagnostic();
        return { file: m.relativeModuleId, ms: d.setupDuration + d.collectDuration + d.duration };
      })
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 10);
    if (!rows.length) return;
    const lines = rows.map(({ file, ms }) => {
      const over =
        ms > FILE_BUDGET_MS ? `  ← over ${FILE_BUDGET_MS / 1000} s: split it or make it cheaper` : '';
      return `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}${over}`;
    });
    process.stdout.write(`\n最慢的测试文件 (slowest test files):\n${lines.join('\n')}\n`);
  }
}
