#!/usr/bin/env bash
# Instructions per engine-bench iteration, counted by callgrind: a figure that does not
# move with the machine's load, for judging one change to the engine on a shared,
# noisy machine (timings there differ by a tenth from run to run). An iteration is one
# pass of engine-bench's five measured loops for a case (decision, decide, reply
# edits, route lookup, VM). The count is the difference of two runs (1,000 and 3,000
# iterations), so start-up (loading and compiling the specs) cancels; hashing is made
# deterministic so it cancels exactly.
#
#   Benchmarks/engine-instructions.sh [ENGINE_BENCH_BINARY] [CASE...]   (from the repository root)
#   prints: engine-instructions case=quote per-iteration=25979
#
# Needs valgrind. Swift's DWARF 5 debug info stops valgrind, so the binary is run
# from a copy without it (strip -g).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-}
if [[ -z $binary ]]; then
    swift build -c release --package-path Benchmarks --product engine-bench >&2
    binary=Benchmarks/.build/release/engine-bench
fi
shift || true
cases=("$@")
[[ ${#cases[@]} -gt 0 ]] || cases=(quote order-eu balance-envelope authenticated)
stripped=$(mktemp)
trap 'rm -f "$stripped"' EXIT
strip -g -o "$stripped" "$binary"
count() {
    SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$stripped" --case "$1" --reps 1 --iterations "$2" 2>&1 \
        | awk '/Collected/ {print $4}'
}
for name in "${cases[@]}"; do
    low=$(count "$name" 1000)
    high=$(count "$name" 3000)
    echo "engine-instructions case=$name per-iteration=$(( (high - low) / 2000 ))"
done
