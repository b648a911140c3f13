package handmade_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/handmade"
)

func TestNewIDsAreValidDistinctAndRoundTrip(t *testing.T) {
	const n = 1000
	traceHex := regexp.MustCompile(`^[0-9a-f]{32}$`)
	spanHex := regexp.MustCompile(`^[0-9a-f]{16}$`)
	traces := make(map[handmade.TraceID]bool, n)
	spans := make(map[handmade.SpanID]bool, n)
	for range n {
		tid, sid := handmade.NewTraceID(), handmade.NewSpanID()
		require.True(t, tid.IsValid())
		require.True(t, sid.IsValid())
		assert.Regexp(t, traceHex, tid.String())
		assert.Regexp(t, spanHex, sid.String())

		parsedTID, err := handmade.ParseTraceID(tid.String())
		require.NoError(t, err)
		assert.Equal(t, tid, parsedTID)
		parsedSID, err := handmade.ParseSpanID(sid.String())
		require.NoError(t, err)
		assert.Equal(t, sid, parsedSID)

		traces[tid], spans[sid] = true, true
	}
	// Random IDs repeat with probability about n²/2⁶⁵ for spans: a repeat here means a broken
	// generator (a constant, a counter reset, an unseeded source), not bad luck.
	assert.Len(t, traces, n)
	assert.Len(t, spans, n)
}

func TestIDString(t *testing.T) {
	tid := handmade.TraceID{0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36}
	sid := handmade.SpanID{0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7}
	assert.Equal(t, "4bf92f3577b34da6a3ce929d0e0e4736", tid.String())
	assert.Equal(t, "00f067aa0ba902b7", sid.String())
	assert.Equal(t, "00000000000000000000000000000000", handmade.TraceID{}.String())
}

func TestIsValid(t *testing.T) {
	tests := []struct {
		name  string
		trace handmade.TraceID
		span  handmade.SpanID
		want  bool
	}{
		{name: "all zero", want: false},
		{name: "last byte set", trace: handmade.TraceID{15: 1}, span: handmade.SpanID{7: 1}, want: true},
		{name: "first byte set", trace: handmade.TraceID{0: 0x80}, span: handmade.SpanID{0: 0x80}, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.trace.IsValid())
			assert.Equal(t, tt.want, tt.span.IsValid())
		})
	}
}

func TestParseIDErrors(t *testing.T) {
	tests := []struct {
		name    string
		parse   func(string) error
		input   string
		wantErr error
	}{
		{"trace: empty", parseTrace, "", handmade.ErrLength},
		{"trace: 31 digits", parseTrace, "4bf92f3577b34da6a3ce929d0e0e473", handmade.ErrLength},
		{"trace: 33 digits", parseTrace, "4bf92f3577b34da6a3ce929d0e0e47360", handmade.ErrLength},
		{"trace: uppercase", parseTrace, "4BF92F3577B34DA6A3CE929D0E0E4736", handmade.ErrUppercase},
		{"trace: not hex", parseTrace, "4bf92f3577b34da6a3ce929d0e0e473g", handmade.ErrNotHex},
		{"trace: all zero", parseTrace, "00000000000000000000000000000000", handmade.ErrZeroTraceID},
		{"span: 15 digits", parseSpan, "00f067aa0ba902b", handmade.ErrLength},
		{"span: uppercase", parseSpan, "00F067AA0BA902B7", handmade.ErrUppercase},
		{"span: not hex", parseSpan, "00f067aa0ba902b-", handmade.ErrNotHex},
		{"span: all zero", parseSpan, "0000000000000000", handmade.ErrZeroSpanID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorIs(t, tt.parse(tt.input), tt.wantErr)
		})
	}
}

func parseTrace(s string) error { _, err := handmade.ParseTraceID(s); return err }
func parseSpan(s string) error  { _, err := handmade.ParseSpanID(s); return err }
