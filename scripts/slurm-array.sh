#!/usr/bin/env bash
# A corridor command split over a Slurm job array, then merged by a job that waits for it
# (docs/cluster.md explains each step):
#
#   scripts/slurm-array.sh SHARDS OUT VERB ARGS...
#   scripts/slurm-array.sh 8 results/bamako run scenarios/bamako_2025.toml --runs 1000000
#
# submits an array of SHARDS tasks, task i playing shard i+1 of SHARDS
#   corridor VERB ARGS --shard auto --shards SHARDS --out OUT/parts/shard-<i>.partial
# and a job that starts when every task has succeeded (afterok) and merges them:
#   corridor merge OUT/parts/shard-*.partial --out OUT/result
# Logs go to OUT/logs. It prints the two job ids. Environment:
#   CORRIDOR     the corridor binary (default: corridor on PATH)
#   SBATCH_FLAGS more flags for both sbatch calls (partition, account, time, cpus-per-task …)
#   WAIT=1       return when the merge job has ended: 0 if it completed, 1 if not
set -euo pipefail

shards=${1:?usage: $0 SHARDS OUT VERB ARGS...}
out=${2:?usage: $0 SHARDS OUT VERB ARGS...}
shift 2
[ $# -gt 0 ] || { echo "usage: $0 SHARDS OUT VERB ARGS..." >&2; exit 2; }
corridor=${CORRIDOR:-corridor}
mkdir -p "$out/parts" "$out/logs"

# The command each task runs; $SLURM_ARRAY_TASK_ID is expanded by the task itself.
task=$(printf '%q ' "$corridor" "$@" --shard auto --shards "$shards" --quiet)
task+="--out $(printf '%q' "$out")/parts/shard-\$SLURM_ARRAY_TASK_ID.partial"

# shellcheck disable=SC2086 # SBATCH_FLAGS is a list of flags
array=$(sbatch --parsable ${SBATCH_FLAGS:-} --job-name=corridor-shards --array="0-$((shards - 1))" \
    --output="$out/logs/shard-%a.log" --wrap "$task")
array=${array%%;*}

merge="$(printf '%q ' "$corridor" merge) $(printf '%q' "$out")/parts/shard-*.partial --out $(printf '%q' "$out/result")"
# shellcheck disable=SC2086
merge_job=$(sbatch --parsable ${SBATCH_FLAGS:-} --job-name=corridor-merge --dependency="afterok:$array" \
    --kill-on-invalid-dep=yes --output="$out/logs/merge.log" --wrap "$merge")
merge_job=${merge_job%%;*}
echo "array job $array ($shards tasks), merge job $merge_job: results in $out/result"

if [ -n "${WAIT:-}" ]; then
    # scontrol keeps a finished job's state for MinJobAge (300 s by default); poll every second.
    while :; do
        state=$(scontrol show job "$merge_job" -o 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 || true)
        case $state in
        PENDING | CONFIGURING | RUNNING | COMPLETING) sleep 1 ;;
        COMPLETED) exit 0 ;;
        *) echo "merge job $merge_job: ${state:-not found}; see $out/logs" >&2; exit 1 ;;
        esac
    done
fi
