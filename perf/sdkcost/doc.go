// Package sdkcost holds the benchmarks of the OpenTelemetry SDK's primitives that every traced
// call pays: starting and ending a span under each kind of provider and sampler, and adding
// attributes and events to it. There is no code here, only benchmarks: the figures go to
// docs/performance.md.
package sdkcost
