package calc_test

import (
	"context"
	"io"
	"net"
	"net/rpc"
	"net/rpc/jsonrpc"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/calc/calctest"
	"github.com/rpc-tracing/workbook/internal/proctest"
)

// TestCallTimesOutOnSilentServer calls a server that accepts the connection, reads the request
// and never answers. rpc.Client.Call would wait forever; Client must return the context's error
// soon after the deadline.
func TestCallTimesOutOnSilentServer(t *testing.T) {
	for _, codec := range codecs {
		t.Run(codec.String(), func(t *testing.T) {
			addr := fakeServer(t, func(conn net.Conn) { _, _ = io.Copy(io.Discard, conn) })
			client := calctest.Dial(t, addr, codec)

			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := client.Add(ctx, 4, 5)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.EqualError(t, err, "Calculator.Add: context deadline exceeded")
			assert.Less(t, time.Since(start), 2*time.Second, "the call should end at its deadline")
		})
	}
}

// TestLateReplyLeavesReplyAlone lets a call time out, then has the server answer it anyway,
// followed by the answer to a second call. The late answer must not land in the first call's
// reply, which its caller owns again once Call has returned. The fake server speaks JSON-RPC
// and answers in that order on one connection, so when the second call returns the client has
// certainly read the late answer.
func TestLateReplyLeavesReplyAlone(t *testing.T) {
	addr := fakeServer(t, func(conn net.Conn) {
		codec := jsonrpc.NewServerCodec(conn)
		first, second := readRequest(codec), readRequest(codec)
		if first == nil || second == nil {
			return
		}
		_ = codec.WriteResponse(responseTo(first), &calc.Reply{Result: 9})
		_ = codec.WriteResponse(responseTo(second), &calc.Reply{Result: 2})
	})
	client := calctest.Dial(t, addr, calc.JSON)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	reply := calc.Reply{Result: -1}
	err := client.Call(ctx, "Calculator.Add", &calc.Args{A: 4, B: 5}, &reply)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	got, err := client.Add(calctest.CallCtx(t), 1, 1)
	require.NoError(t, err)
	require.Equal(t, 2, got)
	assert.Equal(t, calc.Reply{Result: -1}, reply, "the late answer was written into the caller's reply")
}

// TestEndedContextSendsNothing calls with a context that has already ended, then with a live
// one. The fake server sees only the second call: a caller that gave up costs the server nothing.
func TestEndedContextSendsNothing(t *testing.T) {
	seen := make(chan string, 2)
	addr := fakeServer(t, func(conn net.Conn) {
		codec := jsonrpc.NewServerCodec(conn)
		for req := readRequest(codec); req != nil; req = readRequest(codec) {
			seen <- req.ServiceMethod
			_ = codec.WriteResponse(responseTo(req), &calc.Reply{Result: 1})
		}
	})
	client := calctest.Dial(t, addr, calc.JSON)

	ended, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := client.Add(ended, 4, 5)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = client.Sub(calctest.CallCtx(t), 4, 5)
	require.NoError(t, err)
	assert.Equal(t, "Calculator.Sub", <-seen, "the first request the server saw")
}

// readRequest reads one request and discards its arguments; nil means the connection ended.
func readRequest(codec rpc.ServerCodec) *rpc.Request {
	var req rpc.Request
	if codec.ReadRequestHeader(&req) != nil || codec.ReadRequestBody(nil) != nil {
		return nil
	}
	return &req
}

// responseTo is the header of a successful answer to req.
func responseTo(req *rpc.Request) *rpc.Response {
	return &rpc.Response{ServiceMethod: req.ServiceMethod, Seq: req.Seq}
}

// TestDialErrors checks that Dial fails with the cause a caller can act on.
func TestDialErrors(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		wantErr error
	}{
		{"nothing listening", context.Background(), syscall.ECONNREFUSED},
		{"context already ended", canceled, context.Canceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr := proctest.FreeAddr(t) // nothing listens there
			_, err := calc.Dial(tc.ctx, addr, calc.Gob)
			assert.ErrorIs(t, err, tc.wantErr)
			assert.ErrorContains(t, err, "dial tcp "+addr, "the error names the address, once")
			assert.Equal(t, 1, strings.Count(err.Error(), addr), err.Error())
		})
	}
}

// fakeServer accepts connections on 127.0.0.1:0 and hands each to handle, which plays the
// server. When the test ends it closes the listener and every connection and waits for the
// handlers to return.
func fakeServer(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
	)
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return // the listener was closed
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
			wg.Go(func() { handle(conn) })
		}
	})
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}
