package handmade_test

import (
	"errors"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/calc/calctest"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/handmade"
)

// startServer serves a handmade Calculator on a loopback port until the test ends, and returns
// its address and the recorder of what it logs.
func startServer(t *testing.T, codec calc.Codec) (string, *logRecorder) {
	t.Helper()
	rec, logger := newLogRecorder()
	srv, err := calc.NewServer(
		calc.WithCodec(codec),
		calc.WithReceiver(handmade.NewCalculator(logger)),
		calctest.Quiet,
	)
	require.NoError(t, err)
	return calctest.Start(t, srv), rec
}

func TestServerContinuesClientTrace(t *testing.T) {
	tests := []struct {
		codec calc.Codec
		op    calc.Op
		a, b  int
		want  int
	}{
		{calc.Gob, calc.OpAdd, 2, 3, 5},
		{calc.Gob, calc.OpSub, 2, 3, -1},
		{calc.Gob, calc.OpMul, 6, 7, 42},
		{calc.Gob, calc.OpDiv, 7, 2, 3},
		{calc.JSON, calc.OpAdd, 2, 3, 5},
		{calc.JSON, calc.OpDiv, 7, 2, 3},
	}
	for _, tt := range tests {
		t.Run(string(tt.codec)+"/"+string(tt.op), func(t *testing.T) {
			addr, serverLog := startServer(t, tt.codec)
			clientLog, logger := newLogRecorder()
			client := handmade.NewClient(calctest.Dial(t, addr, tt.codec), logger)

			got, err := client.Do(calctest.CallCtx(t), tt.op, tt.a, tt.b)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)

			c := clientLog.only(t, "calling")
			s := serverLog.only(t, "handled")
			assert.Equal(t, c["trace_id"], s["trace_id"], "one trace on both sides")
			assert.Equal(t, c["span_id"], s["parent_id"], "the server's parent is the client's span")
			assert.NotEqual(t, c["span_id"], s["span_id"], "the server has a span of its own")
			assert.Empty(t, c["parent_id"], "the client is the root")
			assert.Equal(t, tt.op.Method(), c["method"])
			assert.Equal(t, tt.op.Method(), s["method"])
			assert.InDelta(t, tt.want, s["result"], 0)
			assert.Empty(t, serverLog.records(t, "bad traceparent, new trace"))
		})
	}
}

func TestDivisionByZeroStillFails(t *testing.T) {
	addr, serverLog := startServer(t, calc.Gob)
	clientLog, logger := newLogRecorder()
	client := handmade.NewClient(calctest.Dial(t, addr, calc.Gob), logger)

	_, err := client.Do(calctest.CallCtx(t), calc.OpDiv, 7, 0)
	require.ErrorIs(t, err, calc.ErrDivisionByZero)

	c := clientLog.only(t, "calling")
	s := serverLog.only(t, "handled")
	assert.Equal(t, c["trace_id"], s["trace_id"])
	assert.Equal(t, c["span_id"], s["parent_id"])
	assert.Equal(t, slog.LevelError.String(), s["level"])
	assert.Equal(t, calc.ErrDivisionByZero.Error(), s["error"])
}

func TestUnknownOpStartsNoTrace(t *testing.T) {
	addr, _ := startServer(t, calc.Gob)
	clientLog, logger := newLogRecorder()
	client := handmade.NewClient(calctest.Dial(t, addr, calc.Gob), logger)

	_, err := client.Do(calctest.CallCtx(t), calc.Op("pow"), 2, 3)
	require.ErrorContains(t, err, `unknown operation "pow"`, "chapter 1's error, not net/rpc's")
	assert.Empty(t, clientLog.records(t, ""), "no trace started")
}

// TestBadTraceParentStartsNewTrace sends requests as an old or broken client would: the server
// must answer anyway, as the root of a trace of its own.
func TestBadTraceParentStartsNewTrace(t *testing.T) {
	tests := []struct {
		name     string
		header   string
		wantRule error // nil: missing, which is normal and not worth a warning
	}{
		{name: "missing", header: ""},
		{name: "garbage", header: "hello", wantRule: handmade.ErrLength},
		{name: "uppercase", header: withPart(t, 3, "4BF9"), wantRule: handmade.ErrUppercase},
		{name: "zero trace-id", header: withPart(t, 3, "00000000000000000000000000000000"), wantRule: handmade.ErrZeroTraceID},
		{name: "version ff", header: withPart(t, 0, "ff"), wantRule: handmade.ErrVersionFF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, serverLog := startServer(t, calc.Gob)
			client := calctest.Dial(t, addr, calc.Gob)

			var reply calc.Reply
			req := handmade.Request{TraceParent: tt.header, Args: calc.Args{A: 2, B: 3}}
			require.NoError(t, client.Call(calctest.CallCtx(t), calc.OpAdd.Method(), &req, &reply))
			assert.Equal(t, 5, reply.Result, "the call succeeds whatever the header")

			s := serverLog.only(t, "handled")
			assert.Empty(t, s["parent_id"], "a new root trace")
			traceID, err := handmade.ParseTraceID(s["trace_id"].(string))
			require.NoError(t, err, "the new trace ID is valid")
			assert.NotEqual(t, specTraceID, traceID.String())

			warnings := serverLog.records(t, "bad traceparent, new trace")
			if tt.wantRule == nil {
				assert.Empty(t, warnings)
				return
			}
			require.Len(t, warnings, 1)
			w := warnings[0]
			assert.Equal(t, tt.header, w["traceparent"])
			_, wantErr := handmade.ParseTraceParent(tt.header)
			require.ErrorIs(t, wantErr, tt.wantRule)
			assert.Equal(t, wantErr.Error(), w["error"])
			assert.Equal(t, s["trace_id"], w["trace_id"], "the warning is findable under the new trace")
		})
	}
}

// TestConcurrentCallsKeepTracesApart makes many calls at once over one connection: each server
// record must belong to the client call that caused it, and no two calls may share a trace.
func TestConcurrentCallsKeepTracesApart(t *testing.T) {
	const n = 50
	addr, serverLog := startServer(t, calc.Gob)
	clientLog, logger := newLogRecorder()
	client := handmade.NewClient(calctest.Dial(t, addr, calc.Gob), logger)
	ctx := calctest.CallCtx(t)

	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			got, err := client.Do(ctx, calc.OpAdd, i, i)
			if err == nil && got != 2*i {
				err = errors.New("wrong result")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	traceOfClientSpan := make(map[any]any, n)
	for _, c := range clientLog.records(t, "calling") {
		traceOfClientSpan[c["span_id"]] = c["trace_id"]
	}
	require.Len(t, traceOfClientSpan, n)
	traces := make(map[any]bool, n)
	for _, s := range serverLog.records(t, "handled") {
		assert.Equal(t, traceOfClientSpan[s["parent_id"]], s["trace_id"], "server span paired with its client span")
		traces[s["trace_id"]] = true
	}
	assert.Len(t, traces, n, "every call is a trace of its own")
}
