#!/usr/bin/env bash
# make bench: the cost of tracing, measured, then docs/performance.md regenerated from it.
#  1. the micro-benchmarks (floor, SDK primitives, net/rpc, gRPC): one call at a time (latency),
#     -count BENCH_COUNT; under load (the *Parallel benchmarks, CPU per call) and the exporter
#     settings, -count BENCH_PARALLEL_COUNT; the unsampled call's layers, allocations only;
#  2. benchstat's comparison of the RPC modes (run through go tool, pinned in tools/go.mod);
#  3. allocation and CPU profiles of the traced and untraced benchmarks;
#  4. chainbench: the five services and Jaeger as real processes, pinned to separate CPUs;
#  5. perfdoc: the page and its charts from perf/results.
# About fourteen minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
COUNT=${BENCH_COUNT:-6}
PCOUNT=${BENCH_PARALLEL_COUNT:-3}
pkgs=(./perf/floor ./perf/sdkcost ./ch02-tracing-basics/otelnetrpc ./ch02-tracing-basics/otelnetrpc/tuned ./ch03-grpc/calcgrpc ./perf/chainload)
results=perf/results
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$results"

# The benchmarks of one -count must run in one go test: sample i of one mode and sample i of
# another then ran side by side, and the report pairs them.
echo "# 1/5 micro-benchmarks, one call at a time, -count $COUNT (about 5 minutes)"
$GO test -run '^$' -bench . -skip 'Parallel|Exporter|UnsampledLayers' -benchmem -count "$COUNT" "${pkgs[@]}" | tee "$tmp/micro.txt"
echo "# 1/5 under load and the exporter settings, -count $PCOUNT (about 2 minutes)"
$GO test -run '^$' -bench 'Parallel|Exporter' -benchmem -count "$PCOUNT" "${pkgs[@]}" | tee -a "$tmp/micro.txt"
echo "# 1/5 the unsampled call, layer by layer (allocations, exact)"
$GO test -run '^$' -bench 'UnsampledLayers' -benchmem -benchtime 2000x ./ch03-grpc/calcgrpc | tee -a "$tmp/micro.txt"
cp "$tmp/micro.txt" "$results/micro.txt"

echo "# 2/5 benchstat"
$GO tool -modfile=tools/go.mod benchstat -filter '.name:(Call OR TunedCall OR Unary OR CallParallel OR TunedCallParallel OR UnaryParallel)' -col /mode "$results/micro.txt" \
  | tee "$results/benchstat.txt"

echo "# 3/5 profiles (about a minute)"
# profile NAME BENCH PKG KIND: run one benchmark with a profile, kept as perf/results/profiles/NAME.prof.
mkdir -p "$results/profiles"
profile() {
  local name=$1 bench=$2 pkg=$3 kind=$4
  $GO test -run '^$' -bench "$bench" -benchtime "${PROFILE_TIME:-3s}" -o "$tmp/$name.test" "-${kind}profile" "$results/profiles/$name.prof" "$pkg" >/dev/null
  echo "$name"
}
# Patterns are anchored at every level: 'Unary/mode=traced' would also run UnaryParallel.
profile grpc-untraced-allocs '^BenchmarkUnary$/^mode=untraced$' ./ch03-grpc/calcgrpc mem
profile grpc-sampled-1pct-allocs '^BenchmarkUnary$/^mode=sampled-1pct$' ./ch03-grpc/calcgrpc mem
profile grpc-traced-allocs '^BenchmarkUnary$/^mode=traced$' ./ch03-grpc/calcgrpc mem
profile grpcotel-sampled-1pct-allocs '^BenchmarkUnary$/^mode=grpcotel-sampled-1pct$' ./ch03-grpc/calcgrpc mem
profile grpc-traced-cpu '^BenchmarkUnaryParallel$/^mode=traced$' ./ch03-grpc/calcgrpc cpu
profile netrpc-untraced-allocs '^BenchmarkTunedCall$/^mode=untraced$' ./ch02-tracing-basics/otelnetrpc/tuned mem
profile netrpc-traced-allocs '^BenchmarkTunedCall$/^mode=traced$' ./ch02-tracing-basics/otelnetrpc/tuned mem
profile chain-off-allocs '^BenchmarkChain$/^sampling=off$' ./perf/chainload mem
profile chain-100pct-allocs '^BenchmarkChain$/^sampling=100pct$' ./perf/chainload mem
profile chain-100pct-cpu '^BenchmarkChain$/^sampling=100pct$' ./perf/chainload cpu

echo "# 4/5 the chain under load, services on CPU 0, Jaeger on CPU 1 (about 5 minutes)"
taskset --cpu-list 0 bin/chainbench -out "$results/chain.json"

echo "# 5/5 docs/performance.md"
$GO run ./perf/cmd/perfdoc
echo "# done: docs/performance.md and docs/perf/*.svg regenerated from $results"
