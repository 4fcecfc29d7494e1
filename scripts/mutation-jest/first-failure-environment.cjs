// Jest test environment for scripts/mutation-decide.mjs: once a test of the file has
// failed under the applied mutant (it is killed), the file's remaining tests are skipped.
const { TestEnvironment } = require('jest-environment-node');

class FirstFailureEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    if (event.name === 'test_start' && this.failed) event.test.mode = 'skip';
    else if (event.name === 'test_fn_failure' || event.name === 'hook_failure') this.failed = true;
  }
}

module.exports = FirstFailureEnvironment;
