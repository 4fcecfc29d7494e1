// StrykerJS mutation testing over the cycle model and the shared learning code
// (scripts/mutation.sh runs it). MUTATE (comma-separated globs or file:line:col-line:col
// ranges) narrows the mutated code and TESTS (comma-separated globs of test files) the
// jest tests run against each mutant; by default every file of src/chip, src/sim and
// src/learning against the whole suite, which takes many hours on a small machine.
// MUTATION_SAMPLE_FILE (written by scripts/mutation-sample.mjs) restricts the run to a
// random sample of mutants. Each mutant runs only the tests that executed it in the
// first run (perTest coverage), loading only the test files that hold those tests.
import jestConfig from './jest.config.js';

const sampleFile = process.env.MUTATION_SAMPLE_FILE;
const mutate = (process.env.MUTATE ?? 'src/chip/**/*.ts,src/sim/**/*.ts,src/learning/**/*.ts').split(',');
const tests = process.env.TESTS;

export default {
  mutate,
  testRunner: 'jest',
  plugins: ['@stryker-mutator/*', './scripts/stryker-sample-ignorer.mjs'],
  ignorers: sampleFile ? ['mutation-sample'] : [],
  jest: {
    projectType: 'custom',
    // src is a root so that jest's findRelatedTests sees the import graph from test to src.
    config: {
      ...jestConfig,
      roots: ['<rootDir>/src', '<rootDir>/test'],
      // Record which test files executed each mutant, then run only those files per mutant.
      setupFilesAfterEnv: ['<rootDir>/scripts/mutation-jest/record-coverage.cjs'],
      testSequencer: '<rootDir>/scripts/mutation-jest/covering-files-sequencer.cjs',
      // Stryker resolves the environment itself, from the sandbox directory.
      testEnvironment: './scripts/mutation-jest/bail-environment.cjs',
      ...(tests ? { testMatch: tests.split(',').map((t) => `<rootDir>/${t}`) } : {}),
    },
    enableFindRelatedTests: true,
  },
  checkers: [],
  coverageAnalysis: 'perTest',
  // Mutants reached only while a module loads would need the whole suite each.
  ignoreStatic: process.env.IGNORE_STATIC === '1',
  incremental: process.env.INCREMENTAL === '1',
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json', 'progress-file'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 1),
  timeoutMS: 60000,
  dryRunTimeoutMinutes: 90,
  ignorePatterns: ['dist', 'runs', 'reports', 'hw/rtl/obj_dir', '.cache', 'build'],
};
