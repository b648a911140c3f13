// Package cpubench reports the CPU time a benchmark's process spends per operation, beside the
// wall time go test reports. Under load (b.RunParallel) ns/op is wall time with every core
// shared, by the benchmark and by whatever else runs on the machine; the process's own user and
// system time, divided by the operations, is what a call costs in CPU: the client's and the
// server's work, the garbage collector's and the batch processor's, and nothing of the
// neighbours'.
package cpubench

import (
	"testing"
	"time"
)

// Parallelism is how many calls a benchmark under load keeps in flight per core
// (b.SetParallelism): an RPC spends most of its time waiting for the other side, so one per core
// would leave the cores idle.
const Parallelism = 4

// Unit is the metric's unit in go test's output: "1234 cpu-ns/op".
const Unit = "cpu-ns/op"

// Start notes the process's CPU time; the func it returns, called when the benchmark's loop has
// ended, reports the CPU time spent since, per operation, as Unit. Where the platform cannot tell
// (see cpuTime), it reports nothing.
func Start(b *testing.B) (stop func()) {
	before, ok := cpuTime()
	return func() {
		after, _ := cpuTime()
		if ok && b.N > 0 {
			b.ReportMetric(float64(after-before)/float64(b.N), Unit)
		}
	}
}

// used is the CPU time a process has used, user and system.
type used = time.Duration

// RunParallel runs body under load, as b.RunParallel does, with Parallelism goroutines per core,
// and reports allocations and the CPU time per operation beside the wall time.
func RunParallel(b *testing.B, body func(*testing.PB)) {
	b.Helper()
	b.ReportAllocs()
	b.SetParallelism(Parallelism)
	stop := Start(b)
	defer stop()
	b.RunParallel(body)
}
