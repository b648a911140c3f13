package faults_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/baggage"

	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
)

func withMember(t *testing.T, key, value string) context.Context {
	t.Helper()
	m, err := baggage.NewMemberRaw(key, value)
	require.NoError(t, err)
	b, err := baggage.New(m)
	require.NoError(t, err)
	return baggage.ContextWithBaggage(context.Background(), b)
}

func TestKnobAppliesOnlyToTheNamedService(t *testing.T) {
	read := faults.Knob{Service: "read", Delay: time.Hour}
	assert.NoError(t, read.Apply(context.Background()), "no baggage, no fault")
	assert.NoError(t, read.Apply(withMember(t, faults.BaggageFail, "write")), "another service's fault")
	assert.ErrorIs(t, read.Apply(withMember(t, faults.BaggageFail, "read")), faults.ErrInjected)

	ctx, cancel := context.WithTimeout(withMember(t, faults.BaggageSlow, "read"), 10*time.Millisecond)
	defer cancel()
	err := read.Apply(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "the delay gives way to the deadline")
}

func TestKnobWithoutAServiceNeverFire(t *testing.T) {
	assert.NoError(t, faults.Knob{}.Apply(context.Background()), "an absent knob and an empty name must not match")
}
