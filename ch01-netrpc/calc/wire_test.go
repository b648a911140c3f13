package calc_test

import (
	"context"
	"errors"
	"net/rpc"
	"net/rpc/jsonrpc"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/calc/calctest"
)

// TestRemoteArithmetic runs the whole arithmetic table through a real server on a loopback
// port, for each codec: the answers and the errors must be the ones computed locally, including
// MaxInt and MinInt, which JSON carries as plain numbers.
func TestRemoteArithmetic(t *testing.T) {
	for _, codec := range codecs {
		t.Run(codec.String(), func(t *testing.T) {
			srv := startServer(t, calc.WithCodec(codec))
			client := calctest.Dial(t, srv.Addr, codec)
			for _, tc := range arithmetic {
				t.Run(name(tc.op, tc.a, tc.b), func(t *testing.T) {
					got, err := client.Do(calctest.CallCtx(t), tc.op, tc.a, tc.b)
					assertResult(t, tc.want, tc.wantErr, got, err)
				})
			}
		})
	}
}

// TestRemoteErrors checks what a remote error looks like on the client. net/rpc sends only the
// text; the Client turns it back into something errors.Is recognises, while keeping it an
// rpc.ServerError so callers can still tell a remote error from a broken connection. A bare
// rpc.Client, the control, cannot match the sentinel: that is why Client does the work.
func TestRemoteErrors(t *testing.T) {
	tests := []struct {
		op      calc.Op
		a, b    int
		wantErr error
	}{
		{calc.OpDiv, 7, 0, calc.ErrDivisionByZero},
		{calc.OpAdd, 1 << 62, 1 << 62, calc.ErrOverflow},
	}
	for _, codec := range codecs {
		t.Run(codec.String(), func(t *testing.T) {
			srv := startServer(t, calc.WithCodec(codec))
			client := calctest.Dial(t, srv.Addr, codec)
			for _, tc := range tests {
				t.Run(tc.wantErr.Error(), func(t *testing.T) {
					_, err := client.Do(calctest.CallCtx(t), tc.op, tc.a, tc.b)
					assert.ErrorIs(t, err, tc.wantErr)
					assert.EqualError(t, err, tc.wantErr.Error())
					var serverErr rpc.ServerError
					assert.ErrorAs(t, err, &serverErr)

					raw := rawDial(t, srv.Addr, codec)
					rawErr := raw.Call(tc.op.Method(), &calc.Args{A: tc.a, B: tc.b}, new(calc.Reply))
					assert.EqualError(t, rawErr, tc.wantErr.Error())
					assert.NotErrorIs(t, rawErr, tc.wantErr, "a bare rpc.Client only has the text")
				})
			}
		})
	}
}

