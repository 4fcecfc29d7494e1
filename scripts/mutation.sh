#!/bin/sh
# Mutation testing (StrykerJS) over src/chip, src/sim and src/learning: each mutant is
# a small plausible bug injected into one file; a mutant the tests do not catch
# ("survived") points at behaviour no test pins. Scope a run with
#   MUTATE='src/chip/io-port.ts' TESTS='test/unit/chip/io-lanes.test.ts' sh scripts/mutation.sh
# The score and every surviving mutant are printed; reports/mutation/mutation.json
# keeps them. The full run (every file against the whole suite) takes hours.
set -e
cd "$(dirname "$0")/.."
npx stryker run stryker.config.mjs
