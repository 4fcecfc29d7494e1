// Jest setup file for sampled mutation runs (stryker.config.mjs): during Stryker's first
// run it records which mutants each test file's tests executed, so that the sequencer
// (./covering-files-sequencer.cjs) can run a mutant's covering tests without loading
// every other test file (jest loads a file even when no test in it matches the name filter).
const fs = require('fs');
const path = require('path');

const MAP = path.resolve(__dirname, '..', '..', '.mutation-file-coverage.jsonl');
const names = new Set();

afterEach(() => {
  names.add(expect.getState().currentTestName);
});

afterAll(() => {
  if (process.env.__STRYKER_ACTIVE_MUTANT__ !== undefined) return;
  const perTest = globalThis.__stryker__?.mutantCoverage?.perTest;
  if (perTest === undefined) return;
  const ids = new Set();
  for (const n of names) for (const id of Object.keys(perTest[n] ?? {})) ids.add(id);
  fs.appendFileSync(MAP, JSON.stringify({ file: expect.getState().testPath, ids: [...ids] }) + '\n');
});
