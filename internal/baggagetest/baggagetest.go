// Package baggagetest builds, in a test, the context a service's code runs with when its caller
// sent W3C baggage.
package baggagetest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/baggage"
)

// With returns ctx carrying the baggage members given as key, value pairs. A value is taken as
// it is (baggage.NewMemberRaw), so a student's name may hold a space.
func With(t testing.TB, ctx context.Context, kv ...string) context.Context {
	t.Helper()
	require.Zero(t, len(kv)%2, "key, value pairs")
	var members []baggage.Member
	for i := 0; i < len(kv); i += 2 {
		m, err := baggage.NewMemberRaw(kv[i], kv[i+1])
		require.NoError(t, err)
		members = append(members, m)
	}
	b, err := baggage.New(members...)
	require.NoError(t, err)
	return baggage.ContextWithBaggage(ctx, b)
}
