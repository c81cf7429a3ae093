#!/bin/sh
# bench/fim.sh — `yojin fim init` over a tree (default /usr) beside AIDE configured for the
# same attributes and one SHA-256 hash, on the same tree, in one run.
#
# AIDE's rule is p+u+g+s+m+l+ftype+sha256 (permissions, owner, group, size, mtime, link
# target, file type, SHA-256): what yojin records. Its configuration and databases live in a
# temporary folder (never /etc/aide); yojin's database too. The page cache is warmed first
# (one untimed walk that reads every file), then each tool runs: yojin best of RUNS, AIDE
# once. Prints both times, the ratio and yojin's peak resident memory.
# Goals (issue "Watch the hosts"): yojin >= 3x faster than AIDE, peak RSS <= 100 MB.
# Timing is printed, never asserted: a benchmark, not a test.
#   TREE=/usr/share bench/fim.sh     another tree
#   RUNS=1 bench/fim.sh              fewer yojin runs
#   YOJIN_BIN=...                    another build (default ./build/yojin, RelWithDebInfo)
set -eu
cd "$(dirname "$0")/.."
BIN=${YOJIN_BIN:-./build/yojin}
TREE=${TREE:-/usr}
RUNS=${RUNS:-3}
[ -x "$BIN" ] || { echo "bench/fim.sh: build first (make build)" >&2; exit 1; }
command -v aide >/dev/null || { echo "bench/fim.sh: aide is missing (scripts/deps.sh)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/fim.sh: /usr/bin/time is missing" >&2; exit 1; }

TMP=$(mktemp -d /tmp/yj-bench-fim-XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
export YOJIN_SHARE="${YOJIN_SHARE:-$PWD/data}"
export YOJIN_DATA="$TMP/yojin"

cat >"$TMP/aide.conf" <<EOF
database_in=file:$TMP/aide.db
database_out=file:$TMP/aide.db.new
gzip_dbout=no
report_url=stdout
YJ = p+u+g+s+m+l+ftype+sha256
$TREE YJ
EOF

echo "bench/fim.sh: warming the page cache over $TREE..."
"$BIN" fim init "$TREE" >/dev/null

# Seconds (wall) of one run of a command.
secs() {
    python3 - "$@" <<'PY'
import subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
print("%.3f" % (time.monotonic() - t))
PY
}

best=""
i=0
while [ "$i" -lt "$RUNS" ]; do
    t=$(secs "$BIN" fim init "$TREE")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then
        best=$t
    fi
    i=$((i + 1))
done
/usr/bin/time -v "$BIN" fim init --json "$TREE" >"$TMP/yojin.json" 2>"$TMP/time.txt"
echo "bench/fim.sh: running aide --init (slow)..."
T_AIDE=$(secs aide --init --config "$TMP/aide.conf")
[ -s "$TMP/aide.db.new" ] || { echo "bench/fim.sh: aide wrote no database" >&2; exit 1; }
RSS=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$TMP/time.txt")
AIDE_N=$(grep -c "^/" "$TMP/aide.db.new" || true)

python3 - "$best" "$T_AIDE" "$RSS" "$TMP/yojin.json" "$AIDE_N" "$TREE" <<'PY'
import json, sys
yj, aide, rss = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
doc = json.load(open(sys.argv[4]))
print("tree %s: %d entries, %.2f GB hashed" % (sys.argv[6], doc["entries"],
                                               doc["bytes_hashed"] / 1e9))
print("yojin fim init   %8.3f s" % yj)
print("aide --init      %8.3f s   (%s entries in its database)" % (aide, sys.argv[5]))
print("aide / yojin = %.1fx   (goal >= 3x)" % (aide / yj))
print("yojin peak RSS = %.1f MB (goal <= 100 MB)" % (rss / 1024))
PY
