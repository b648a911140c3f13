package ch03grpc_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// This file reads what the chapter's programs print: the server's log lines and the
// waterfall's blocks, so the demo tests can check them field by field.

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func distinct(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// callLine is one "msg=call" line of the server's log, written by the logging interceptor.
type callLine struct{ code, traceID string }

type callLog []callLine

var callRE = regexp.MustCompile(`msg=call method=\S+ code=(\S+) duration=\S+ trace_id=([0-9a-f]{32}) span_id=[0-9a-f]{16}$`)

func callLines(log string) callLog {
	var calls callLog
	for line := range strings.Lines(log) {
		if m := callRE.FindStringSubmatch(strings.TrimSuffix(line, "\n")); m != nil {
			calls = append(calls, callLine{code: m[1], traceID: m[2]})
		}
	}
	return calls
}

func (c callLog) traceIDs() []string {
	ids := make([]string, len(c))
	for i, l := range c {
		ids[i] = l.traceID
	}
	return ids
}

func (c callLog) codeOf(traceID string) string {
	for _, l := range c {
		if l.traceID == traceID {
			return l.code
		}
	}
	return fmt.Sprintf("no call in trace %s", traceID)
}

// waterfallTrace is one block of the waterfall's output.
type waterfallTrace struct {
	spans int
	rows  []spanRow
}

// spanRow is one span line of a block: its depth in the tree, name, service, kind, and
// "ERROR <message>" for a failed span.
type spanRow struct {
	depth               int
	name, service, kind string
	err                 string
}

var (
	traceHeader = regexp.MustCompile(`^trace ([0-9a-f]{32})  \S+  (\d+) spans?$`)
	// A span line: tree glyphs and name, service, kind, a 40-cell bar, duration, maybe an error.
	spanLine = regexp.MustCompile(`^([│├└─ ]*)(.+?) {2,}(calc-grpc-\S+) {2,}(internal|client|server) +[█▏ ]{40} {2} *\S+(?: {2}(ERROR.*))?$`)
)

// parseWaterfall reads the waterfall command's output into its traces, by trace ID.
func parseWaterfall(t *testing.T, out string) map[string]waterfallTrace {
	t.Helper()
	traces := map[string]waterfallTrace{}
	for block := range strings.SplitSeq(strings.TrimSuffix(out, "\n"), "\n\n") {
		lines := strings.Split(block, "\n")
		h := traceHeader.FindStringSubmatch(lines[0])
		require.NotNil(t, h, "trace header: %q", lines[0])
		tr := waterfallTrace{}
		_, err := fmt.Sscan(h[2], &tr.spans)
		require.NoError(t, err)
		for _, line := range lines[1:] {
			m := spanLine.FindStringSubmatch(line)
			require.NotNil(t, m, "span line: %q", line)
			tr.rows = append(tr.rows, spanRow{
				depth: len([]rune(m[1])) / 3, name: m[2], service: m[3], kind: m[4], err: m[5],
			})
		}
		require.Len(t, tr.rows, tr.spans, "trace %s: the header counts its lines", h[1])
		traces[h[1]] = tr
	}
	return traces
}
