#!/bin/sh
# `npm test`: bring up the system tools and services the tests use (each
# scripts/services/<name>.sh installs its tool from Debian's packages when it is
# missing and starts what must run), type-check, run jest, then stop every service
# that was started, also when the tests fail or the run is interrupted.
#
# A service script takes one argument, `start` or `stop`; `start` exits non-zero
# with a one-line message saying how to get the tool when it cannot install it,
# so the tests never pass silently without it.
set -e
cd "$(dirname "$0")/.."
started=""
stop_services() {
  for s in $started; do sh "scripts/services/$s" stop || true; done
}
trap stop_services EXIT
trap 'exit 130' INT TERM
for f in scripts/services/*.sh; do
  [ -e "$f" ] || continue
  name=$(basename "$f")
  sh "$f" start
  started="$name $started"
done
npx tsc -p .  # type-check and build dist/, which the process tests (test/process) run
npx jest "$@"
