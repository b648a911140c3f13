package waterfall

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestRenderGolden compares the drawing of each case with testdata/<case>.golden. After a deliberate
// change to the output, refresh the files with
//
//	go test ./internal/waterfall -run TestRenderGolden -update
//
// and review the diff: the golden files are the specification of what a reader sees.
func TestRenderGolden(t *testing.T) {
	ms, us := time.Millisecond, time.Microsecond
	tests := []struct {
		name  string
		width int
		spans []Span
	}{
		{name: "empty"},
		{name: "div_by_zero", spans: divByZero()},
		{name: "concurrent_siblings", spans: chain()},
		{name: "deep_nesting", spans: nested(8)},
		{name: "narrow", width: 10, spans: divByZero()},
		// Traces are given newest first; they must come out oldest first, each scaled on its own.
		{name: "several_traces", spans: slices.Concat(shift(nested(3), 2*time.Second), shift(chain(), time.Second), divByZero())},
		{name: "orphans", spans: []Span{
			// The client that called this server was not recorded: its span is a root.
			{TraceID: traceA, SpanID: "c000000000000002", ParentSpanID: "c000000000000001",
				Service: "calc-server", Name: "Calculator.Add", Kind: "server", Start: at(0), Duration: 2 * ms},
			{TraceID: traceA, SpanID: "c000000000000003", ParentSpanID: "c000000000000002",
				Service: "calc-server", Name: "validate", Kind: "internal", Start: at(ms), Duration: 500 * us},
			// A second orphan whose parent was lost, later in the same trace.
			{TraceID: traceA, SpanID: "c000000000000005", ParentSpanID: "c000000000000004",
				Service: "calc-server", Name: "Calculator.Mul", Kind: "server", Start: at(3 * ms), Duration: ms},
		}},
		{name: "zero_durations", spans: []Span{
			{TraceID: traceA, SpanID: "d000000000000001", Service: "calc-client", Name: "Calculator.Add",
				Kind: "client", Start: at(0), Duration: 100 * ms},
			// One cell of 40 is 2.5ms: a 1µs span still gets one, an instant gets a thin mark.
			{TraceID: traceA, SpanID: "d000000000000002", ParentSpanID: "d000000000000001",
				Service: "calc-client", Name: "dial", Kind: "internal", Start: at(ms), Duration: us},
			{TraceID: traceA, SpanID: "d000000000000003", ParentSpanID: "d000000000000001",
				Service: "calc-client", Name: "cache hit", Kind: "internal", Start: at(50 * ms)},
			{TraceID: traceA, SpanID: "d000000000000004", ParentSpanID: "d000000000000001",
				Service: "calc-client", Name: "done", Kind: "internal", Start: at(100 * ms)},
			// A trace that is nothing but an instant is zero long: no scale, the mark sits left.
			{TraceID: traceB, SpanID: "d000000000000005", Service: "calc-client", Name: "ping",
				Kind: "client", Start: at(200 * ms), Error: true},
		}},
		{name: "malformed_parents", spans: []Span{
			// A span that names itself as parent, and two spans that name each other: every one
			// is still drawn exactly once.
			{TraceID: traceA, SpanID: "e000000000000001", ParentSpanID: "e000000000000001",
				Service: "odd", Name: "self", Kind: "internal", Start: at(0), Duration: 4 * ms},
			{TraceID: traceA, SpanID: "e000000000000002", ParentSpanID: "e000000000000003",
				Service: "odd", Name: "cycle-a", Kind: "internal", Start: at(ms), Duration: 2 * ms},
			{TraceID: traceA, SpanID: "e000000000000003", ParentSpanID: "e000000000000002",
				Service: "odd", Name: "cycle-b", Kind: "internal", Start: at(2 * ms), Duration: ms},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, Renderer{Width: tt.width}.Render(&buf, tt.spans))
			assertGolden(t, filepath.Join("testdata", tt.name+".golden"), buf.String())
		})
	}
}

