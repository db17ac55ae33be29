#!/usr/bin/env bash
# The gateway beside nginx and haproxy under wrk on loopback (../shared/bench/proxybench).
# Builds gatewayd (release), compiles Benchmarks/proxy/spec (API-key auth, a role
# check, a rate limit that does not trip, security headers), issues a key with
# `gateway keys`, starts gatewayd in front of proxybench's backend (127.0.0.1:9001),
# and runs the sweep with the gateway as target `gw`, then nginx with
# UPSTREAM_KEEPALIVE=256 at 256 connections, then the RSS of gatewayd holding
# 10,000 idle keep-alive connections.
# Usage (from the repository root): Benchmarks/proxy/run.sh   [env: PROXYBENCH=path, GW_PORT=8090, SKIP_RSS=1,
#   RELEASE_FLAGS (default: the Dockerfile's, in common.sh; "" for Swift's defaults)]
set -euo pipefail
cd "$(dirname "$0")/../.."
PROXYBENCH=${PROXYBENCH:-../shared/bench/proxybench/run.sh}
GW_PORT=${GW_PORT:-8090}
WORK=$(mktemp -d)
trap '[[ -n ${GW:-} ]] && kill "$GW" 2>/dev/null; rm -rf "$WORK"' EXIT

# Built as the Dockerfile builds it (RELEASE_FLAGS, common.sh; docs/server.md).
source Benchmarks/proxy/common.sh
swift build -c release --product gatewayd $RELEASE_FLAGS >/dev/null
swift build -c release --product gateway $RELEASE_FLAGS >/dev/null
bench_artifact "$WORK"
# No access log: nginx and haproxy run with theirs off (access_log off).
.build/release/gatewayd --artifact "$WORK/bench.gwc" --secrets-dir "$WORK" --port "$GW_PORT" --no-access-log --no-admin 2>"$WORK/gatewayd.log" &
GW=$!
sleep 1
echo "gateway: pid $GW on 127.0.0.1:$GW_PORT, key ${KEY:0:20}..." >&2

# Every target gets the gateway's API key header; the nginx `policy` target compares
# against a fixed "k", so it is left out (nginx and haproxy ignore the header).
HEADER="X-Api-Key: $KEY" TARGETS="direct nginx haproxy" bash "$PROXYBENCH" -p gw=$GW gw=http://127.0.0.1:$GW_PORT/
echo "--- 256 connections, nginx with UPSTREAM_KEEPALIVE=256"
HEADER="X-Api-Key: $KEY" UPSTREAM_KEEPALIVE=256 TARGETS="nginx" CONNS=256 HIGH_CONNS= bash "$PROXYBENCH" -p gw=$GW gw=http://127.0.0.1:$GW_PORT/

if [[ -z ${SKIP_RSS:-} ]]; then
    python3 - "$GW" "$GW_PORT" <<'PY'
import resource, socket, sys, time
pid, port = int(sys.argv[1]), int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))
def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1])
before = rss()
conns = []
for _ in range(10000):
    s = socket.create_connection(("127.0.0.1", port))
    conns.append(s)
time.sleep(1)
print(f"rss idle-connections=0 kib={before}")
print(f"rss idle-connections=10000 kib={rss()} per-connection-bytes={(rss() - before) * 1024 // 10000}")
PY
fi
