package waterfall

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuildTraces checks the tree shape on its own, apart from the drawing: which spans are roots,
// who is whose child, in what order, and that no span is lost or drawn twice.
func TestBuildTraces(t *testing.T) {
	ms := time.Millisecond
	s := func(id, parent string, start time.Duration) Span {
		return Span{TraceID: traceA, SpanID: id, ParentSpanID: parent, Name: id, Start: at(start), Duration: ms}
	}
	tests := []struct {
		name  string
		spans []Span
		want  []string // per trace: one entry per span, indented two spaces per level
	}{
		{name: "no spans", spans: nil, want: nil},
		{name: "parent and child", spans: divByZero(), want: []string{
			"Calculator.Div", "  Calculator.Div",
		}},
		{name: "children sorted by start, not by input order", spans: []Span{
			s("late", "root", 3*ms), s("root", "", 0), s("early", "root", ms), s("middle", "root", 2*ms),
		}, want: []string{"root", "  early", "  middle", "  late"}},
		{name: "child listed before its parent", spans: []Span{
			s("grandchild", "child", 2*ms), s("child", "root", ms), s("root", "", 0),
		}, want: []string{"root", "  child", "    grandchild"}},
		{name: "missing parent makes a root", spans: []Span{
			s("server", "remote-client", 0), s("handler", "server", ms), s("lost", "gone", 2*ms),
		}, want: []string{"server", "  handler", "lost"}},
		{name: "own parent makes a root", spans: []Span{
			s("self", "self", 0),
		}, want: []string{"self"}},
		{name: "cycle is broken at its earliest span", spans: []Span{
			s("b", "a", ms), s("a", "b", 0),
		}, want: []string{"a", "  b"}},
		{name: "duplicate span IDs are both kept", spans: []Span{
			s("x", "", 0), s("x", "", ms), s("child", "x", 2*ms),
		}, want: []string{"x", "  child", "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			traces := buildTraces(tt.spans)
			var got []string
			for _, tr := range traces {
				got = append(got, outline(tr.roots, 0)...)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestBuildTracesGroupsAndTimes checks that spans are grouped by trace ID, traces come in order of
// start, and each trace's time range covers all of its spans: the range every bar is scaled to.
func TestBuildTracesGroupsAndTimes(t *testing.T) {
	spans := append(shift(chain(), time.Second), divByZero()...)
	traces := buildTraces(spans)
	require.Len(t, traces, 2)

	tests := []struct {
		id         string
		start, end time.Time
		spans      int
	}{
		{id: traceA, start: at(0), end: at(1200 * time.Microsecond), spans: 2},
		{id: traceB, start: at(time.Second), end: at(time.Second + 40*time.Millisecond), spans: 8},
	}
	for i, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got := traces[i]
			assert.Equal(t, tt.id, got.id)
			assert.Equal(t, tt.start, got.start)
			assert.Equal(t, tt.end, got.end)
			assert.Equal(t, tt.spans, got.spans)
		})
	}
}

// outline lists the names under nodes depth first, indented two spaces per level.
func outline(nodes []*node, depth int) []string {
	var lines []string
	for _, n := range nodes {
		lines = append(lines, strings.Repeat("  ", depth)+n.span.Name)
		lines = append(lines, outline(n.children, depth+1)...)
	}
	return lines
}
