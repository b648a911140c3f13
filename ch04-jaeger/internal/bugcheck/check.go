// Package bugcheck is the bug lab's checker: Check reads the spans of one request and says what
// is wrong with the trace's shape (split, a parent that ended before its child, spans missing, a
// TracerProvider per request). The lab's broken and fixed code is in ch04-jaeger/bugs.
package bugcheck

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/internal/waterfall"
)

// Expect is what Check knows about a request beyond what every trace must be.
type Expect struct {
	// Spans is how many spans each service records for the request, by service.name; a service
	// not listed must record none. Lost spans show up here. Nil skips the count.
	Spans map[string]int
	// OneProviderPerService says that each service is one process with one TracerProvider, so
	// all of a service's spans in a trace carry the same service.instance.id. True of these labs
	// and of chapter 4's chain; not of a service run as several replicas, whose spans in one
	// trace can rightly come from several instances.
	OneProviderPerService bool
}

// Rule names the rule a Problem breaks, so that a test can tell problems apart.
type Rule string

// The rules Check applies. The first six hold for every trace; the last two come from Expect.
const (
	NoSpans            Rule = "no spans"             // nothing arrived at all
	SplitTrace         Rule = "split trace"          // the request's spans carry more than one trace ID
	MissingParent      Rule = "missing parent"       // a span's parent is not among the spans
	RootCount          Rule = "root count"           // a trace has more than one root, or none
	NotEnded           Rule = "not ended"            // a span has no end time
	StartsBeforeParent Rule = "starts before parent" // a child starts before its parent
	ParentEndedFirst   Rule = "parent ended first"   // a child starts after its parent has ended
	OutlivesParent     Rule = "outlives parent"      // a child in the same process ends after its parent
	SpanCount          Rule = "span count"           // a service recorded more or fewer spans than expected
	ManyProviders      Rule = "many providers"       // one service's spans come from several providers
)

// Problem is one thing wrong with a trace: the rule it breaks, and a sentence for a person.
type Problem struct {
	Rule Rule
	Text string
}

// String returns the sentence.
func (p Problem) String() string { return p.Text }

// Check returns what is wrong with spans, all the spans one request produced, as a backend
// would receive them: none, if they form one whole trace. Whole means one trace ID, one root,
// every parent present; every span ended, each starting within its parent and, if both ran in
// the same process, ending within it too; and what want expects.
//
// A child in another process (a server span under its client's span) may end a moment after
// its parent does: gRPC, for one, ends the server span after it has sent the response. So
// only a local child that outlives its parent is a problem. Check assumes one clock: spans
// from machines whose clocks disagree need the skew removed first, as Jaeger does.
func Check(spans []sdktrace.ReadOnlySpan, want Expect) []Problem {
	if len(spans) == 0 {
		return []Problem{{NoSpans, "no spans at all: nothing of the request reached the backend"}}
	}
	c := newChecker(spans)
	problems := slices.Concat(c.traceShape(), c.timing(), c.counts(want.Spans))
	if want.OneProviderPerService {
		problems = append(problems, c.providers()...)
	}
	return problems
}

type spanKey struct {
	trace trace.TraceID
	span  trace.SpanID
}

// checker holds the spans sorted by start time, so that every list of problems comes out in
// the same order whatever order the spans arrived in, and indexed by trace and span ID.
type checker struct {
	spans   []sdktrace.ReadOnlySpan
	byID    map[spanKey]sdktrace.ReadOnlySpan
	traces  []trace.TraceID // in order of their first span's start
	byTrace map[trace.TraceID][]sdktrace.ReadOnlySpan
}

func newChecker(spans []sdktrace.ReadOnlySpan) *checker {
	c := &checker{
		spans:   slices.Clone(spans),
		byID:    make(map[spanKey]sdktrace.ReadOnlySpan),
		byTrace: make(map[trace.TraceID][]sdktrace.ReadOnlySpan),
	}
	slices.SortStableFunc(c.spans, func(a, b sdktrace.ReadOnlySpan) int {
		return cmp.Or(a.StartTime().Compare(b.StartTime()),
			cmp.Compare(a.SpanContext().TraceID().String(), b.SpanContext().TraceID().String()),
			cmp.Compare(a.SpanContext().SpanID().String(), b.SpanContext().SpanID().String()))
	})
	for _, s := range c.spans {
		sc := s.SpanContext()
		c.byID[spanKey{sc.TraceID(), sc.SpanID()}] = s
		if _, seen := c.byTrace[sc.TraceID()]; !seen {
			c.traces = append(c.traces, sc.TraceID())
		}
		c.byTrace[sc.TraceID()] = append(c.byTrace[sc.TraceID()], s)
	}
	return c
}