// rawDial connects a bare net/rpc client, the article's way, and closes it when the test ends.
func rawDial(t *testing.T, addr string, codec calc.Codec) *rpc.Client {
	t.Helper()
	dial := rpc.Dial
	if codec == calc.JSON {
		dial = jsonrpc.Dial
	}
	c, err := dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// TestConcurrentClients has 50 clients, each on its own connection, make 200 calls each at the
// same time, with operands unique to the client and the call. A reply delivered to the wrong
// call, or a data race in the server (go test -race), fails it.
func TestConcurrentClients(t *testing.T) {
	const clients, calls = 50, 200
	ops := []struct {
		op   calc.Op
		want func(a, b int) int
	}{
		{calc.OpAdd, func(a, b int) int { return a + b }},
		{calc.OpSub, func(a, b int) int { return a - b }},
		{calc.OpMul, func(a, b int) int { return a * b }},
		{calc.OpDiv, func(a, b int) int { return a / b }},
	}
	for _, codec := range codecs {
		t.Run(codec.String(), func(t *testing.T) {
			srv := startServer(t, calc.WithCodec(codec))
			var wg sync.WaitGroup
			for i := range clients {
				client := calctest.Dial(t, srv.Addr, codec)
				wg.Go(func() {
					for j := range calls {
						o := ops[j%len(ops)]
						a, b := i*1000+j, j+1
						// calctest.Patience bounds each call, not all 10,000: on a loaded machine under
						// -race the whole run can take longer than one call ever should.
						ctx, cancel := context.WithTimeout(t.Context(), calctest.Patience)
						got, err := client.Do(ctx, o.op, a, b)
						cancel()
						// assert, not require: require may only stop the test's own goroutine.
						if !assert.NoError(t, err) || !assert.Equal(t, o.want(a, b), got, name(o.op, a, b)) {
							return
						}
					}
				})
			}
			wg.Wait()
		})
	}
}

// TestCallReusesReplySafely reuses one Reply for two calls whose second result is 0. gob does not
// send zero-valued fields, so a bare rpc.Client (the control) leaves the old 5 in place; Client
// decodes into a fresh value and copies it, so the caller sees the real 0.
func TestCallReusesReplySafely(t *testing.T) {
	srv := startServer(t)
	client := calctest.Dial(t, srv.Addr, calc.Gob)
	var reply calc.Reply
	require.NoError(t, client.Call(calctest.CallCtx(t), "Calculator.Add", &calc.Args{A: 2, B: 3}, &reply))
	require.Equal(t, 5, reply.Result)
	require.NoError(t, client.Call(calctest.CallCtx(t), "Calculator.Sub", &calc.Args{A: 3, B: 3}, &reply))
	assert.Equal(t, 0, reply.Result)

	raw := rawDial(t, srv.Addr, calc.Gob)
	var rawReply calc.Reply
	require.NoError(t, raw.Call("Calculator.Add", &calc.Args{A: 2, B: 3}, &rawReply))
	require.NoError(t, raw.Call("Calculator.Sub", &calc.Args{A: 3, B: 3}, &rawReply))
	assert.Equal(t, 5, rawReply.Result, "net/rpc's gob codec kept the stale field")
}

// TestUnknownMethod checks that a call to a method or service that does not exist fails with
// net/rpc's own message naming it, and that the connection stays usable afterwards.
func TestUnknownMethod(t *testing.T) {
	tests := []struct{ method, wantErr string }{
		{"Calculator.Pow", "rpc: can't find method Calculator.Pow"},
		{"Calc.Add", "rpc: can't find service Calc.Add"},
		{"Add", "rpc: service/method request ill-formed: Add"},
	}
	for _, codec := range codecs {
		t.Run(codec.String(), func(t *testing.T) {
			srv := startServer(t, calc.WithCodec(codec))
			client := calctest.Dial(t, srv.Addr, codec)
			for _, tc := range tests {
				t.Run(tc.method, func(t *testing.T) {
					err := client.Call(calctest.CallCtx(t), tc.method, &calc.Args{A: 1, B: 2}, new(calc.Reply))
					assert.EqualError(t, err, tc.wantErr)
					assert.True(t, errors.As(err, new(rpc.ServerError)), "a remote error, not a broken connection")
					assertServes(t, client)
				})
			}
		})
	}
}

// TestWrongArgumentTypes sends arguments of the wrong shape. The server cannot decode them and
// says so in the decoder's own words; the connection stays usable. One case is a warning, not
// an error: JSON skips fields it does not know, so {"X":4,"Y":5} quietly arrives as 0 + 0.
func TestWrongArgumentTypes(t *testing.T) {
	tests := []struct {
		codec   calc.Codec
		name    string
		args    any
		wantErr string
	}{
		{calc.Gob, "string", "4+5", "gob: type mismatch in decoder: want struct type calc.Args; got non-struct"},
		{calc.Gob, "int", 9, "gob: type mismatch in decoder: want struct type calc.Args; got non-struct"},
		{calc.Gob, "struct with other fields", &struct{ X, Y int }{4, 5},
			"gob: type mismatch: no fields matched compiling decoder for Args"},
		{calc.JSON, "string", "4+5", "json: cannot unmarshal string into Go value of type calc.Args"},
		{calc.JSON, "int", 9, "json: cannot unmarshal number into Go value of type calc.Args"},
		{calc.JSON, "struct with other fields", &struct{ X, Y int }{4, 5}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.codec.String()+"/"+tc.name, func(t *testing.T) {
			srv := startServer(t, calc.WithCodec(tc.codec))
			client := calctest.Dial(t, srv.Addr, tc.codec)
			reply := calc.Reply{Result: -1}
			err := client.Call(calctest.CallCtx(t), "Calculator.Add", tc.args, &reply)
			if tc.wantErr == "" {
				assert.NoError(t, err)
				assert.Equal(t, 0, reply.Result, "both operands silently zero")
			} else {
				assert.EqualError(t, err, tc.wantErr)
			}
			assertServes(t, client)
		})
	}
}

// assertServes checks that client still gets correct answers.
func assertServes(t *testing.T, client *calc.Client) {
	t.Helper()
	got, err := client.Add(calctest.CallCtx(t), 2, 3)
	if assert.NoError(t, err, "the connection should still serve") {
		assert.Equal(t, 5, got)
	}
}
