package tuned

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
	assert.ElementsMatch(t, []string{"traceparent", "baggage"}, c.Keys())

	c.Set("baggage", "")
	assert.Empty(t, c.Get("baggage"), "an empty value is kept as empty")
	assert.ElementsMatch(t, []string{"traceparent", "baggage"}, c.Keys())
}

func TestMalformedCarrierBytesReadAsMissing(t *testing.T) {
	var whole carrier
	whole.Set("traceparent", "00-abc")
	for name, bytes := range map[string]carrier{
		"a key without a value":     whole[:1+len("traceparent")],
		"a value cut short":         whole[:len(whole)-1],
		"a length beyond the bytes": {0x7f, 't'},
		"a length that never ends":  {0xff, 0xff, 0xff},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Empty(t, bytes.Get("traceparent"))
			assert.Empty(t, bytes.Keys())
		})
	}
}

func FuzzCarrierNeverPanics(f *testing.F) {
	var c carrier
	c.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	f.Add([]byte(c))
	f.Add([]byte{0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		c := carrier(data)
		keys := c.Keys()
		for _, k := range keys {
			c.Get(k)
		}
		c.Set("traceparent", "x")
		assert.Equal(t, "x", c.Get("traceparent"), "Set after any bytes makes the key readable")
	})
}
