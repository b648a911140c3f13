package otelnetrpc

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The package's TestMain (with goleak) is in otelnetrpc_test.go; in-package and external tests
// of one directory share one test binary.

func TestCarrierGetSetKeys(t *testing.T) {
	var c carrier
	assert.Empty(t, c.Get("traceparent"))
	c.Set("traceparent", "a")
	c.Set("baggage", "b")
	c.Set("traceparent", "c")
	assert.Equal(t, "c", c.Get("traceparent"), "Set replaces")
	assert.Equal(t, "b", c.Get("baggage"))
	assert.Equal(t, []string{"traceparent", "baggage"}, c.Keys())

	odd := carrier{"traceparent"} // a malformed request: a key without a value
	assert.Empty(t, odd.Get("traceparent"))
	assert.Empty(t, odd.Keys())
}
