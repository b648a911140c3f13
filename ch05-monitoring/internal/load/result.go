package load

import (
	"math"
	"slices"
	"time"
)

// MaxTraceIDs is how many trace IDs each kind keeps besides its slowest: the first ones
// answered, enough for the demo to show a trace of every kind.
const MaxTraceIDs = 3

// Stop says why a run ended.
type Stop string

// The three ways a run ends.
const (
	StoppedByCount    Stop = "count"    // every request was sent and answered
	StoppedByDuration Stop = "duration" // Config.Duration passed
	StoppedByContext  Stop = "context"  // Run's context ended, e.g. Ctrl-C
)

// Result is what a run did, per kind of request and overall.
type Result struct {
	Kinds   []KindResult // one per kind, in the order of Config.Mix
	Overall KindResult   // every kind together, named "all"
	Elapsed time.Duration
	Stopped Stop
}

// KindResult counts one kind's requests. A request cut short by the end of the run is not
// counted at all: it neither succeeded nor failed, the run just stopped waiting.
type KindResult struct {
	Name string
	// Sent is how many requests were answered or failed: Answered plus NoAnswer.
	Sent int
	// Statuses counts the answers by HTTP status code.
	Statuses map[int]int
	// NoAnswer counts transport errors: connection refused or reset, the per-request timeout.
	NoAnswer int
	// Latency is over the answered requests only: a refused connection takes no time and
	// would make the percentiles look better than the service.
	Latency Percentiles
	// Slowest is the slowest answered request that named its trace: the one to look at.
	Slowest Sample
	// TraceIDs are the first MaxTraceIDs trace IDs answered.
	TraceIDs []string
}

// Percentiles summarise a set of latencies.
type Percentiles struct {
	P50, P90, P99, Max time.Duration
}

// Sample is one answered request.
type Sample struct {
	TraceID string
	Status  int
	Latency time.Duration
}

// Answered is how many requests got an HTTP answer, of any status.
func (k KindResult) Answered() int { return k.Sent - k.NoAnswer }

// OK is how many requests were answered with a 2xx status.
func (k KindResult) OK() int {
	n := 0
	for status, count := range k.Statuses {
		if status >= 200 && status < 300 {
			n += count
		}
	}
	return n
}

// Failed is how many requests did not succeed: answered with another status, or not at all.
func (k KindResult) Failed() int { return k.Sent - k.OK() }

// Summarize returns the nearest-rank percentiles of latencies: the p-th percentile is the
// smallest latency that at least p% of the latencies are at or below, always one that was
// measured, never an interpolation. latencies is not modified.
func Summarize(latencies []time.Duration) Percentiles {
	if len(latencies) == 0 {
		return Percentiles{}
	}
	sorted := slices.Clone(latencies)
	slices.Sort(sorted)
	at := func(p float64) time.Duration {
		rank := int(math.Ceil(p / 100 * float64(len(sorted))))
		return sorted[max(rank, 1)-1]
	}
	return Percentiles{P50: at(50), P90: at(90), P99: at(99), Max: sorted[len(sorted)-1]}
}

// outcome is what happened to one request.
type outcome struct {
	kind    int
	status  int // 0: no answer
	latency time.Duration
	traceID string
	err     error
}

// tally adds outcomes up for one kind; result turns it into a KindResult.
type tally struct {
	KindResult
	latencies []time.Duration
}

func newTally(name string) *tally {
	return &tally{KindResult: KindResult{Name: name, Statuses: map[int]int{}}}
}

func (t *tally) add(o outcome) {
	t.Sent++
	if o.status == 0 {
		t.NoAnswer++
		return
	}
	t.Statuses[o.status]++
	t.latencies = append(t.latencies, o.latency)
	if o.traceID == "" {
		return
	}
	if len(t.TraceIDs) < MaxTraceIDs {
		t.TraceIDs = append(t.TraceIDs, o.traceID)
	}
	if o.latency > t.Slowest.Latency || t.Slowest.TraceID == "" {
		t.Slowest = Sample{TraceID: o.traceID, Status: o.status, Latency: o.latency}
	}
}

func (t *tally) result() KindResult {
	r := t.KindResult
	r.Latency = Summarize(t.latencies)
	return r
}
