#!/usr/bin/env bash
# The reader's memory on a folder: launches it in a 120x40 tmux pane, prints VmRSS and VmHWM
# every second until the status bar no longer says `indexing`, then once more, and quits.
# Launch it once before measuring, so that the headers cache is filled.
# Usage: benches/reader-memory.sh DIR [SECONDS]
set -euo pipefail
dir=${1:?usage: benches/reader-memory.sh DIR [SECONDS]}
limit=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/target/release/broadsheet
tmux kill-session -t bs-memory 2>/dev/null || true
tmux new-session -d -s bs-memory -x 120 -y 40 "$bin --articles $dir"
sleep 0.5
pid=$(pgrep -n -x broadsheet)
memory() { grep -E 'VmHWM|VmRSS' "/proc/$pid/status" | tr -s ' \t' ' ' | tr '\n' ' '; }
for second in $(seq 1 "$limit"); do
    sleep 1
    status=$(tmux capture-pane -p -t bs-memory | tail -1 | tr -s ' ')
    echo "$second s: $(memory)| ${status:0:60}"
    case $status in *indexing*) ;; *) break ;; esac
done
sleep 1
echo "settled: $(memory)"
tmux send-keys -t bs-memory q
sleep 0.3
tmux kill-session -t bs-memory 2>/dev/null || true
