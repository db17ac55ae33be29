#!/usr/bin/env bash
# Route lookup beside its peers, in one run: our router (route-bench), Go's httprouter
# (the shared gorouter harness) and the Swift routers RoutingKit and Hummingbird (the
# shared swiftrouters harness), on the same four route sets with realistic requests.
# Prints one line per set and router:  route-lookup set=S router=R ns=N allocs=A
#
#   Benchmarks/route-lookup.sh                 # 11 repetitions of ~300 ms per case
#   REPS=5 BENCHTIME_MS=200 Benchmarks/route-lookup.sh
#
# Needs golang-go and the Debian httprouter package for the Go peer (see
# ../shared/bench/gorouter/README.md); a missing peer is reported, not fatal.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${SHARED_BENCH:-$(cd "$here/../.." && pwd)/shared/bench}
routes=$shared/routes
reps=${REPS:-11}
benchtime_ms=${BENCHTIME_MS:-300}
sets=github,static,parse,gplus

swift build -c release --package-path "$here" --product route-bench >&2
ours="$(swift build -c release --package-path "$here" --show-bin-path)/route-bench"

echo "# $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# reps=$reps benchtime=${benchtime_ms}ms; ns = median ns per lookup, allocs = heap allocations per lookup"

"$ours" --routes "$routes" --sets "$sets" --reps "$reps" --benchtime-ms "$benchtime_ms" | sed 's/ min=.*//'

gobin=${TMPDIR:-/tmp}/gorouter-bin
if command -v go >/dev/null && [ -d /usr/share/gocode/src/github.com/julienschmidt/httprouter ]; then
    (cd "$shared/gorouter" && GOPATH=/usr/share/gocode GO111MODULE=off GOCACHE=${TMPDIR:-/tmp}/gorouter-gocache go build -o "$gobin/gorouter" .) >&2
    "$gobin/gorouter" -routes "$routes" -sets "$sets" -reps "$reps" -benchtime "${benchtime_ms}ms" -routers httprouter \
        | awk '$2 == "httprouter.Lookup" { printf "route-lookup set=%s router=httprouter ns=%s allocs=%s\n", $1, $4, $7 }'
else
    echo "# httprouter: not measured (install golang-go golang-github-julienschmidt-httprouter-dev)"
fi

"$shared/swiftrouters/run.sh" -sets "$sets" -reps "$reps" -benchtime "${benchtime_ms}ms" 2>/dev/null \
    | awk '$1 ~ /^(github|static|parse|gplus)$/ && ($2 == "routingkit.route" || $2 == "hummingbird.resolve") { split($2, r, "."); printf "route-lookup set=%s router=%s ns=%s allocs=%s\n", $1, r[1], $4, $7 }'
