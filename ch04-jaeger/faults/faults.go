// Package faults is the services' latency and failure knob: a request names, in its baggage, one
// service to slow down or to fail, so a reader can break exactly one service for exactly one
// request and find it in the trace.
package faults

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/trace"
)

// The baggage members that turn a knob on. The edge sets them from ?slow= and ?fail=; every span
// of the request carries them as attributes.
const (
	// BaggageSlow names the service that should answer slowly for this request.
	BaggageSlow = "study.slow"
	// BaggageFail names the service that should fail for this request.
	BaggageFail = "study.fail"
)

// ErrInjected is the failure a service returns when the request's baggage asks it to fail.
var ErrInjected = errors.New("injected failure")

// Knob is one service's latency and failure knob. Requests turn it on through baggage.
type Knob struct {
	Service string
	// Delay is how long the service waits when the request asks it to be slow.
	Delay time.Duration
	// Logger, if set, gets a line for every fault applied, logged with the request's context.
	Logger *slog.Logger
}

// Apply waits or fails if the request's baggage names this service, and records what it did as
// an event on the current span. The wait ends early if the request's deadline passes.
func (f Knob) Apply(ctx context.Context) error {
	if f.Service == "" {
		return nil // a Knob without a service never matches: an absent knob is also ""
	}
	b := baggage.FromContext(ctx)
	span := trace.SpanFromContext(ctx)
	// region: inject
	if b.Member(BaggageSlow).Value() == f.Service && f.Delay > 0 {
		span.AddEvent("injected delay", trace.WithAttributes(attribute.String("delay", f.Delay.String())))
		f.log(ctx, "injected delay", "delay", f.Delay)
		timer := time.NewTimer(f.Delay)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
			return fmt.Errorf("%s: slowed down: %w", f.Service, ctx.Err())
		}
	}
	// endregion
	if b.Member(BaggageFail).Value() == f.Service {
		span.AddEvent("injected failure")
		f.log(ctx, "injected failure")
		return fmt.Errorf("%s: %w", f.Service, ErrInjected)
	}
	return nil
}

func (f Knob) log(ctx context.Context, msg string, args ...any) {
	if f.Logger != nil {
		f.Logger.WarnContext(ctx, msg, args...)
	}
}
