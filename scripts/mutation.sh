#!/bin/sh
# Mutation testing (StrykerJS) over src/chip, src/sim and src/learning: each mutant is
# a small plausible bug injected into one file; a mutant the tests do not catch
# ("survived") points at behaviour no test pins. Also `npm run bench -- mutation`.
#
#   sh scripts/mutation.sh                     every mutant (about 7,000) against the
#                                              whole suite: many hours on a small machine
#   SAMPLE=120 SEED=1 sh scripts/mutation.sh   a seeded random sample, stratified per
#                                              folder; prints the score with its 95% CI
#   MUTATE='src/chip/io-port.ts' TESTS='test/unit/chip/io-lanes.test.ts' sh scripts/mutation.sh
#                                              one file against chosen test files
#   node scripts/mutation-sample.mjs list      count the mutants per folder (no tests run)
#
# Sample mode runs each mutant against the tests that executed it in the first run
# (perTest coverage), in the test files that import its file, one at a time under
# nice. Test files left out because they cannot run inside Stryker's sandbox or do not
# run src/ in-process: test/rtl (Verilator builds), test/process and the two tests that
# start the built CLI (dist/ is not in the sandbox and is not mutated), and the two
# that need the Slurm and Chromium services, and test/unit/map/idle-tiles.test.ts (a CPU-time
# bound that instrumentation breaks). Mutants reached only while a module loads
# ("static") are not run in sample mode (each would need every test file) and are
# counted apart. reports/mutation/ keeps mutation.json, sample.json, sample-score.json.
set -e
cd "$(dirname "$0")/.."
if [ -z "$SAMPLE" ]; then
  exec npx stryker run stryker.config.mjs
fi
node scripts/mutation-sample.mjs pick
rm -rf .mutation-killed
EXCLUDE='^test/rtl/|^test/process/|test/unit/train/host-memory.test.ts|test/unit/explore/sweep.test.ts|test/unit/explore/slurm.test.ts|test/unit/explore/report-browser.test.ts|test/unit/map/idle-tiles.test.ts'
TESTS=$(npx jest --listTests --roots '<rootDir>/src' --roots '<rootDir>/test' --findRelatedTests \
  $(find src/chip src/sim src/learning -name '*.ts' | sort) | sed "s#^$PWD/##" | grep -Ev "$EXCLUDE" | sort | paste -sd, -)
echo "mutation sample: $(echo "$TESTS" | tr ',' '\n' | wc -l) test files"
MUTATE=$(node -e "const s=require('./reports/mutation/sample.json');const r=new Set(s.mutants.map(m=>m.key.split(' ')[0]));console.log([...r].join(','))")
MUTATION_SAMPLE_IDS="$PWD/reports/mutation/sampled-ids.json" MUTATION_SAMPLE_FILE=reports/mutation/sample.json MUTATE="$MUTATE" TESTS="$TESTS" IGNORE_STATIC=1 INCREMENTAL=1 \
  nice -n "${NICE:-15}" npx stryker run stryker.config.mjs
node scripts/mutation-sample.mjs score