// shift returns spans moved d later, so fixtures that all start at t0 can follow each other.
func shift(spans []Span, d time.Duration) []Span {
	moved := slices.Clone(spans)
	for i := range moved {
		moved[i].Start = moved[i].Start.Add(d)
	}
	return moved
}

// assertGolden checks got against the golden file at path, rewriting the file first under -update.
func assertGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run the test with -update to create it")
	assert.Equal(t, string(want), got)
}

// TestRenderIgnoresInputOrder proves the output depends on the spans only: exporters hand spans
// over in the order they end, Jaeger in an order of its own, and the drawing must not change.
func TestRenderIgnoresInputOrder(t *testing.T) {
	spans := slices.Concat(chain(), divByZero(), nested(4))
	var want bytes.Buffer
	require.NoError(t, Render(&want, spans))

	reversed := slices.Clone(spans)
	slices.Reverse(reversed)
	tests := []struct {
		name  string
		spans []Span
	}{
		{name: "reversed", spans: reversed},
		{name: "rotated", spans: slices.Concat(spans[5:], spans[:5])},
		{name: "interleaved", spans: interleave(spans)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NotEqual(t, spans, tt.spans, "the permutation must change the order")
			before := slices.Clone(tt.spans)
			var got bytes.Buffer
			require.NoError(t, Render(&got, tt.spans))
			assert.Equal(t, want.String(), got.String())
			assert.Equal(t, before, tt.spans, "Render must not reorder the caller's slice")
		})
	}
}

// interleave returns the even-indexed spans followed by the odd-indexed ones.
func interleave(spans []Span) []Span {
	var even, odd []Span
	for i, s := range spans {
		if i%2 == 0 {
			even = append(even, s)
		} else {
			odd = append(odd, s)
		}
	}
	return append(even, odd...)
}

// failingWriter fails every write, like a closed pipe.
type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

func TestRenderReturnsWriteError(t *testing.T) {
	errClosed := errors.New("pipe closed")
	err := Render(failingWriter{err: errClosed}, divByZero())
	assert.ErrorIs(t, err, errClosed)
}

func TestBar(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name             string
		width            int
		offset, d, total time.Duration
		want             string
	}{
		{name: "whole trace", width: 10, d: 10 * ms, total: 10 * ms, want: "██████████"},
		{name: "second half", width: 10, offset: 5 * ms, d: 5 * ms, total: 10 * ms, want: "     █████"},
		{name: "middle", width: 10, offset: 2 * ms, d: 3 * ms, total: 10 * ms, want: "  ███     "},
		{name: "rounds to the nearest cell", width: 10, offset: 1260 * time.Microsecond, d: 2 * ms, total: 10 * ms, want: " ██       "},
		{name: "tiny span gets one cell", width: 10, offset: 3 * ms, d: 1, total: 10 * ms, want: "   █      "},
		{name: "tiny span at the end stays inside", width: 10, offset: 10*ms - 1, d: 1, total: 10 * ms, want: "         █"},
		{name: "instant", width: 10, offset: 5 * ms, total: 10 * ms, want: "     ▏    "},
		{name: "instant at the end stays inside", width: 10, offset: 10 * ms, total: 10 * ms, want: "         ▏"},
		{name: "zero-length trace", width: 4, want: "▏   "},
		{name: "negative duration counts as zero", width: 4, offset: 2 * ms, d: -ms, total: 4 * ms, want: "  ▏ "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := bar(tt.width, tt.offset, tt.d, tt.total)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.width, runeLen(got), "every bar is exactly as wide as the track")
		})
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{d: 0, want: "0s"},
		{d: -time.Second, want: "0s"},
		{d: 850, want: "850ns"},
		{d: 1234, want: "1.23µs"},
		{d: 900 * time.Microsecond, want: "900µs"},
		{d: 1200 * time.Microsecond, want: "1.2ms"},
		{d: 1234567, want: "1.23ms"},
		{d: 999_900 * time.Nanosecond, want: "1ms"},
		{d: 12_345_678, want: "12.3ms"},
		{d: 1_234_567_890, want: "1.23s"},
		{d: 90 * time.Second, want: "1m30s"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, FormatDuration(tt.d))
		})
	}
}
