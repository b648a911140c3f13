package chain_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/baggage"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
)

func withMember(t *testing.T, key, value string) context.Context {
	t.Helper()
	m, err := baggage.NewMemberRaw(key, value)
	require.NoError(t, err)
	b, err := baggage.New(m)
	require.NoError(t, err)
	return baggage.ContextWithBaggage(context.Background(), b)
}

func TestFaultsApplyOnlyToTheNamedService(t *testing.T) {
	read := chain.Faults{Service: chain.Read, Delay: time.Hour}
	assert.NoError(t, read.Apply(context.Background()), "no baggage, no fault")
	assert.NoError(t, read.Apply(withMember(t, chain.BaggageFail, chain.Write)), "another service's fault")
	assert.ErrorIs(t, read.Apply(withMember(t, chain.BaggageFail, chain.Read)), chain.ErrInjected)

	ctx, cancel := context.WithTimeout(withMember(t, chain.BaggageSlow, chain.Read), 10*time.Millisecond)
	defer cancel()
	err := read.Apply(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "the delay gives way to the deadline")
}

func TestFaultsWithoutAServiceNeverFire(t *testing.T) {
	assert.NoError(t, chain.Faults{}.Apply(context.Background()), "an absent knob and an empty name must not match")
}
