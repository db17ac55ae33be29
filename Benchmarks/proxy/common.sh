# Shared by the proxy benchmarks (sourced from the repository root): how gatewayd is
# built, the benchmark spec compiled, an API key for it, and proxybench's nginx
# backend on 127.0.0.1:9001.

# The release flags production builds with (the Dockerfile's SWIFT_RELEASE_FLAGS; a
# deployment test keeps the two the same): no run-time exclusivity checks, and
# whole-program optimization at link time (docs/server.md, "Cost"). RELEASE_FLAGS=""
# measures Swift's defaults.
RELEASE_FLAGS=${RELEASE_FLAGS--Xswiftc -enforce-exclusivity=unchecked --experimental-lto-mode=full}

# bench_artifact WORK: compiles Benchmarks/proxy/spec to WORK/bench.gwc and issues a
# key into WORK/keys.json; sets KEY. Needs .build/release/gateway.
bench_artifact() {
    local work=$1
    .build/release/gateway compile Benchmarks/proxy/spec -o "$work/bench.gwc" >&2
    export BENCH_API_KEY_PEPPER=proxy-bench-pepper-0123456789
    KEY=$(cd "$work" && "$OLDPWD/.build/release/gateway" keys create --specs "$OLDPWD/Benchmarks/proxy/spec" --store keys.json \
          --pepper env:BENCH_API_KEY_PEPPER --owner wrk --roles bench-client --plan bench 2>/dev/null)
}

# bench_backend WORK: starts proxybench's backend (nginx) on 127.0.0.1:9001 unless
# something answers there; sets BACKEND to its PID when it started one.
bench_backend() {
    local work=$1
    curl -s -o /dev/null http://127.0.0.1:9001/ && return 0
    mkdir -p "$work/backend/tmp"
    sed -e "s#@RUN@#$work#g" -e "s#@BACKEND_PORT@#9001#g" "${PROXYBENCH_CONF:-../shared/bench/proxybench/conf}/backend.nginx.conf.tmpl" > "$work/backend/nginx.conf"
    nginx -p "$work/backend/" -e "$work/backend/error.log" -c "$work/backend/nginx.conf" -g 'daemon off;' >/dev/null 2>&1 &
    BACKEND=$!
    sleep 1
}
