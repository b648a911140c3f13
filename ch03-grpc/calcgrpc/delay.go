package calcgrpc

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// Delay is how long the server waits before answering: the latency knob of the deadline lesson.
type Delay = time.Duration

// MaxDelay caps the delay a caller may ask for, so the knob cannot hold a server's goroutines
// for long.
const MaxDelay = 10 * time.Second

// DelayKey is the metadata key a client sets to ask the server to wait before answering.
const DelayKey = "x-calc-delay"

// WithDelay returns a context whose calls ask the server to wait d before answering, e.g. to
// watch a deadline expire. It is a teaching knob: a real service would not take such orders.
func WithDelay(ctx context.Context, d time.Duration) context.Context {
	return metadata.AppendToOutgoingContext(ctx, DelayKey, d.String())
}

// delayPolicy decides how long a call waits: the caller's x-calc-delay, or the server's default.
type delayPolicy struct{ def time.Duration }

func (p delayPolicy) forCall(ctx context.Context) (time.Duration, error) {
	values := metadata.ValueFromIncomingContext(ctx, DelayKey)
	if len(values) == 0 {
		return p.def, nil
	}
	d, err := time.ParseDuration(values[0])
	if err != nil || d < 0 || d > MaxDelay {
		return 0, status.Errorf(codes.InvalidArgument, "%s: want a duration between 0 and %s, got %q", DelayKey, MaxDelay, values[0])
	}
	return d, nil
}

// wait sleeps for the call's delay, or less if the call is cancelled or its deadline passes:
// the server stops working for a client that has stopped waiting.
func (p delayPolicy) wait(ctx context.Context) error {
	d, err := p.forCall(ctx)
	if err != nil || d == 0 {
		return err
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return status.FromContextError(fmt.Errorf("waiting %s: %w", d, ctx.Err())).Err()
	}
}
