#!/usr/bin/env bash
# A real Slurm cluster on this machine, for the render-farm tests and for trying the farm locally:
# one slurmctld and three slurmd on loopback (gpu1 and gpu2 with fake GPUs, cpu1 without), munge on a private
# socket, every state, log and pid file under one folder. Debian 12's Slurm 22.05 and munge from apt.
#
#   releng/slurm-cluster.sh start DIR    # prints the SLURM_CONF to export
#   releng/slurm-cluster.sh stop DIR     # stops exactly the daemons it started (by their pid files)
set -euo pipefail
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

stop() {
  for pidfile in "$dir"/run/*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

if [ "$cmd" = stop ]; then stop; exit 0; fi
[ "$cmd" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

need=()
for p in slurmctld slurmd slurm-client munge; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
stop # a cluster left running in this folder

mkdir -p "$dir"/{run,log,spool/ctld,spool/gpu1,spool/gpu2,spool/cpu1,munge}
chmod 700 "$dir/munge"
[ -f "$dir/munge/munge.key" ] || { dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none; }
chmod 400 "$dir/munge/munge.key"
user=$(id -un)
# ports from the folder's path, so that two clusters on one machine (two CI runs) do not collide
base=$(( 17000 + $(printf '%s' "$dir" | cksum | cut -d' ' -f1) % 2000 * 4 ))
cores=$(nproc)

cat > "$dir/slurm.conf" <<CONF
ClusterName=portraitgen
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$base
SlurmUser=$user
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/spool/ctld
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
GresTypes=gpu
ReturnToService=2
MinJobAge=3600
SchedulerType=sched/builtin
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=gpu1 NodeAddr=127.0.0.1 Port=$((base + 1)) CPUs=$cores RealMemory=8000 Gres=gpu:1 State=UNKNOWN
NodeName=gpu2 NodeAddr=127.0.0.1 Port=$((base + 2)) CPUs=$cores RealMemory=8000 Gres=gpu:1 State=UNKNOWN
NodeName=cpu1 NodeAddr=127.0.0.1 Port=$((base + 3)) CPUs=$cores RealMemory=8000 State=UNKNOWN
PartitionName=studio Nodes=gpu1,gpu2,cpu1 Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
# any existing device file stands in for a GPU with task/none; real hosts list /dev/nvidia*
cat > "$dir/gres.conf" <<CONF
NodeName=gpu1 Name=gpu File=/dev/null
NodeName=gpu2 Name=gpu File=/dev/null
CONF
export SLURM_CONF=$dir/slurm.conf

munged --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
  --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munge.seed" --force
slurmctld -f "$SLURM_CONF"
for n in gpu1 gpu2 cpu1; do slurmd -f "$SLURM_CONF" -N "$n"; done

for _ in $(seq 100); do
  if [ "$(sinfo -h -o '%T' 2>/dev/null | grep -cE '^idle')" -ge 1 ] && \
     [ "$(sinfo -h -N -o '%N %T' 2>/dev/null | grep -c idle)" -eq 3 ]; then
    echo "SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 0.2
done
echo "slurm-cluster: the cluster did not come up; logs in $dir/log" >&2
sinfo -N >&2 || true
exit 1
