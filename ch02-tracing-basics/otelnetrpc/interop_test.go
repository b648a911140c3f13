package otelnetrpc_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc"
)

// codecOf names chapter 1's codec for the same wire format.
func codecOf(f otelnetrpc.Format) calc.Codec {
	if f == otelnetrpc.JSON {
		return calc.JSON
	}
	return calc.Gob
}

func TestTracedClientTalksToAnUntracedServer(t *testing.T) {
	for _, format := range formats {
		t.Run(string(format), func(t *testing.T) {
			tp, rec := newProvider(t)
			srv, err := calc.NewServer(calc.WithCodec(codecOf(format)))
			require.NoError(t, err)
			client := dial(t, serve(t, srv), format, otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(propagator()))

			var reply calc.Reply
			require.NoError(t, client.Call(context.Background(), "Calculator.Mul", &calc.Args{A: 6, B: 7}, &reply))
			assert.Equal(t, 42, reply.Result)
			byKind(t, waitSpans(t, rec, 1), trace.SpanKindClient)
		})
	}
}

func TestUntracedClientTalksToATracedServer(t *testing.T) {
	for _, format := range formats {
		t.Run(string(format), func(t *testing.T) {
			tp, rec := newProvider(t)
			addr := startServer(t, format, calc.Calculator{}, otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(propagator()))
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			client, err := calc.Dial(ctx, addr, codecOf(format))
			require.NoError(t, err)
			defer client.Close()

			got, err := client.Sub(ctx, 2, 3)
			require.NoError(t, err)
			assert.Equal(t, -1, got)
			ss := byKind(t, waitSpans(t, rec, 1), trace.SpanKindServer)
			assert.False(t, ss.Parent().IsValid(), "no context on the wire: a new root trace")
		})
	}
}

func TestGarbageOnTheWireClosesOnlyThatConnection(t *testing.T) {
	for _, format := range formats {
		t.Run(string(format), func(t *testing.T) {
			tp, _ := newProvider(t)
			opts := []otelnetrpc.Option{otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(propagator())}
			addr := startServer(t, format, calc.Calculator{}, opts...)

			conn, err := net.Dial("tcp", addr)
			require.NoError(t, err)
			defer conn.Close()
			_, err = conn.Write([]byte("\x07\xff\x00garbage{]"))
			require.NoError(t, err)
			require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
			_, err = conn.Read(make([]byte, 1))
			require.Error(t, err, "the server hangs up on a connection it cannot decode")

			var reply calc.Reply
			client := dial(t, addr, format, opts...)
			require.NoError(t, client.Call(context.Background(), "Calculator.Add", &calc.Args{A: 1, B: 1}, &reply))
			assert.Equal(t, 2, reply.Result)
		})
	}
}
