import { defineConfig } from 'vitest/config';

/**
 * Two passes (`npm test` runs both): the suite, two files at a time — each integration file starts
 * its own in-memory runtime, a DynamoDB Local JVM, and two cores take two at a time — then
 * `test/isolated/`, the tests that run `npm start`'s whole runtime in a process of its own (one kills
 * it with SIGKILL holding a hundred cases) and each `npm run bench` at a small size, alone, so that
 * neither starves the other.
 */
export const isolated = 'test/isolated/**';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/chromium-setup.ts'],
    setupFiles: ['test/support/pinned-clock.ts'],
    reporters: ['default', './test/support/slowest-files.ts'],
    exclude: [isolated, '**/node_modules/**'],
    // Upper bounds, not expectations: with both cores busy (npm run test:stress) a lifecycle test
    // that takes 20 s on a quiet machine takes a minute and more. A busy machine is slow, not wrong.
    testTimeout: 180_000,
    // Lambda timeouts ×6 locally (local/lambda.ts, localTimeoutScale): under the stress run's load, a
    // flood of forty submissions once took a handler past AWS's 10 s and failed the rate-limit test.
    env: { DOUDI_TIMEOUT_SCALE: '6' },
    hookTimeout: 180_000,
    maxWorkers: 2,
    pool: 'forks',
  },
});
