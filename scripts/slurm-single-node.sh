#!/usr/bin/env bash
# A private, single-node Slurm on this machine: to try corridor's job arrays without a cluster,
# and for tests/slurm.rs. Debian 12 (Slurm 22.05), as root:
#
#   apt-get install -y slurmctld slurmd slurm-client munge
#   scripts/slurm-single-node.sh start DIR    # config, state, logs and pid files in DIR
#   export SLURM_CONF=DIR/slurm.conf          # sbatch, squeue, sinfo now talk to it
#   ...                                       # e.g. scripts/slurm-array.sh
#   scripts/slurm-single-node.sh stop DIR     # stops what start started, by pid
#
# It leaves /etc/slurm alone (the configuration is DIR/slurm.conf, found through SLURM_CONF)
# and listens on ports 16817 and 16818 (or $CTLD_PORT and $SLURMD_PORT), clear of a system Slurm. No cgroups, no accounting
# database. munged is started only if none is running (with Debian's key, created if missing).
set -euo pipefail

cmd=${1:?usage: $0 start|stop DIR}
dir=${2:?usage: $0 start|stop DIR}

stop_pid() { # stop_pid PIDFILE: TERM, then wait up to 10 s for it to go
    [ -s "$1" ] || return 0
    local pid
    pid=$(cat "$1")
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
}

case $cmd in
start)
    [ "$(id -u)" = 0 ] || { echo "$0: needs root (slurmd runs jobs as their user)" >&2; exit 1; }
    for bin in slurmctld slurmd munged; do
        [ -x "/usr/sbin/$bin" ] || { echo "$0: /usr/sbin/$bin missing: apt-get install -y slurmctld slurmd slurm-client munge" >&2; exit 1; }
    done
    mkdir -p "$dir/spool" "$dir/state"
    dir=$(cd "$dir" && pwd)
    host=$(hostname -s)
    cat >"$dir/slurm.conf" <<CONF
ClusterName=corridor
SlurmctldHost=$host
SlurmctldPort=${CTLD_PORT:-16817}
SlurmdPort=${SLURMD_PORT:-16818}
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
SlurmUser=root
SlurmdUser=root
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmdSpoolDir=$dir/spool
StateSaveLocation=$dir/state
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
    if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
        mkdir -p /run/munge && chown munge:munge /run/munge
        if [ ! -f /etc/munge/munge.key ]; then
            dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
            chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
        fi
        su -s /bin/sh munge -c /usr/sbin/munged
        cp /run/munge/munged.pid "$dir/munged.pid"
    fi
    export SLURM_CONF=$dir/slurm.conf
    /usr/sbin/slurmctld
    /usr/sbin/slurmd
    for _ in $(seq 60); do
        if sinfo -h -o %t 2>/dev/null | grep -q idle; then
            echo "export SLURM_CONF=$dir/slurm.conf"
            exit 0
        fi
        sleep 1
    done
    echo "$0: the node did not come up in 60 s; see $dir/slurmctld.log and $dir/slurmd.log" >&2
    exit 1
    ;;
stop)
    stop_pid "$dir/slurmd.pid"
    stop_pid "$dir/slurmctld.pid"
    stop_pid "$dir/munged.pid"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
