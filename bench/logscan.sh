#!/bin/sh
# bench/logscan.sh — `yojin logscan` on a 1,000,000-line sshd auth log, beside
# fail2ban-regex with Debian's sshd filter and `grep -c` of a fixed string on the same file.
#
# The log is generated reproducibly (python3 stdlib, fixed seed) from real line shapes
# (crowdsec-hub's sshd-logs: invalid users, failed passwords, PAM failures, preauth
# disconnects, accepted keys, session lines), with varied addresses (IPv4 and IPv6), users,
# ports and times. Prints each time, the ratios and yojin's peak resident memory.
# Goals (issue "Watch the hosts"): >= 100x faster than fail2ban-regex, within 4x of grep -c,
# peak RSS <= 32 MB. Timing is printed, never asserted: a benchmark, not a test.
#   LINES=200000 bench/logscan.sh     a smaller file
#   YOJIN_BIN=...                     another build (default ./build/yojin, RelWithDebInfo)
set -eu
cd "$(dirname "$0")/.."
BIN=${YOJIN_BIN:-./build/yojin}
LINES=${LINES:-1000000}
[ -x "$BIN" ] || { echo "bench/logscan.sh: build first (make build)" >&2; exit 1; }
command -v fail2ban-regex >/dev/null ||
    { echo "bench/logscan.sh: fail2ban-regex is missing (scripts/deps.sh)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/logscan.sh: /usr/bin/time is missing" >&2; exit 1; }

TMP=$(mktemp -d /tmp/yj-bench-XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
LOG="$TMP/auth.log"
export YOJIN_SHARE="${YOJIN_SHARE:-$PWD/data}"

python3 - "$LOG" "$LINES" <<'PY'
import random, sys
path, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(20261126)
users = ["root", "admin", "test", "oracle", "postgres", "ubuntu", "git", "pi", "user", "ftp",
         "deploy", "www-data", "hadoop", "guest", "support", "alice", "bob", "tanaka", "sato"]
attackers = ["%d.%d.%d.%d" % (rnd.randint(1, 223), rnd.randint(0, 255), rnd.randint(0, 255),
                              rnd.randint(1, 254)) for _ in range(3000)]
attackers += ["2001:db8:%x::%x" % (rnd.randint(1, 0xffff), rnd.randint(1, 0xffff))
              for _ in range(300)]
office = ["192.0.2.%d" % i for i in range(10, 40)]
shapes = [
    (30, "Failed password for {u} from {ip} port {p} ssh2"),
    (20, "Failed password for invalid user {u} from {ip} port {p} ssh2"),
    (15, "Invalid user {u} from {ip} port {p}"),
    (10, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user={u}"),
    (8, "Disconnected from invalid user {u} {ip} port {p} [preauth]"),
    (5, "Connection closed by authenticating user {u} {ip} port {p} [preauth]"),
    (4, "Received disconnect from {ip} port {p}:11: Bye Bye [preauth]"),
    (2, "error: maximum authentication attempts exceeded for invalid user {u} from {ip} port {p} ssh2 [preauth]"),
    (3, "Accepted publickey for {u} from {ip} port {p} ssh2: ED25519 SHA256:mF2Xk1+v0p7JrcV3sQ1qGm4vA4m2Yw2Q4n3d9Xk6aYc"),
    (3, "pam_unix(sshd:session): session opened for user {u}(uid=1000) by (uid=0)"),
]
weights = [w for w, _ in shapes]
months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
t = 0
with open(path, "w") as f:
    for i in range(n):
        t += rnd.randint(0, 3)
        day, rest = divmod(t, 86400)
        hh, rest = divmod(rest, 3600)
        mm, ss = divmod(rest, 60)
        _, shape = rnd.choices(shapes, weights)[0]
        good = shape.startswith("Accepted") or "session opened" in shape
        ip = rnd.choice(office if good else attackers)
        u = rnd.choice(users[-4:] if good else users)
        f.write("%s %2d %02d:%02d:%02d srv sshd[%d]: %s\n" % (
            months[(day // 28) % 12], day % 28 + 1, hh, mm, ss, rnd.randint(1000, 99999),
            shape.format(u=u, ip=ip, p=rnd.randint(1024, 65535))))
PY
SIZE=$(wc -c <"$LOG")
echo "bench/logscan.sh: $LINES lines, $SIZE bytes"
cat "$LOG" >/dev/null # warm the page cache

# Seconds (wall) of a command, best of RUNS (fail2ban: one run). Output goes to a pipe
# that is read and dropped, not to /dev/null: GNU grep stops at the first match when its
# output is /dev/null, which would time nothing.
secs() {
    python3 - "$@" <<'PY'
import subprocess, sys, time
runs = 1 if "fail2ban" in sys.argv[1] else 3
best = None
for _ in range(runs):
    t = time.monotonic()
    p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    while p.stdout.read(1 << 16):
        pass
    p.wait()
    d = time.monotonic() - t
    best = d if best is None else min(best, d)
print("%.3f" % best)
PY
}

/usr/bin/time -v "$BIN" logscan --year 2026 --json "$LOG" >"$TMP/yojin.json" 2>"$TMP/time.txt"
T_YJ=$(secs "$BIN" logscan --year 2026 --json "$LOG")
T_GREP=$(secs grep -c sshd "$LOG")
echo "bench/logscan.sh: running fail2ban-regex (slow)..."
T_F2B=$(secs fail2ban-regex "$LOG" /etc/fail2ban/filter.d/sshd.conf)
RSS=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$TMP/time.txt")

python3 - "$T_YJ" "$T_GREP" "$T_F2B" "$RSS" "$TMP/yojin.json" <<'PY'
import json, sys
yj, grep, f2b, rss = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
doc = json.load(open(sys.argv[5]))
print("yojin logscan    %8.3f s   (%d events, %d alerts)" % (yj, doc["events"], len(doc["alerts"])))
print("grep -c sshd     %8.3f s" % grep)
print("fail2ban-regex   %8.3f s" % f2b)
print("fail2ban-regex / yojin = %.1fx   (goal >= 100x)" % (f2b / yj))
print("yojin / grep -c        = %.2fx  (goal <= 4x)" % (yj / grep))
print("yojin peak RSS         = %.1f MB (goal <= 32 MB)" % (rss / 1024))
PY
