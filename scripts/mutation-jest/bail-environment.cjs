// Jest test environment for sampled mutation runs (stryker.config.mjs). Stryker turns
// jest's bail off and runs every covering test of a mutant; here, once a test has failed
// under the active mutant (it is killed), the mutant's remaining tests are skipped, and
// mutants outside the sample (tested only because they share a node with a sampled one)
// run no test at all. Without an active mutant (Stryker's first run) it is the node
// environment unchanged.
const fs = require('fs');
const path = require('path');
const { TestEnvironment } = require('jest-environment-node');

// Stryker's test runner works in its sandbox directory; each run starts with a fresh one.
const MARKS = path.resolve(process.cwd(), '.mutation-killed');
const idsFile = process.env.MUTATION_SAMPLE_IDS;
let sampled = null;

function isSampled(id) {
  if (idsFile === undefined) return true;
  if (sampled === null && fs.existsSync(idsFile)) sampled = new Set(JSON.parse(fs.readFileSync(idsFile, 'utf8')));
  return sampled === null || sampled.has(id);
}

class BailEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    const id = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (id === undefined) return;
    const mark = path.join(MARKS, id);
    if (event.name === 'test_start') {
      if (!isSampled(id) || fs.existsSync(mark)) event.test.mode = 'skip';
    } else if (event.name === 'test_fn_failure' || event.name === 'hook_failure') {
      fs.mkdirSync(MARKS, { recursive: true });
      fs.writeFileSync(mark, '');
    }
  }
}

module.exports = BailEnvironment;
