#!/bin/sh
# bench/synflood.sh — a SYN flood through `yojin pcap`: memory stays flat at the flow cap.
#
# Compiles bench/tools/synflood.c, writes SYN floods of 1 million and 10 million packets
# (54-byte frames from ever-new spoofed sources to one server, one microsecond apart) into
# a temporary folder, reads each with `yojin pcap --json` under /usr/bin/time -v and prints
# the wall and CPU time (the machine may be shared), the peak resident memory and the
# counters of what the flow table pushed out or refused at its cap (default 65536 flows;
# MAX_FLOWS to change it). The two peak figures should be about equal: memory does not grow
# with the traffic. Last, the stats event that --eve ends with, for a flood of 200000.
# Timing is printed, never asserted. Use a release build (see README: make build).
set -eu
cd "$(dirname "$0")/.."
BIN=${YOJIN_BIN:-./build/yojin}
MAX_FLOWS=${MAX_FLOWS:-65536}
SIZES=${SIZES:-"1000000 10000000"}
[ -x "$BIN" ] || { echo "bench/synflood.sh: build first (make build)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/synflood.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
TMP=$(mktemp -d /tmp/yj-synflood-XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
cc -O2 -o "$TMP/synflood" bench/tools/synflood.c

for n in $SIZES; do
    "$TMP/synflood" "$n" "$TMP/flood.pcap"
    /usr/bin/time -v "$BIN" pcap --json --max-flows "$MAX_FLOWS" "$TMP/flood.pcap" \
        >"$TMP/out.json" 2>"$TMP/time.txt"
    python3 - "$n" "$TMP/out.json" "$TMP/time.txt" "$(stat -c %s "$TMP/flood.pcap")" <<'PY'
import json, re, sys
n, out, tim, size = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
d = json.load(open(out))
t = open(tim).read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", t)
secs = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
cpu = sum(float(re.search(k + r" time \(seconds\): ([\d.]+)", t).group(1)) for k in ("User", "System"))
dr = d["dropped"]
print(f"{n:>10} packets ({size / 1e6:.0f} MB): {secs:.2f} s wall, {cpu:.2f} s CPU "
      f"({n / cpu / 1e6:.2f} Mpps of CPU time), "
      f"peak RSS {rss / 1024:.1f} MiB; flows {d['flows']['total']}, "
      f"pushed out at the cap {dr['flows_evicted']}, refused {dr['flows_refused']}")
PY
    rm -f "$TMP/flood.pcap"
done

# The stats event at the end of --eve carries the same counters (a smaller flood, since every
# flow pushed out is also written as a flow event).
"$TMP/synflood" 200000 "$TMP/flood.pcap"
"$BIN" pcap --eve "$TMP/eve.json" --max-flows "$MAX_FLOWS" "$TMP/flood.pcap" >/dev/null
python3 - "$TMP/eve.json" <<'PY'
import json, sys
last = None
for line in open(sys.argv[1]):
    if '"event_type":"stats"' in line:
        last = json.loads(line)
f = last["stats"]["flow"]
print(f"stats event after 200000 SYNs: flow.total {f['total']}, flow.active {f['active']}, "
      f"flow.evicted {f['evicted']}, flow.memcap {f['memcap']}")
PY
