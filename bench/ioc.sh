#!/bin/sh
# bench/ioc.sh — threat lists: load all of maltrail's static trails and ipsum, then look up.
#
# With the release build (build/): compiles bench/tools/ioc_bench.c against libyj_ioc and
# prints the load time and peak resident memory (goals: < 3 s, < 300 MB) and IPv4 and
# domain lookups per second on one core over half listed, half unlisted values (goal:
# >= 10 million a second). Then times `yojin ioc check` on the same two files, the
# command a user runs, with its peak memory from GNU time if present.
# Timing is printed, never asserted: this is a benchmark, not a test.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DATA=${IOC_DATA:-../shared/data/ioc}
[ -f "$BUILD/libyj_ioc.a" ] || { echo "bench/ioc.sh: build first (cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build)" >&2; exit 1; }
TMP=$(mktemp -d /tmp/yj-bench-XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
cc -std=c11 -O2 -D_GNU_SOURCE -I "$BUILD/inc/ioc" -I "$BUILD/inc/base" \
    bench/tools/ioc_bench.c "$BUILD/libyj_ioc.a" "$BUILD/libyj_base.a" \
    $(pkg-config --libs libcurl yaml-0.1 libsodium) -lpthread -o "$TMP/ioc_bench"
echo "== lists and lookups (one process, one core)"
"$TMP/ioc_bench" "$DATA/ipsum.txt" "$DATA/maltrail-static.tsv"
echo "== yojin ioc check --ioc maltrail-static.tsv --ioc ipsum.txt (the whole command)"
export YOJIN_DATA="$TMP/data" YOJIN_SHARE="${YOJIN_SHARE:-$PWD/data}"
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "wall %e s, peak RSS %M KB" "$BUILD/yojin" ioc check \
        --ioc "$DATA/maltrail-static.tsv" --ioc "$DATA/ipsum.txt" 80.82.77.33 2>&1 >/dev/null |
        grep -E "^wall"
else
    start=$(date +%s.%N)
    "$BUILD/yojin" ioc check --ioc "$DATA/maltrail-static.tsv" --ioc "$DATA/ipsum.txt" \
        80.82.77.33 >/dev/null 2>&1
    end=$(date +%s.%N)
    echo "wall $(echo "$end - $start" | bc) s"
fi
