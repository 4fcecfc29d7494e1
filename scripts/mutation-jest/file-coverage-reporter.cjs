// Jest reporter for scripts/mutation-decide.mjs: writes, per test file, whether it passed,
// how long it took, and which statements and functions of src/ it executed (istanbul
// coverage mapped back to the TypeScript lines and columns), so that each mutant can be
// run against only the test files that reach it.
const fs = require('fs');
const path = require('path');
const { createSourceMapStore } = require('istanbul-lib-source-maps');
const { createCoverageMap } = require('istanbul-lib-coverage');

class FileCoverageReporter {
  constructor() {
    this.out = process.env.MUTATION_COVERAGE_OUT;
    this.results = [];
  }

  onTestResult(test, result) {
    this.results.push({ file: result.testFilePath, passed: result.numFailingTests === 0 && !result.testExecError, seconds: (result.perfStats.end - result.perfStats.start) / 1000, coverage: result.coverage });
  }

  async onRunComplete() {
    const root = process.cwd();
    const files = {};
    for (const r of this.results) {
      const mapped = await createSourceMapStore().transformCoverage(createCoverageMap(r.coverage ?? {}));
      const src = {};
      for (const f of mapped.files()) {
        const c = mapped.fileCoverageFor(f).toJSON();
        const loc = (l) => [l.start.line, l.start.column, l.end.line, l.end.column];
        const s = Object.keys(c.statementMap).map((id) => [...loc(c.statementMap[id]), c.s[id]]);
        const fn = Object.keys(c.fnMap).map((id) => [...loc(c.fnMap[id].loc), c.f[id]]);
        src[path.relative(root, f)] = { s, f: fn };
      }
      files[path.relative(root, r.file)] = { passed: r.passed, seconds: r.seconds, src };
    }
    fs.mkdirSync(path.dirname(this.out), { recursive: true });
    fs.writeFileSync(this.out, JSON.stringify(files));
  }
}

module.exports = FileCoverageReporter;
