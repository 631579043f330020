#!/usr/bin/env bash
# Launch to headlines in a 120x40 tmux pane, whole process, for one or more builds of the
# reader run in turn on the same folder (so that a noisy machine weighs on each alike); then,
# once indexing is done, the CPU the idle reader uses over 10 s (IDLE=0 leaves that out).
# Needs tmux and bc.
# Usage: benches/launch.sh DIR RUNS BINARY [BINARY...]
# Run 0 of each build fills the caches and is not reported.
set -euo pipefail
dir=${1:?usage: benches/launch.sh DIR RUNS BINARY [BINARY...]}
runs=${2:?usage: benches/launch.sh DIR RUNS BINARY [BINARY...]}
shift 2
ticks=$(getconf CLK_TCK)

now() { date +%s.%N; }
wait_for() { while ! tmux capture-pane -p -t "$1" 2>/dev/null | grep -qF "$2"; do sleep 0.005; done; }
# User and system CPU of a process so far, in clock ticks.
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }

for run in $(seq 0 "$runs"); do
    for binary in "$@"; do
        tmux kill-session -t launch 2>/dev/null || true
        start=$(now)
        tmux new-session -d -s launch -x 120 -y 40 "exec $binary --articles $dir"
        wait_for launch "unread"
        shown=$(now)
        pid=$(tmux display -p -t launch '#{pane_pid}')
        if [ "$run" -gt 0 ] && [ "${IDLE:-1}" = 0 ]; then
            echo "$binary run $run: headlines $(echo "$shown - $start" | bc) s"
        elif [ "$run" -gt 0 ]; then
            # Idle: wait for indexing to start and end, then count the CPU used in 10 s.
            for _ in $(seq 1 400); do
                tmux capture-pane -p -t launch | grep -q "indexing" && break
                sleep 0.005
            done
            while tmux capture-pane -p -t launch | grep -q "indexing"; do sleep 0.1; done
            sleep 1
            before=$(cpu "$pid")
            sleep 10
            after=$(cpu "$pid")
            idle=$(echo "($after - $before) * 1000 / $ticks" | bc)
            echo "$binary run $run: headlines $(echo "$shown - $start" | bc) s; idle 10 s: $idle ms CPU"
        fi
        tmux kill-session -t launch
    done
done
