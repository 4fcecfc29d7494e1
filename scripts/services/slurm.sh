#!/bin/sh
# A single-node Slurm cluster for the tests of `bitspike sweep --executor slurm`:
# munged (authentication), slurmctld (controller) and slurmd (node daemon) on this
# machine, installed from Debian's slurm-wlm and munge packages when missing.
# Everything lives under .cache/services/slurm/ (slurm.conf, state, spool, logs); the
# tests read its path from .cache/services/slurm/env. munged runs as the munge user,
# which may not be able to enter the checkout (a clone in a mode-700 temporary folder),
# so its socket, pid, log and seed live in /tmp/bitspike-munge-<hash of the checkout path>
# (SLURM_CONF=...). The node offers this machine's cores (select/cons_tres, one
# core per task by default), so a job array's tasks run side by side.
#   sh scripts/services/slurm.sh start | stop
set -e
cd "$(dirname "$0")/../.."
root=$(pwd)
dir="$root/.cache/services/slurm"
conf="$dir/slurm.conf"
mdir="/tmp/bitspike-munge-$(printf '%s' "$root" | cksum | cut -d' ' -f1)"

stop_pid() {
  [ -f "$1" ] || return 0
  pid=$(cat "$1" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  fi
  rm -f "$1"
}

if [ "$1" = "stop" ]; then
  stop_pid "$dir/slurmd.pid"
  stop_pid "$dir/slurmctld.pid"
  stop_pid "$mdir/munged.pid"
  rm -rf "$mdir"
  exit 0
fi
[ "$1" = "start" ] || { echo "usage: slurm.sh start|stop" >&2; exit 2; }

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 || ! command -v sbatch >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "slurm.sh: Slurm is missing and cannot be installed here; install the Debian packages slurm-wlm and munge" >&2
    exit 1
  fi
  echo "slurm.sh: installing slurm-wlm and munge from Debian" >&2
  apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge >/dev/null ||
    { echo "slurm.sh: apt-get install slurm-wlm munge failed" >&2; exit 1; }
fi

# A clean start: daemons from an earlier run are stopped, their state removed.
sh "$0" stop
rm -rf "$dir"
mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$mdir"
chmod 755 "$dir" "$mdir"

# munge: the key Debian's package created, else a new one; munged runs as the munge user.
key=/etc/munge/munge.key
if [ ! -s "$key" ]; then mungekey --create --keyfile="$key" --force >/dev/null; chown munge:munge "$key"; chmod 600 "$key"; fi
chown munge:munge "$mdir"
socket="$mdir/munge.socket.2"
su -s /bin/sh munge -c "munged --socket=$socket --pid-file=$mdir/munged.pid --log-file=$mdir/munged.log --seed-file=$mdir/munged.seed --key-file=$key"

host=$(hostname -s)
# Ports of this checkout's own (two consecutive, from a hash of its path), so that two
# checkouts testing on one machine never talk to each other's controller.
port=$((20000 + $(printf '%s' "$root" | cksum | cut -d' ' -f1) % 5000 * 2))
cpus=$(nproc)
mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.8 }' /proc/meminfo)
cat > "$conf" <<CONF
# Written by scripts/services/slurm.sh: controller and node on this machine.
ClusterName=bitspike-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=10
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
echo "SLURM_CONF=$conf" > "$dir/env"

SLURM_CONF="$conf" slurmctld -f "$conf"
SLURM_CONF="$conf" slurmd -f "$conf"
# Ready when the node reports idle.
i=0
until SLURM_CONF="$conf" sinfo -h -o %T 2>/dev/null | grep -q idle; do
  i=$((i + 1))
  if [ $i -gt 150 ]; then
    echo "slurm.sh: the Slurm node did not come up within 30 s (see $dir/log/)" >&2
    exit 1
  fi
  sleep 0.2
done
