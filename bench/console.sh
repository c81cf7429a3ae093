#!/bin/sh
# bench/console.sh — the web console under load, beside nginx serving the same page.
#
# One run: starts `yojin serve` on loopback with a fresh data directory, sets up the company
# and an administrator, stores a diagnosis, logs in, then drives wrk with 64 connections at
#   1. the dashboard (a logged-in page, rendered per request from the database),
#   2. a static asset (/static/app.css),
#   3. nginx serving the same rendered dashboard as a static file,
# and prints requests per second, p99 latency, the ratio to nginx and yojin's peak resident
# memory. Goal (issue "The web console"): >= 50% of nginx's rate, p99 < 20 ms, RSS < 40 MB.
# Timing is printed, never asserted: this is a benchmark, not a test.
set -eu
cd "$(dirname "$0")/.."
BIN=${YOJIN_BIN:-./build/yojin}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
[ -x "$BIN" ] || { echo "bench/console.sh: build first (make build)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench/console.sh: wrk is missing (scripts/deps.sh)" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

TMP=$(mktemp -d /tmp/yj-bench-XXXXXX)
chmod 755 "$TMP"
YPID=""; NPID=""
cleanup() {
    [ -n "$YPID" ] && kill "$YPID" 2>/dev/null || true
    [ -n "$NPID" ] && kill "$NPID" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
YPORT=$(free_port); NPORT=$(free_port)
export YOJIN_DATA="$TMP/data" YOJIN_SHARE="${YOJIN_SHARE:-$PWD/data}"

# A realistic company: one diagnosis stored before the console starts.
"$BIN" diagnose --answers tests/cases/assess/answers-japanese/answers.txt --respondent bench >/dev/null
${YJ_SERVE_WRAP:-} "$BIN" serve --listen "127.0.0.1:$YPORT" >"$TMP/serve.log" 2>&1 &
YPID=$!
for i in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$YPORT/setup" && break
    sleep 0.1
done

# Setup through the form, as a browser would; keep the session cookie.
python3 - "$YPORT" >"$TMP/cookie" <<'PY'
import http.client, re, sys, urllib.parse
port = int(sys.argv[1])
def req(method, path, body=None, cookie=""):
    c = http.client.HTTPConnection("127.0.0.1", port)
    h = {"Cookie": cookie}
    if body is not None:
        h["Content-Type"] = "application/x-www-form-urlencoded"
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    return r, r.read().decode()
r, page = req("GET", "/setup")
pre = [v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie"][0]
csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
pw = "benchmark password 123"
body = urllib.parse.urlencode({"csrf": csrf, "name": "株式会社 ベンチ", "industry": "製造業",
                               "admin_name": "bench", "login": "bench", "password": pw,
                               "password2": pw})
r, out = req("POST", "/setup", body, pre)
if r.status != 303:
    sys.exit("bench: setup failed (%d): %s" % (r.status, re.findall(r'class="notice[^<]*', out)))
sess = [v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie"
        and v.startswith("yj_session=")][0]
print(pre + "; " + sess)
PY
COOKIE=$(cat "$TMP/cookie")
mkdir -p "$TMP/www"
curl -s -H "Cookie: $COOKIE" "http://127.0.0.1:$YPORT/" >"$TMP/www/index.html"
grep -q 'data-total=' "$TMP/www/index.html" || { echo "bench: the dashboard did not render" >&2; exit 1; }

mkdir -p "$TMP/nginx/logs"
cat >"$TMP/nginx/nginx.conf" <<NGX
worker_processes $THREADS;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$NPORT;
        root $TMP/www;
        location / { default_type "text/html; charset=utf-8"; }
    }
}
NGX
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g 'daemon off;' &
NPID=$!
sleep 0.5

run() { # name url [cookie]
    if [ -n "${3:-}" ]; then
        wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -H "Cookie: $3" "$2" >"$TMP/$1.txt"
    else
        wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$2" >"$TMP/$1.txt"
    fi
    rps=$(awk '/Requests\/sec/ {print $2}' "$TMP/$1.txt")
    p99=$(awk '$1=="99%" {print $2}' "$TMP/$1.txt")
    non2xx=$(awk '/Non-2xx/ {print $5}' "$TMP/$1.txt")
    echo "$1 $rps $p99 ${non2xx:-0}"
}
echo "wrk: $THREADS threads, $CONNS connections, $DURATION each, loopback"
D=$(run dashboard "http://127.0.0.1:$YPORT/" "$COOKIE")
S=$(run static "http://127.0.0.1:$YPORT/static/app.css")
N=$(run nginx "http://127.0.0.1:$NPORT/index.html")
RSS=$(awk '/VmHWM/ {print $2}' "/proc/$YPID/status")
printf '%-28s %12s %10s %8s\n' "target" "req/s" "p99" "non-2xx"
for line in "$D" "$S" "$N"; do
    set -- $line
    printf '%-28s %12s %10s %8s\n' "$1" "$2" "$3" "$4"
done
python3 - "$D" "$S" "$N" "$RSS" <<'PY'
import sys
d, s, n = (x.split() for x in sys.argv[1:4])
rss = int(sys.argv[4]) / 1024
def ms(v):
    return float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
ratio = float(d[1]) / float(n[1])
print(f"dashboard / nginx: {ratio:.2f} (goal >= 0.50)")
print(f"static    / nginx: {float(s[1]) / float(n[1]):.2f}")
print(f"dashboard p99: {ms(d[2]):.2f} ms (goal < 20 ms); static p99: {ms(s[2]):.2f} ms")
print(f"yojin serve peak RSS: {rss:.1f} MB (goal < 40 MB)")
PY
