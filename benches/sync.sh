#!/usr/bin/env bash
# A first sync from a real FreshRSS on 127.0.0.1, then one with nothing new, then 1,000 read
# marks sent: FEEDS feeds of ITEMS items each, served by python's http.server from files this
# script writes. Needs php (see ../shared/freshrss/README.md) and a release build.
#   benches/sync.sh FRESHRSS_DIR [FEEDS] [ITEMS]      (defaults 200 and 50)
set -euo pipefail
freshrss=${1:?usage: benches/sync.sh FRESHRSS_DIR [FEEDS] [ITEMS]}
feeds=${2:-200}
items=${3:-50}
bin="$(cd "$(dirname "$0")/.." && pwd)/target/release/broadsheet"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port_feeds=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
port_server=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
site="http://127.0.0.1:$port_feeds"
mkdir -p "$work/site"
python3 - "$work/site" "$site" "$feeds" "$items" <<'PY'
import sys
out, site, feeds, items = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
body = " ".join(["The council met on Monday and agreed the plan for the harbour wall."] * 12)
for f in range(feeds):
    entries = "".join(
        f"<item><title>Feed {f} story {i}</title><link>{site}/p/{f}/{i}</link><guid>{f}-{i}</guid>"
        f"<pubDate>Mon, 03 Mar 2025 {i % 24:02d}:{f % 60:02d}:00 +0000</pubDate>"
        f"<description>&lt;p&gt;{body}&lt;/p&gt;</description></item>"
        for i in range(items))
    open(f"{out}/feed{f}.xml", "w").write(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {f}</title>'
        f"<link>{site}/</link><description>d</description>{entries}</channel></rss>")
PY
(cd "$work/site" && python3 -m http.server "$port_feeds" --bind 127.0.0.1 >/dev/null 2>&1) &
# setup's `php -m | grep -q` check fails now and then under pipefail: tried again.
for _ in 1 2 3 4 5 6 7 8 9 10; do
  "$freshrss/setup" "$work/data" "http://127.0.0.1:$port_server" >/dev/null 2>&1 && break
done
(DATA_PATH="$work/data" PHP_CLI_SERVER_WORKERS=2 php -S "127.0.0.1:$port_server" -t "$freshrss/src/p" >/dev/null 2>&1) &
api="http://127.0.0.1:$port_server/api/greader.php"
for _ in $(seq 50); do
  auth=$(curl -s -d Email=reader -d Passwd=reader-api-pass "$api/accounts/ClientLogin" | sed -n 's/^Auth=//p') && [ -n "$auth" ] && break
  sleep 0.1
done
echo "subscribing to $feeds feeds ($items items each)..." >&2
start=$(date +%s)
for f in $(seq 0 $((feeds - 1))); do
  curl -s -H "Authorization: GoogleLogin auth=$auth" -d ac=subscribe -d "s=feed/$site/feed$f.xml" \
    -d "a=user/-/label/Folder $((f % 20))" "$api/reader/api/0/subscription/edit" >/dev/null
done
echo "subscribed in $(( $(date +%s) - start )) s" >&2
mkdir -p "$work/home/articles"
cat > "$work/home/config.toml" <<TOML
articles_dir = "articles"
bookmarks_file = "data/bookmarks.toml"
feeds_file = "feeds"
[sync]
server = "$api"
user = "reader"
TOML
cd "$work/home"
export BROADSHEET_SYNC_PASSWORD=reader-api-pass XDG_CACHE_HOME="$work/home/cache"
run() { /usr/bin/time -f "%e s, peak %M KB" "$bin" --config config.toml sync 2>&1 | tail -2; }
echo "first sync:"; run
echo "nothing new:"; run
"$bin" --config config.toml list | head -1000 | cut -f1 | xargs "$bin" --config config.toml mark-read >/dev/null
echo "1,000 read marks sent:"; run
