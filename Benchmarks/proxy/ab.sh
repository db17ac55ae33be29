#!/usr/bin/env bash
# Two gatewayd builds, interleaved, on the proxy benchmark's spec and backend: for
# judging one change on a shared, noisy machine, where two sweeps of the same build
# can differ by a third. Each round runs A then B (wrk, 64 connections, 5 s each) and
# reads each process's user and system CPU time; prints every run, then the medians.
#
#   Benchmarks/proxy/ab.sh OLD_GATEWAYD NEW_GATEWAYD      [env: ROUNDS=5, CONNS=64, DURATION=5s, RELEASE_FLAGS for gateway]
#
# Builds `gateway` (release) to compile the spec and issue a key; starts nginx as the
# backend on 127.0.0.1:9001 from proxybench's template unless something listens there.
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ $# -eq 2 ]] || { echo "usage: $0 OLD_GATEWAYD NEW_GATEWAYD" >&2; exit 64; }
OLD=$(realpath "$1"); NEW=$(realpath "$2")
ROUNDS=${ROUNDS:-5}; CONNS=${CONNS:-64}; DURATION=${DURATION:-5s}
PORT=8090
WORK=$(mktemp -d)
trap '[[ -n ${BACKEND:-} ]] && kill "$BACKEND" 2>/dev/null; rm -rf "$WORK"' EXIT

source Benchmarks/proxy/common.sh
swift build -c release --product gateway $RELEASE_FLAGS >/dev/null
bench_artifact "$WORK"
bench_backend "$WORK"

cpu_ticks() { awk '{print $14, $15}' "/proc/$1/stat"; }
for round in $(seq 1 "$ROUNDS"); do
    for side in A B; do
        binary=$([[ $side == A ]] && echo "$OLD" || echo "$NEW")
        "$binary" --artifact "$WORK/bench.gwc" --secrets-dir "$WORK" --port "$PORT" --no-access-log --no-admin 2>"$WORK/gatewayd.log" &
        gw=$!
        sleep 0.7
        curl -s -o /dev/null -H "X-Api-Key: $KEY" "http://127.0.0.1:$PORT/"
        read -r u0 s0 < <(cpu_ticks "$gw")
        out=$(wrk -t1 -c"$CONNS" -d"$DURATION" -H "X-Api-Key: $KEY" "http://127.0.0.1:$PORT/")
        read -r u1 s1 < <(cpu_ticks "$gw")
        kill "$gw"; wait "$gw" 2>/dev/null || true
        requests=$(awk '/requests in/ {print $1}' <<<"$out")
        rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
        ticks=$(getconf CLK_TCK)
        echo "ab side=$side round=$round rps=$rps user-us=$(python3 -c "print(round(($u1-$u0)*1e6/$ticks/$requests,1))") sys-us=$(python3 -c "print(round(($s1-$s0)*1e6/$ticks/$requests,1))")"
    done
done | tee "$WORK/runs.txt"
python3 - "$WORK/runs.txt" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    fields = dict(part.split("=") for part in line.split()[1:])
    runs.setdefault(fields["side"], []).append(fields)
for side, rows in sorted(runs.items()):
    median = lambda key: statistics.median(float(row[key]) for row in rows)
    print(f"ab-median side={side} rps={median('rps'):.0f} user-us={median('user-us'):.1f} sys-us={median('sys-us'):.1f}")
PY
