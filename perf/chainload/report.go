package chainload

import (
	"bufio"
	"os"
	"runtime"
	"strings"
	"time"
)

// Report is everything a chain bench run measured; perf/cmd/chainbench writes it as JSON and
// perf/report turns it into docs/performance.md.
type Report struct {
	Date    string // when the run was made, e.g. 2026-11-25
	Machine Machine
	// JaegerCapacity is how many spans per second Jaeger accepted from the flood alone, pinned
	// to its own core(s).
	JaegerCapacity float64
	// SpansPerTrace is how many spans one normal request of the chain produces, counted by
	// Jaeger for a single request.
	SpansPerTrace int
	// Runs are the closed-loop runs, every configuration Repeats times, interleaved.
	Runs []Run
	Loss Loss
	// Shared is a run at 100% while a flood of other spans saturates Jaeger; Stall one at 100%
	// with Jaeger frozen for a while.
	Shared, Stall Overload
	// Setup says how the run was set up, in words, for the doc.
	Setup Setup
}

// Setup is the plan's parameters that the doc reports.
type Setup struct {
	JaegerCPUs, ServiceCPUs string
	Load                    Load
	Repeats                 int
}

// Run is one closed-loop run of one configuration.
type Run struct {
	Sampling string
	Stats    Stats
	// SpansReceived is how many spans Jaeger accepted from the services during the run
	// (counted after the services stopped and flushed).
	SpansReceived float64
}

// Loss is the run that checks that no span is lost below Jaeger's capacity.
type Loss struct {
	Rate          float64 // requests per second offered
	Stats         Stats
	SpansProduced float64 // OK requests × SpansPerTrace
	SpansReceived float64
}

// Overload is a run at 100% with Jaeger unable to keep up.
type Overload struct {
	Stats          Stats
	SpansProduced  float64
	SpansReceived  float64
	FloodSpansRate float64       // spans per second Jaeger accepted from the flood meanwhile
	Stalled        time.Duration // how long Jaeger was frozen
}

// Machine describes where the figures come from: absolute times mean little elsewhere.
type Machine struct {
	CPU       string
	Cores     int
	GoVersion string
	OS        string
}

// ThisMachine describes the machine the process runs on.
func ThisMachine() Machine {
	return Machine{CPU: cpuModel(), Cores: cores(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
}

// cores counts the machine's CPUs, not the ones this process may use: chainbench runs pinned to
// one, and runtime.NumCPU would say 1.
func cores() int {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.NumCPU()
	}
	n := 0
	for line := range strings.Lines(string(data)) {
		if k, _, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "processor" {
			n++
		}
	}
	return max(n, 1)
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
