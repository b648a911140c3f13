// Package check is the check of chapter 3's second exercise, shared by the stub you edit
// (exercises/proxy, run with `make exercise EX=ch03/proxy`) and the reference solution
// (solutions/proxy). It builds client → proxy → backend over in-memory connections, each with
// its own TracerProvider, and reads the four spans of a call and what the backend saw.
package check

import (
	"context"
	"math"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/internal/exercise"
	"github.com/rpc-tracing/workbook/internal/spantest"
)

// passCtx is the hint for every way of losing the caller's context.
const passCtx = "hint: which ctx does the proxy hand the backend call? The one Add was handed holds the proxy's " +
	"SERVER span (otelgrpc's client handler sends it on as traceparent) and the client's deadline " +
	"(gRPC sends it on as grpc-timeout), and it ends when the client cancels: a context rebuilt from the " +
	"span and the deadline loses that."

// All runs every check of the exercise on the proxy newProxy makes.
func All(t *testing.T, newProxy NewProxy) {
	t.Helper()
	t.Run("one trace of four spans", func(t *testing.T) { OneTraceOfFourSpans(t, newProxy) })
	t.Run("the backend sees the client's deadline", func(t *testing.T) { BackendSeesTheClientsDeadline(t, newProxy) })
	t.Run("a slow backend stops with the client", func(t *testing.T) { SlowBackendStopsWithTheClient(t, newProxy) })
	t.Run("the backend's status reaches the client", func(t *testing.T) { BackendsStatusReachesTheClient(t, newProxy) })
}

// OneTraceOfFourSpans checks that Add(2, 3) through the proxy answers 5 and makes one trace:
// the client's CLIENT span, the proxy's SERVER span, the proxy's CLIENT span and the backend's
// SERVER span, each the parent of the next.
func OneTraceOfFourSpans(t *testing.T, newProxy NewProxy) {
	t.Helper()
	exercise.NoLeaks(t)
	c := NewChain(t, newProxy, 0)
	res, err := c.Client.Add(context.Background(), &calculatorv1.Operands{A: 2, B: 3})
	if err != nil || res.GetValue() != 5 {
		t.Fatalf("Add(2, 3) through the proxy = %d, %v; want 5, nil\nhint: the proxy's Add returns what the backend answers", res.GetValue(), err)
	}
	spans := c.Spans(t)
	chain := []Hop{ClientCall, ProxyServer, ProxyCall, BackendServer}
	for i, h := range chain[1:] {
		parent, child := spans[chain[i]], spans[h]
		switch {
		case child.SpanContext().TraceID() != parent.SpanContext().TraceID():
			t.Fatalf("%s is in trace %s, %s in trace %s: want one trace, the chain breaks here\n%s",
				h, child.SpanContext().TraceID(), chain[i], parent.SpanContext().TraceID(), passCtx)
		case child.Parent().SpanID() != parent.SpanContext().SpanID():
			t.Fatalf("%s's parent is span %s, want %s (span %s)\n%s", h, child.Parent().SpanID(), chain[i], parent.SpanContext().SpanID(), passCtx)
		}
	}
}

// BackendSeesTheClientsDeadline gives the call a 30 s deadline and checks that the backend's
// handler has it too, give or take the time the request spent between hops.
func BackendSeesTheClientsDeadline(t *testing.T, newProxy NewProxy) {
	t.Helper()
	exercise.NoLeaks(t)
	c := NewChain(t, newProxy, 0)
	deadline := time.Now().Add(30 * time.Second)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	if _, err := c.Client.Add(ctx, &calculatorv1.Operands{A: 1, B: 2}); err != nil {
		t.Fatalf("Add(1, 2) through the proxy: %v", err)
	}
	got := c.BackendDeadline(t)
	if got.IsZero() {
		t.Fatalf("the backend's context has no deadline, want the client's (%s from now)\n%s", 30*time.Second, passCtx)
	}
	// The deadline travels as the time left, so each hop moves it later by the transit time:
	// microseconds in memory, but a busy machine under the race detector can take a good part of
	// a second. A deadline of the proxy's own would be further off than that.
	const slack = time.Second
	if d := got.Sub(deadline).Abs(); d > slack {
		t.Errorf("the backend's deadline is %s away from the client's, want it within %s\nhint: pass ctx on as it is; a context.WithTimeout of your own sets another deadline", d.Round(time.Millisecond), slack)
	}
}

// SlowBackendStopsWithTheClient uses a backend that takes 2 s and a client that stops waiting
// after 300 ms, once at its deadline and once by cancelling a call that has none: the client must
// get DEADLINE_EXCEEDED or CANCELED on time, and the backend's span must end soon after, because
// the cancellation travels down the chain.
func SlowBackendStopsWithTheClient(t *testing.T, newProxy NewProxy) {
	t.Helper()
	exercise.NoLeaks(t)
	const backendDelay, patience = 2 * time.Second, 300 * time.Millisecond
	for _, tc := range []struct {
		name string
		stop func() (context.Context, context.CancelFunc)
		want codes.Code
	}{
		{"the client's deadline passes", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), patience)
		}, codes.DeadlineExceeded},
		{"the client cancels a call without a deadline", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(patience, cancel)
			return ctx, cancel
		}, codes.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewChain(t, newProxy, backendDelay)
			ctx, cancel := tc.stop()
			defer cancel()
			start := time.Now()
			_, err := c.Client.Add(ctx, &calculatorv1.Operands{A: 1, B: 2})
			if status.Code(err) != tc.want {
				t.Fatalf("the client got %v, want %s after %s", err, tc.want, patience)
			}
			if took := time.Since(start); took >= backendDelay {
				t.Errorf("the client waited %s, want about %s", took, patience)
			}
			spans := c.Spans(t)
			if took := spans[BackendServer].EndTime().Sub(spans[BackendServer].StartTime()); took >= backendDelay {
				t.Errorf("%s lasted %s, want it to stop when the client gave up (%s): the backend worked on for nobody\n%s",
					BackendServer, took.Round(time.Millisecond), patience, passCtx)
			}
		})
	}
}

// BackendsStatusReachesTheClient overflows Add and checks that all four spans, and the client,
// see the backend's OUT_OF_RANGE.
func BackendsStatusReachesTheClient(t *testing.T, newProxy NewProxy) {
	t.Helper()
	exercise.NoLeaks(t)
	c := NewChain(t, newProxy, 0)
	_, err := c.Client.Add(context.Background(), &calculatorv1.Operands{A: math.MaxInt64, B: 1})
	if status.Code(err) != codes.OutOfRange {
		t.Fatalf("Add(MaxInt64, 1) through the proxy returned %v, want OUT_OF_RANGE\nhint: return the backend's error as it is: it is already a gRPC status, and turning it into text (fmt.Errorf with %%v, errors.New) makes it UNKNOWN", err)
	}
	for h, s := range c.Spans(t) {
		if got := spantest.Attr(s, "rpc.response.status_code"); got != "OUT_OF_RANGE" {
			t.Errorf("%s has rpc.response.status_code %q, want OUT_OF_RANGE", h, got)
		}
	}
}
