#!/usr/bin/env bash
# The reader's memory while it follows a folder: launches the release binary on DIR in a
# 120x40 tmux pane (with a cache folder of its own), waits until the index is ready, then
# makes CHANGES changes, each a new page moved into DIR/followed or the last one removed
# again (so the folder is back to its size every second change), a pause apart so that the
# watcher hands each over on its own. Prints VmRSS after the first changes and every 100th.
# DIR is written to: use a generated copy.
# Usage: benches/follow-reader.sh DIR [CHANGES] [PAUSE]
set -euo pipefail
dir=${1:?usage: benches/follow-reader.sh DIR [CHANGES] [PAUSE]}
changes=${2:-1000}
pause=${3:-0.4}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/target/release/broadsheet
stage=$(mktemp -d)
cache=$(mktemp -d)
trap 'rm -rf "$stage" "$cache"' EXIT
# The pages to move in, made by the project's generator, away from the folder.
cargo run --quiet --release --example generate -- "$stage/pages" $(( (changes + 1) / 2 )) >/dev/null
mapfile -t pages < <(find "$stage/pages" -name '*.txt' | sort)
mkdir -p "$dir/followed"
tmux kill-session -t bs-follow 2>/dev/null || true
tmux new-session -d -s bs-follow -x 120 -y 40 "XDG_CACHE_HOME=$cache $bin --articles $dir"
sleep 0.5
pid=$(pgrep -n -x broadsheet)
rss() { grep -E 'VmRSS' "/proc/$pid/status" | tr -s ' \t' ' '; }
for _ in $(seq 1 120); do
    sleep 1
    case $(tmux capture-pane -p -t bs-follow | tail -1) in *indexing*) ;; *) break ;; esac
done
sleep 1
echo "indexed: $(rss)"
last=""
for change in $(seq 1 "$changes"); do
    if (( change % 2 == 1 )); then
        last="$dir/followed/page-$change.txt"
        mv "${pages[$(( change / 2 ))]}" "$last"
    else
        rm -f "$last"
    fi
    sleep "$pause"
    if (( change <= 4 || change % 100 == 0 )); then
        echo "after $change changes: $(rss)"
    fi
done
tmux capture-pane -p -t bs-follow | head -1
tmux send-keys -t bs-follow q
sleep 0.3
tmux kill-session -t bs-follow 2>/dev/null || true
