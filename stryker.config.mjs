// StrykerJS mutation testing over the cycle model and the shared learning code
// (scripts/mutation.sh runs it). MUTATE (comma-separated globs) narrows the mutated
// files and TESTS (comma-separated globs of test files) the jest tests run against
// each mutant; by default every file of src/chip, src/sim and src/learning against
// the whole suite, which takes hours on a small machine.
import jestConfig from './jest.config.js';

const mutate = (process.env.MUTATE ?? 'src/chip/**/*.ts,src/sim/**/*.ts,src/learning/**/*.ts').split(',');
const tests = process.env.TESTS;

export default {
  mutate,
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    config: tests ? { ...jestConfig, testMatch: tests.split(',').map((t) => `<rootDir>/${t}`) } : jestConfig,
    enableFindRelatedTests: false,
  },
  checkers: [],
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 60000,
  ignorePatterns: ['dist', 'runs', 'reports', 'hw/rtl/obj_dir'],
};
