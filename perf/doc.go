// Package perf measures what tracing costs: benchmarks of the floor (a plain TCP echo) and of the
// SDK's primitives, the five-service chain under load with tracing off, at 1% and at 100%, and
// the generator that turns a `make bench` run into docs/performance.md. It comes after the five
// chapters and may import all of them; none imports it.
package perf
