package waterfall

import (
	"cmp"
	"slices"
	"time"
)

// tree is one trace ready to draw: its spans arranged as a tree, plus the time range the bars are
// scaled to.
type tree struct {
	id         string
	start, end time.Time // first start and last end over all its spans
	spans      int
	roots      []*node // in start order
}

// node is a span with its children, in start order.
type node struct {
	span     Span
	children []*node
}

// buildTraces groups spans by trace ID and arranges each group as a tree. Traces come out in order of
// their first span's start time, so the output reads top to bottom in time.
func buildTraces(spans []Span) []*tree {
	// Sort once by start time (ties broken by IDs, so the output never depends on map order or on
	// the order spans happened to be exported in); every later list then inherits start order.
	sorted := slices.Clone(spans)
	slices.SortStableFunc(sorted, func(a, b Span) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.TraceID, b.TraceID), cmp.Compare(a.SpanID, b.SpanID))
	})

	var order []string
	byTrace := make(map[string][]Span)
	for _, s := range sorted {
		if _, seen := byTrace[s.TraceID]; !seen {
			order = append(order, s.TraceID)
		}
		byTrace[s.TraceID] = append(byTrace[s.TraceID], s)
	}

	traces := make([]*tree, 0, len(order))
	for _, id := range order {
		traces = append(traces, buildTrace(id, byTrace[id]))
	}
	return traces
}

// buildTrace links the spans of one trace, already in start order, into a tree through their parent
// IDs.
func buildTrace(id string, spans []Span) *tree {
	t := &tree{id: id, start: spans[0].Start, end: spans[0].End(), spans: len(spans)}
	present := make(map[string]bool, len(spans))
	for _, s := range spans {
		present[s.SpanID] = true
		if s.End().After(t.end) {
			t.end = s.End()
		}
	}

	// A span is a root when it has no parent, or its parent is not here (a remote caller that was
	// not recorded, or a span lost on the way). Everything else is a child of its parent.
	isRoot := func(s Span) bool {
		return s.ParentSpanID == "" || !present[s.ParentSpanID]
	}
	children := make(map[string][]int) // parent span ID -> indexes into spans
	for i, s := range spans {
		if !isRoot(s) {
			children[s.ParentSpanID] = append(children[s.ParentSpanID], i)
		}
	}

	// grow builds the subtree under spans[i]. visited guarantees every span is drawn exactly once,
	// even for malformed input: two spans sharing an ID, or parents that form a cycle.
	visited := make([]bool, len(spans))
	var grow func(i int) *node
	grow = func(i int) *node {
		visited[i] = true
		n := &node{span: spans[i]}
		for _, c := range children[spans[i].SpanID] {
			if !visited[c] {
				n.children = append(n.children, grow(c))
			}
		}
		return n
	}
	for i, s := range spans {
		if isRoot(s) {
			t.roots = append(t.roots, grow(i))
		}
	}
	// Spans whose parents form a cycle (A's parent is B and B's is A, or a span is its own parent)
	// hang under no root; the earliest of each cycle becomes one instead of silently vanishing.
	for i := range spans {
		if !visited[i] {
			t.roots = append(t.roots, grow(i))
		}
	}
	slices.SortStableFunc(t.roots, func(a, b *node) int { return a.span.Start.Compare(b.span.Start) })
	return t
}
