// Jest test sequencer for sampled mutation runs (stryker.config.mjs): while Stryker runs
// a mutant (its id is in __STRYKER_ACTIVE_MUTANT__), keep only the test files whose tests
// executed that mutant in the first run (recorded by ./record-coverage.cjs). Stryker
// still selects the tests inside them by name; this only spares loading the others.
const fs = require('fs');
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

const MAP = path.resolve(__dirname, '..', '..', '.mutation-file-coverage.jsonl');

class CoveringFilesSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const id = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (id === undefined || !fs.existsSync(MAP)) return sorted;
    const files = new Set();
    for (const line of fs.readFileSync(MAP, 'utf8').split('\n')) {
      if (line === '') continue;
      const { file, ids } = JSON.parse(line);
      if (ids.includes(id)) files.add(file);
    }
    // Smallest files first: a killing test is usually found sooner, and the mutant's
    // remaining tests are then skipped (./bail-environment.cjs).
    const size = (t) => fs.statSync(t.path).size;
    const kept = sorted.filter((t) => files.has(t.path)).sort((a, b) => size(a) - size(b));
    // No recorded file (coverage seen outside a test): fall back to every related file.
    return kept.length > 0 ? kept : sorted;
  }
}

module.exports = CoveringFilesSequencer;
