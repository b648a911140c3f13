package proxy_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch03-grpc/exercises/proxy/check"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
)

// detached is the proxy done wrong, as the exercise's stub ships: it calls the backend with
// context.Background() instead of the ctx it was given.
type detached struct {
	calculatorv1.UnimplementedCalculatorServiceServer
	backend calculatorv1.CalculatorServiceClient
}

func (d detached) Add(_ context.Context, in *calculatorv1.Operands) (*calculatorv1.Result, error) {
	return d.backend.Add(context.Background(), in)
}

// With a detached context nothing fails, yet both lessons are lost: the backend's spans start a
// trace of their own, and the backend has no deadline, so it would work on after the client
// gave up.
func TestADetachedContextLosesTheTraceAndTheDeadline(t *testing.T) {
	c := check.NewChain(t, func(b calculatorv1.CalculatorServiceClient) calculatorv1.CalculatorServiceServer {
		return detached{backend: b}
	}, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := c.Client.Add(ctx, &calculatorv1.Operands{A: 2, B: 3})
	require.NoError(t, err)
	assert.Equal(t, int64(5), got.GetValue())
	assert.True(t, c.BackendDeadline(t).IsZero(), "the backend has no deadline")

	spans := c.Spans(t)
	assert.False(t, spans[check.ProxyCall].Parent().IsValid(), "the proxy's call is a new root")
	assert.NotEqual(t, spans[check.ClientCall].SpanContext().TraceID(), spans[check.BackendServer].SpanContext().TraceID(),
		"two traces where there should be one")
}
