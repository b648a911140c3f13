// Package chainload measures chapter 4's five-service chain as separate processes: a load
// generator (closed loop at a fixed concurrency, or paced at a fixed rate) reports throughput
// and latency percentiles, Jaeger's own metrics say how many spans arrived, and a flood of
// synthetic spans measures how many Jaeger can ingest. `make bench` runs it through
// perf/cmd/chainbench; docs/performance.md shows the results.
package chainload
