import { defineConfig } from 'vitest/config';
import suite, { isolated } from './vitest.config.ts';

/** `test/isolated/` one file at a time, after the suite (see vitest.config.ts). */
export default defineConfig({
  test: { ...suite.test, include: [isolated], exclude: ['**/node_modules/**'], maxWorkers: 1 },
});
