import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites each start a local runtime (a DynamoDB Local JVM); two cores take two at a time.
    maxWorkers: 2,
    pool: 'forks',
  },
});
