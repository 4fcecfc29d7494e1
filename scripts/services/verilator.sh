#!/bin/sh
# Verilator and yosys for the RTL twin (hw/rtl): the co-simulation tests compile the
# SystemVerilog with verilator, the gate counts come from yosys. `start` installs the
# Debian packages when a tool is missing; nothing runs in the background, so `stop`
# has nothing to do. Fails with one line naming the packages when it cannot install.
set -e
case "$1" in
  start)
    missing=""
    command -v verilator >/dev/null 2>&1 || missing="$missing verilator"
    command -v yosys >/dev/null 2>&1 || missing="$missing yosys"
    [ -z "$missing" ] && exit 0
    if [ "$(id -u)" != 0 ]; then
      echo "verilator.sh: missing$missing; install with: sudo apt-get install -y$missing (Debian packages)" >&2
      exit 2
    fi
    # Other services may install at the same time: wait for the dpkg lock instead of failing.
    if ! { apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq $missing >/dev/null 2>&1; }; then
      echo "verilator.sh: could not install$missing with apt-get; install the Debian packages$missing by hand" >&2
      exit 2
    fi
    ;;
  stop) ;;
  *)
    echo "usage: verilator.sh start|stop" >&2
    exit 2
    ;;
esac
