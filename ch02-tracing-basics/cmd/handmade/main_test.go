package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// logLine is one trace line of the demo's output.
type logLine struct {
	side, msg, traceID, parentID, spanID, method, rest string
}

var logLineRE = regexp.MustCompile(
	`^(client|server) msg=(\w+) trace_id=([0-9a-f]{32}) parent_id=(""|[0-9a-f]{16}) span_id=([0-9a-f]{16}) method=(\S+)(.*)$`)

// traceLines returns the demo's trace lines in order, and the other lines apart.
func traceLines(t *testing.T, out string) (traces []logLine, other []string) {
	t.Helper()
	for line := range strings.Lines(out) {
		line = strings.TrimSuffix(line, "\n")
		m := logLineRE.FindStringSubmatch(line)
		if m == nil {
			other = append(other, line)
			continue
		}
		traces = append(traces, logLine{m[1], m[2], m[3], m[4], m[5], m[6], m[7]})
	}
	return traces, other
}

func TestRunShowsOneTraceOnBothSides(t *testing.T) {
	for _, codec := range []string{"gob", "json"} {
		t.Run(codec, func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, run(context.Background(), []string{"-codec", codec}, &out))

			traces, other := traceLines(t, out.String())
			require.Len(t, traces, 4, "a client and a server line per call:\n%s", out.String())
			calls := []struct{ method, serverRest, result string }{
				{"Calculator.Add", " result=5", "client 2 + 3 = 5"},
				{"Calculator.Div", ` error="division by zero"`, "client 7 / 0: division by zero"},
			}
			for i, call := range calls {
				client, server := traces[2*i], traces[2*i+1]
				assert.Equal(t, "client", client.side)
				assert.Equal(t, "server", server.side)
				assert.Equal(t, client.traceID, server.traceID, "%s: one trace ID on both sides", call.method)
				assert.Equal(t, client.spanID, server.parentID, "%s: the client's span is the server's parent", call.method)
				assert.NotEqual(t, client.spanID, server.spanID)
				assert.Equal(t, `""`, client.parentID, "the client starts the trace")
				assert.Equal(t, call.method, client.method)
				assert.Equal(t, call.method, server.method)
				assert.Equal(t, call.serverRest, server.rest)
				assert.Contains(t, other, call.result)
			}
			assert.NotEqual(t, traces[0].traceID, traces[2].traceID, "each call is a trace of its own")
		})
	}
}

func TestRunFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string // "" for success
		wantOut string
	}{
		{name: "help", args: []string{"-h"}, wantOut: "Usage of handmade"},
		{name: "unknown codec", args: []string{"-codec", "xml"}, wantErr: `unknown codec "xml"`},
		{name: "unknown flag", args: []string{"-nope"}, wantErr: "flag provided but not defined: -nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), tt.args, &out)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Contains(t, out.String(), tt.wantOut)
		})
	}
}

func TestRunStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	assert.ErrorIs(t, run(ctx, nil, &out), context.Canceled, "a cancelled demo fails instead of hanging")
}
