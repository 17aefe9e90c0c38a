// Vitest config for mutation testing (npm run mutate): the tests that exercise src/rl, src/eval and
// src/lm, without the stored-rows regression pin (a whole seeded run per mutant, and no behaviour of its own).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/rl/**/*.test.ts',
      'test/eval/**/*.test.ts',
      'test/lm/**/*.test.ts',
      'test/app/urlConfig.test.ts',
      'test/app/fields.test.ts',
      'test/app/page-helpers.test.ts',
      'test/cli/experiments.test.ts',
      'test/coldstart/data.test.ts',
      'test/model/policy.test.ts',
      'test/app/*.property.test.ts',
    ],
    exclude: ['test/e2e/**', 'node_modules/**', 'test/rl/stored-rows.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
