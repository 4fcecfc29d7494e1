#!/bin/sh
# Headless Chromium for the report tests (driven by playwright-core at
# /usr/bin/chromium; no browser is ever downloaded): installed from Debian's chromium
# package when missing. Nothing runs between tests: each test starts its own browser
# with a fresh profile, so `stop` has nothing to do.
#   sh scripts/services/chromium.sh start | stop
set -e
[ "$1" = "stop" ] && exit 0
[ "$1" = "start" ] || { echo "usage: chromium.sh start|stop" >&2; exit 2; }
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium.sh: /usr/bin/chromium is missing and cannot be installed here; install the Debian package chromium" >&2
  exit 1
fi
echo "chromium.sh: installing chromium from Debian" >&2
apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null ||
  { echo "chromium.sh: apt-get install chromium failed" >&2; exit 1; }
