#!/usr/bin/env bash
# make bench: the cost of tracing, measured, then docs/performance.md regenerated from it.
#  1. the micro-benchmarks (floor, SDK primitives, net/rpc, gRPC), -count BENCH_COUNT;
#  2. benchstat's comparison of the RPC modes (run through go tool, pinned in tools/go.mod);
#  3. allocation and CPU profiles of the traced and untraced benchmarks;
#  4. chainbench: the five services and Jaeger as real processes, pinned to separate CPUs;
#  5. perfdoc: the page and its charts from perf/results.
# About ten minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
COUNT=${BENCH_COUNT:-6}
results=perf/results
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$results"

echo "# 1/5 micro-benchmarks, -count $COUNT (about 5 minutes)"
$GO test -run '^$' -bench . -benchmem -count "$COUNT" \
  ./perf/floor ./perf/sdkcost ./ch02-tracing-basics/otelnetrpc ./ch02-tracing-basics/otelnetrpc/tuned ./ch03-grpc/calcgrpc ./perf/chainload | tee "$tmp/micro.txt"
cp "$tmp/micro.txt" "$results/micro.txt"

echo "# 2/5 benchstat"
$GO tool -modfile=tools/go.mod benchstat -filter '.name:(Call OR Unary)' -col /mode "$results/micro.txt" \
  | tee "$results/benchstat.txt"

echo "# 3/5 profiles (about a minute)"
# profile NAME BENCH PKG KIND: run one benchmark with a profile, kept as perf/results/profiles/NAME.prof.
mkdir -p "$results/profiles"
profile() {
  local name=$1 bench=$2 pkg=$3 kind=$4
  $GO test -run '^$' -bench "$bench" -benchtime 3s -o "$tmp/$name.test" "-${kind}profile" "$results/profiles/$name.prof" "$pkg" >/dev/null
  echo "$name"
}
profile grpc-untraced-allocs 'Unary/mode=untraced$' ./ch03-grpc/calcgrpc mem
profile grpc-sampled-1pct-allocs 'Unary/mode=sampled-1pct$' ./ch03-grpc/calcgrpc mem
profile grpc-traced-allocs 'Unary/mode=traced$' ./ch03-grpc/calcgrpc mem
profile grpc-traced-cpu 'Unary/mode=traced$' ./ch03-grpc/calcgrpc cpu
profile netrpc-untraced-allocs 'Call/mode=untraced$' ./ch02-tracing-basics/otelnetrpc mem
profile netrpc-traced-allocs 'Call/mode=traced$' ./ch02-tracing-basics/otelnetrpc mem
profile chain-off-allocs 'Chain/sampling=off$' ./perf/chainload mem
profile chain-100pct-allocs 'Chain/sampling=100pct$' ./perf/chainload mem
profile chain-100pct-cpu 'Chain/sampling=100pct$' ./perf/chainload cpu

echo "# 4/5 the chain under load, services on CPU 0, Jaeger on CPU 1 (about 5 minutes)"
taskset --cpu-list 0 bin/chainbench -out "$results/chain.json"

echo "# 5/5 docs/performance.md"
$GO run ./perf/cmd/perfdoc
echo "# done: docs/performance.md and docs/perf/*.svg regenerated from $results"