// parent returns s's parent if it is among the spans.
func (c *checker) parent(s sdktrace.ReadOnlySpan) (sdktrace.ReadOnlySpan, bool) {
	if !s.Parent().HasSpanID() {
		return nil, false
	}
	p, ok := c.byID[spanKey{s.SpanContext().TraceID(), s.Parent().SpanID()}]
	return p, ok
}

// traceShape checks that the spans form one tree: one trace ID, one root, no parent missing.
func (c *checker) traceShape() []Problem {
	var problems []Problem
	if len(c.traces) > 1 {
		parts := make([]string, len(c.traces))
		for i, id := range c.traces {
			parts[i] = fmt.Sprintf("%s has %s", abbrev(id.String()), labels(c.byTrace[id]))
		}
		problems = append(problems, Problem{SplitTrace,
			fmt.Sprintf("trace split in %d: %s", len(c.traces), strings.Join(parts, "; "))})
	}
	for _, id := range c.traces {
		var roots []sdktrace.ReadOnlySpan
		orphans := 0
		for _, s := range c.byTrace[id] {
			if !s.Parent().HasSpanID() {
				roots = append(roots, s)
			} else if _, ok := c.parent(s); !ok {
				orphans++
				problems = append(problems, Problem{MissingParent, fmt.Sprintf(
					"span %s has parent %s, which is not in the trace: lost, or never exported",
					label(s), abbrev(s.Parent().SpanID().String()))})
			}
		}
		switch {
		case len(roots) > 1:
			problems = append(problems, Problem{RootCount, fmt.Sprintf(
				"trace %s has %d roots (%s): a request has one", abbrev(id.String()), len(roots), labels(roots))})
		case len(roots) == 0 && orphans == 0:
			problems = append(problems, Problem{RootCount, fmt.Sprintf(
				"trace %s has no root: its spans' parents form a cycle", abbrev(id.String()))})
		}
	}
	return problems
}

// timing checks that every span ended, and that each child ran within its parent.
func (c *checker) timing() []Problem {
	var problems []Problem
	for _, s := range c.spans {
		if !ended(s) {
			problems = append(problems, Problem{NotEnded, fmt.Sprintf("span %s never ended", label(s))})
		}
		p, ok := c.parent(s)
		switch {
		case !ok:
		case s.StartTime().Before(p.StartTime()):
			problems = append(problems, Problem{StartsBeforeParent, fmt.Sprintf("span %s started %s before its parent %s",
				label(s), waterfall.FormatDuration(p.StartTime().Sub(s.StartTime())), label(p))})
		case ended(p) && s.StartTime().After(p.EndTime()):
			problems = append(problems, Problem{ParentEndedFirst, fmt.Sprintf("span %s ended %s before its child %s started",
				label(p), waterfall.FormatDuration(s.StartTime().Sub(p.EndTime())), label(s))})
		case ended(p) && ended(s) && !s.Parent().IsRemote() && s.EndTime().After(p.EndTime()):
			problems = append(problems, Problem{OutlivesParent, fmt.Sprintf("span %s ended %s after its parent %s",
				label(s), waterfall.FormatDuration(s.EndTime().Sub(p.EndTime())), label(p))})
		}
	}
	return problems
}

// counts checks how many spans each service recorded against want.
func (c *checker) counts(want map[string]int) []Problem {
	if want == nil {
		return nil
	}
	got := make(map[string]int)
	for _, s := range c.spans {
		got[service(s)]++
	}
	var problems []Problem
	for _, svc := range slices.Sorted(maps.Keys(mergeKeys(want, got))) {
		if got[svc] != want[svc] {
			problems = append(problems, Problem{SpanCount, fmt.Sprintf("%s: %d %s expected, %d arrived",
				svc, want[svc], plural(want[svc], "span", "spans"), got[svc])})
		}
	}
	return problems
}

// providers checks that each service's spans come from one TracerProvider, told apart by
// their resource's service.instance.id. Spans without one are not counted.
func (c *checker) providers() []Problem {
	instances := make(map[string][]string) // service -> its instance IDs, in order of first span
	spans := make(map[string]int)
	for _, s := range c.spans {
		svc, id := service(s), attr(s, string(semconv.ServiceInstanceIDKey))
		spans[svc]++
		if id != "" && !slices.Contains(instances[svc], id) {
			instances[svc] = append(instances[svc], id)
		}
	}
	var problems []Problem
	for _, svc := range slices.Sorted(maps.Keys(instances)) {
		ids := instances[svc]
		if len(ids) < 2 {
			continue
		}
		short := make([]string, len(ids))
		for i, id := range ids {
			short[i] = abbrev(id)
		}
		problems = append(problems, Problem{ManyProviders, fmt.Sprintf(
			"%s: %d spans from %d TracerProviders (service.instance.id %s) where one process has one",
			svc, spans[svc], len(ids), strings.Join(short, ", "))})
	}
	return problems
}
