package baggagetest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/otel/baggage"

	"github.com/rpc-tracing/workbook/internal/baggagetest"
)

func TestWithCarriesEveryPairAsItIs(t *testing.T) {
	ctx := baggagetest.With(t, context.Background(), "study.student", "Ada Lovelace", "tenant", "acme")
	b := baggage.FromContext(ctx)
	assert.Equal(t, 2, b.Len())
	assert.Equal(t, "Ada Lovelace", b.Member("study.student").Value())
	assert.Equal(t, "acme", b.Member("tenant").Value())
}
