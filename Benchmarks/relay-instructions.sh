#!/usr/bin/env bash
# Instructions per proxied request on gatewayd's event loop, counted by callgrind: a
# figure that does not move with the machine's load, for judging one change to the
# server on a shared, noisy machine (requests per second there move by a third
# between runs). relay-bench runs the server of Benchmarks/proxy/spec (API-key auth,
# a role check, a rate limit, security headers) with a blocking client beside it,
# in front of proxybench's nginx backend on 127.0.0.1:9001 (started here unless
# something listens there). The count is the event-loop thread's difference between
# 1,000 and 3,000 requests over 8 keep-alive connections, so start-up cancels. The
# kernel's share is not counted, and OpenSSL's SHA-256 runs without SHA-NI under
# valgrind (API-key HMAC: about 6,000 of the count, a few hundred natively).
#
#   Benchmarks/relay-instructions.sh [RELAY_BENCH_BINARY]    (from the repository root)
#   prints: relay-instructions per-request=46661
#
# Built as the Dockerfile builds gatewayd (RELEASE_FLAGS, Benchmarks/proxy/common.sh),
# in Benchmarks/.build-release-flags. Needs valgrind and nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/proxy/common.sh
binary=${1:-}
if [[ -z $binary ]]; then
    swift build -c release --package-path Benchmarks --build-path Benchmarks/.build-release-flags --product relay-bench $RELEASE_FLAGS >&2
    binary=Benchmarks/.build-release-flags/release/relay-bench
fi
WORK=$(mktemp -d)
trap '[[ -n ${BACKEND:-} ]] && kill "$BACKEND" 2>/dev/null; rm -rf "$WORK"' EXIT
swift build -c release --product gateway $RELEASE_FLAGS >&2
bench_artifact "$WORK"
bench_backend "$WORK"
# Swift's DWARF 5 debug info stops valgrind: run a copy without it.
strip -g -o "$WORK/relay-bench" "$binary"
count() {
    (cd "$WORK" && SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$WORK/cg.$1" \
        ./relay-bench --artifact bench.gwc --secrets-dir . --key "$KEY" --requests "$1" 2>"$WORK/valgrind.$1.log" >&2) ||
        { echo "relay-bench failed:" >&2; grep -v '^==' "$WORK/valgrind.$1.log" >&2; exit 1; }
    # The event loop is the busiest thread besides the first (main, the client's).
    for file in "$WORK/cg.$1"-*; do
        [[ $file == *-01 ]] || awk '/^summary:/ {print $2; exit}' "$file"
    done | sort -n | tail -1
}
low=$(count 1000)
high=$(count 3000)
echo "relay-instructions per-request=$(( (high - low) / 2000 ))"
