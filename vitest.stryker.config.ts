// Vitest config for mutation testing (npm run mutate): the tests that exercise src/rl, src/eval and
// src/lm, without those that load the shipped checkpoint into ONNX Runtime (trainer smoke runs, the run
// controller, stored rows, the balanced set, the policy): each would add seconds to every mutant,
// and the scripted-policy tests (test/rl/trainer-exact.test.ts) check the same paths exactly.
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
      'test/app/*.property.test.ts',
    ],
    exclude: [
      'test/e2e/**',
      'node_modules/**',
      'test/rl/trainer.test.ts',
      'test/rl/run-controller.test.ts',
      'test/rl/stored-rows.test.ts',
      'test/eval/balanced.test.ts',
    ],
    environment: 'node',
    testTimeout: 60_000,
  },
});
