// Mutation testing of the trainer's maths and the parsers (npm run mutate): a benchmark of how many
// one-line bugs the unit tests catch, not a CI gate. Reports land in reports/mutation (gitignored).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  coverageAnalysis: 'perTest',
  mutate: ['src/rl/**/*.ts', 'src/eval/**/*.ts', 'src/lm/**/*.ts'],
  // Build outputs and browser test artifacts (written while other runs are going) stay out of the sandbox.
  ignorePatterns: [
    'dist',
    'test-results',
    'playwright-report',
    'coverage',
    'scratch',
    'public/ort',
    '.vite',
    'reports',
  ],
  // Mutants of module-level constants (defaults, preset tables) would rerun every test each; they are
  // reported as ignored rather than counted.
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 5_000,
  reporters: ['html', 'json', 'clear-text', 'progress-append-only'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  incrementalFile: 'reports/stryker-incremental.json',
  tempDirName: 'reports/.stryker-tmp',
  cleanTempDir: true,
  // TypeScript 7 has no JS API for Stryker's tsconfig rewriter; the tsconfig needs no rewrite (no
  // extends/references outside the repo), so point the rewriter at a file that does not exist.
  tsconfigFile: 'tsconfig.stryker-skip.json',
};
