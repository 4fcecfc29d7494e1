// Jest test sequencer for scripts/mutation-decide.mjs: runs the test files in the order
// given in MUTATION_ORDER (a JSON list of paths; fastest first, so that with --bail a
// killing file is usually found early).
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

class OrderedSequencer extends Sequencer {
  sort(tests) {
    const order = JSON.parse(process.env.MUTATION_ORDER ?? '[]').map((p) => path.resolve(p));
    const rank = (t) => (order.indexOf(t.path) < 0 ? order.length : order.indexOf(t.path));
    return tests.slice().sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = OrderedSequencer;
