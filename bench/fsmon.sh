#!/bin/sh
# bench/fsmon.sh — what live file monitoring costs the machine, beside inotifywait.
#
# A workload on a data folder — copy a folder of FILES 4 KiB text files in, then delete it —
# is timed (best of RUNS) with
#   1. nothing watching,
#   2. inotifywait -m -r (inotify-tools) watching the folder, printing every event,
#   3. yojin watch --dir on the folder (inotify + fanotify as root, a 4 KiB entropy sample of
#      every written file, the ransomware detector, EVE lines to a file),
# and prints each time and the slowdown against (1) and (2). Then 200 files are encrypted
# with openssl and the delay between the start and yojin's ransomware alert is printed.
# Timing is printed, never asserted: this is a benchmark, not a test.
set -eu
cd "$(dirname "$0")/.."
BIN=${YOJIN_BIN:-./build/yojin}
FILES=${FILES:-3000}
RUNS=${RUNS:-3}
[ -x "$BIN" ] || { echo "bench/fsmon.sh: build first (make build)" >&2; exit 1; }
command -v inotifywait >/dev/null || {
    echo "bench/fsmon.sh: inotifywait is missing (scripts/deps.sh)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || echo "bench/fsmon.sh: not root: yojin runs with inotify alone" >&2

TMP=$(mktemp -d /tmp/yj-bench-fsmon-XXXXXX)
chmod 755 "$TMP"
WPID=""
cleanup() {
    [ -n "$WPID" ] && kill "$WPID" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
mkdir -p "$TMP/src" "$TMP/share" "$TMP/data"
: > "$TMP/empty.log"
python3 - "$TMP/src" "$FILES" <<'EOF'
import random, sys
words = "invoice order meeting budget report staff office payment contract minutes".split()
for i in range(int(sys.argv[2])):
    r = random.Random(i)
    with open("%s/doc%05d.txt" % (sys.argv[1], i), "w") as f:
        f.write(" ".join(r.choice(words) for _ in range(700))[:4096] + "\n")
EOF

# Best wall time of RUNS copies-and-deletes, in seconds.
workload() {
    python3 - "$TMP" "$RUNS" <<'EOF'
import shutil, sys, time
tmp, runs = sys.argv[1], int(sys.argv[2])
best = None
for _ in range(runs):
    t = time.monotonic()
    shutil.copytree(tmp + "/src", tmp + "/share/copy")
    shutil.rmtree(tmp + "/share/copy")
    el = time.monotonic() - t
    best = el if best is None or el < best else best
print("%.3f" % best)
EOF
}

settle() { sleep 1; }

T0=$(workload)

inotifywait -q -m -r -e close_write,create,delete,moved_from,moved_to,attrib "$TMP/share" \
    > "$TMP/inotifywait.out" 2>/dev/null &
WPID=$!
settle
T1=$(workload)
kill "$WPID"; wait "$WPID" 2>/dev/null || true; WPID=""

"$BIN" --data "$TMP/data" --lang en watch --dir "$TMP/share" --eve "$TMP/eve.json" \
    --log "$TMP/empty.log" --no-journal 2> "$TMP/watch.err" &
WPID=$!
settle
T2=$(workload)
RSS=$(awk '/VmHWM/ {print $2}' "/proc/$WPID/status")

# Detection delay: 200 files encrypted the way ransomware does (NAME.enc, original deleted).
mkdir -p "$TMP/share/victim"
cp "$TMP"/src/doc000*.txt "$TMP"/src/doc001*.txt "$TMP/share/victim/"
DELAY=$(python3 - "$TMP" <<'EOF'
import json, subprocess, sys, time
tmp = sys.argv[1]
eve = open(tmp + "/eve.json")
eve.seek(0, 2)
t = time.monotonic()
enc = subprocess.Popen(["bash", "-c", 'for f in "$1"/*.txt; do openssl enc -aes-256-cbc '
                        '-pbkdf2 -pass pass:x -in "$f" -out "$f.enc" && rm -f "$f"; done',
                        "x", tmp + "/share/victim"])
delay = None
while delay is None and time.monotonic() - t < 30:
    line = eve.readline()
    if not line:
        time.sleep(0.005)
        continue
    ev = json.loads(line)
    if ev.get("event_type") == "alert" and ev["alert"]["signature_id"] == 2106:
        delay = time.monotonic() - t
enc.wait()
print("%.2f" % delay if delay is not None else "none")
EOF
)
kill "$WPID"; wait "$WPID" 2>/dev/null || true; WPID=""

python3 - "$T0" "$T1" "$T2" "$FILES" "$RUNS" "$RSS" "$DELAY" <<'EOF'
import sys
t0, t1, t2 = map(float, sys.argv[1:4])
files, runs, rss, delay = sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7]
print("workload: copy %s files of 4 KiB into the watched folder, then delete them "
      "(best of %s)" % (files, runs))
print("  nothing watching       %.3f s" % t0)
print("  inotifywait -m -r      %.3f s  (x%.2f)" % (t1, t1 / t0))
print("  yojin watch --dir      %.3f s  (x%.2f; x%.2f of inotifywait)" % (t2, t2 / t0, t2 / t1))
print("yojin watch peak resident memory: %s kB" % rss)
print("ransomware alert %s s after 200 files started being encrypted" % delay)
EOF
