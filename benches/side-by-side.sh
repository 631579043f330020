#!/usr/bin/env bash
# Side by side with newsboat on the same generated articles, each in a 120x40 tmux pane:
# launch to headlines on screen, and peak memory (VmHWM). Needs tmux, bc and newsboat
# (`apt-get install newsboat`). Usage: benches/side-by-side.sh COUNT [RUNS]
set -euo pipefail
count=${1:?usage: benches/side-by-side.sh COUNT [RUNS]}
runs=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${TMPDIR:-/tmp}/broadsheet-side-by-side-$count
mkdir -p "$work/articles" "$work/newsboat" "$work/data"
cd "$root"
cargo build --release --quiet --examples --bins
if [ -z "$(ls -A "$work/articles")" ]; then
    target/release/examples/generate "$work/articles" "$count" 1
fi
nb=$work/newsboat
if [ ! -f "$nb/cache.db" ]; then
    target/release/examples/feed "$nb/feed.xml" "$count" 1
    echo "file://$nb/feed.xml" > "$nb/urls"
    : > "$nb/config"
    newsboat -u "$nb/urls" -c "$nb/cache.db" -C "$nb/config" -x reload
fi
first=$(target/release/broadsheet --articles "$work/articles" list | head -1 | cut -f3 | cut -c1-30)

now() { date +%s.%N; }
wait_for() { while ! tmux capture-pane -p -t "$1" 2>/dev/null | grep -qF "$2"; do sleep 0.005; done; }
peak() { awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$1/status"; }
# Starts a command in a fresh 120x40 session and prints its process id.
launch() {
    tmux kill-session -t "$1" 2>/dev/null || true
    tmux new-session -d -s "$1" -x 120 -y 40 "exec $2"
    tmux display -p -t "$1" '#{pane_pid}'
}

for run in $(seq 0 "$runs"); do
    # Run 0 warms the caches and is not reported.
    start=$(now)
    pid=$(launch nb "newsboat -u $nb/urls -c $nb/cache.db -C $nb/config")
    wait_for nb "London Daily"
    feeds=$(now)
    tmux send-keys -t nb Enter
    wait_for nb "$first"
    items=$(now)
    [ "$run" -gt 0 ] && echo "newsboat   run $run: feed list $(echo "$feeds - $start" | bc) s + headlines $(echo "$items - $feeds" | bc) s = $(echo "$items - $start" | bc) s, peak $(peak "$pid") MiB"
    tmux kill-session -t nb

    start=$(now)
    pid=$(launch bs "env XDG_DATA_HOME=$work/data $root/target/release/broadsheet --articles $work/articles")
    wait_for bs "unread"
    shown=$(now)
    at_first=$(peak "$pid")
    # The status bar says `indexing` from the frame after the first: wait for it (2 s at
    # most), then for it to go.
    for _ in $(seq 1 400); do
        tmux capture-pane -p -t bs | grep -q "indexing" && break
        sleep 0.005
    done
    while tmux capture-pane -p -t bs | grep -q "indexing"; do sleep 0.05; done
    ready=$(now)
    [ "$run" -gt 0 ] && echo "broadsheet run $run: headlines $(echo "$shown - $start" | bc) s (peak $at_first MiB then); index and links ready at $(echo "$ready - $start" | bc) s, peak $(peak "$pid") MiB"
    tmux kill-session -t bs
done
