package handmade_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/handmade"
)

// rules are the sentinel errors; every rejection must name exactly one of them.
var rules = []error{
	handmade.ErrEmpty, handmade.ErrLength, handmade.ErrSeparator, handmade.ErrNotHex,
	handmade.ErrUppercase, handmade.ErrVersionFF, handmade.ErrTrailing,
	handmade.ErrZeroTraceID, handmade.ErrZeroSpanID,
}

// FuzzParseTraceParent feeds the parser arbitrary strings. The seed corpus is in
// testdata/fuzz/FuzzParseTraceParent; run `go test -fuzz=FuzzParseTraceParent` to search further.
// Whatever the input, the parser must not panic, must say which rule a rejected input broke, and
// must never accept something it cannot write back.
func FuzzParseTraceParent(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		tp, err := handmade.ParseTraceParent(s)
		if err != nil {
			assert.Equal(t, 1, countRules(err), "%q: %v", s, err)
			assert.Equal(t, handmade.TraceParent{}, tp)
			return
		}
		assert.True(t, tp.TraceID.IsValid(), "%q accepted with a zero trace ID", s)
		assert.True(t, tp.ParentID.IsValid(), "%q accepted with a zero parent ID", s)
		out := tp.String()
		if tp.Version == handmade.SupportedVersion {
			assert.Equal(t, s, out, "a version 00 header formats back to itself")
			return
		}
		assert.NotEqual(t, byte(0xff), tp.Version)
		// A higher version is propagated as version 00 with the same IDs and flags.
		require.Len(t, out, 55)
		assert.Equal(t, "00", out[:2])
		assert.Equal(t, s[2:55], out[2:55])
		again, err := handmade.ParseTraceParent(out)
		require.NoError(t, err, out)
		assert.Equal(t, handmade.SupportedVersion, again.Version)
		assert.Equal(t, tp.TraceID, again.TraceID)
		assert.Equal(t, tp.ParentID, again.ParentID)
		assert.Equal(t, tp.Flags, again.Flags)
	})
}

func countRules(err error) int {
	n := 0
	for _, rule := range rules {
		if errors.Is(err, rule) {
			n++
		}
	}
	return n
}
