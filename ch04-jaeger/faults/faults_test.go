package faults_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/internal/baggagetest"
)

func TestKnobAppliesOnlyToTheNamedService(t *testing.T) {
	read := faults.Knob{Service: "read", Delay: time.Hour}
	assert.NoError(t, read.Apply(context.Background()), "no baggage, no fault")
	assert.NoError(t, read.Apply(baggagetest.With(t, context.Background(), faults.BaggageFail, "write")), "another service's fault")
	assert.ErrorIs(t, read.Apply(baggagetest.With(t, context.Background(), faults.BaggageFail, "read")), faults.ErrInjected)

	ctx, cancel := context.WithTimeout(baggagetest.With(t, context.Background(), faults.BaggageSlow, "read"), 10*time.Millisecond)
	defer cancel()
	err := read.Apply(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "the delay gives way to the deadline")
}

func TestKnobWithoutAServiceNeverFire(t *testing.T) {
	assert.NoError(t, faults.Knob{}.Apply(context.Background()), "an absent knob and an empty name must not match")
}
