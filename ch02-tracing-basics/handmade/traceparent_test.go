package handmade_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/handmade"
)

// The example header from the W3C spec, and its pieces.
const (
	specTraceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	specSpanID  = "00f067aa0ba902b7"
	specHeader  = "00-" + specTraceID + "-" + specSpanID + "-01"
)

// withPart returns specHeader with the characters from offset i on replaced by part.
func withPart(t *testing.T, i int, part string) string {
	t.Helper()
	require.LessOrEqual(t, i+len(part), len(specHeader))
	return specHeader[:i] + part + specHeader[i+len(part):]
}

func TestTraceParentRoundTrip(t *testing.T) {
	tests := []struct {
		name        string
		header      string
		wantFlags   byte
		wantSampled bool
	}{
		{name: "sampled", header: specHeader, wantFlags: 0x01, wantSampled: true},
		{name: "not sampled", header: withPart(t, 53, "00"), wantFlags: 0x00, wantSampled: false},
		{name: "unknown bit kept, sampled masked", header: withPart(t, 53, "09"), wantFlags: 0x09, wantSampled: true},
		{name: "unknown bit alone is not sampled", header: withPart(t, 53, "fe"), wantFlags: 0xfe, wantSampled: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tp, err := handmade.ParseTraceParent(tt.header)
			require.NoError(t, err)
			assert.Equal(t, handmade.SupportedVersion, tp.Version)
			assert.Equal(t, specTraceID, tp.TraceID.String())
			assert.Equal(t, specSpanID, tp.ParentID.String())
			assert.Equal(t, tt.wantFlags, tp.Flags)
			assert.Equal(t, tt.wantSampled, tp.Sampled())
			assert.Equal(t, tt.header, tp.String())
		})
	}
}

func TestTraceParentFormatThenParse(t *testing.T) {
	for _, flags := range []byte{0x00, 0x01, 0x03, 0xff} {
		in := handmade.TraceParent{TraceID: handmade.NewTraceID(), ParentID: handmade.NewSpanID(), Flags: flags}
		out, err := handmade.ParseTraceParent(in.String())
		require.NoError(t, err, in.String())
		assert.Equal(t, in, out)
	}
}

func TestParseTraceParentMalformed(t *testing.T) {
	zeroTrace := strings.Repeat("0", 32)
	zeroSpan := strings.Repeat("0", 16)
	tests := []struct {
		name    string
		header  string
		wantErr error  // the rule broken
		wantMsg string // the whole message: which field, which offset, what was found
	}{
		{"empty", "", handmade.ErrEmpty,
			"traceparent: empty: no trace context"},
		{"one short", specHeader[:54], handmade.ErrLength,
			"traceparent: wrong length: 54 characters, want at least 55"},
		{"version 00 one long", specHeader + "0", handmade.ErrLength,
			"traceparent: wrong length: 56 characters, version 00 is exactly 55"},
		{"version 00 with a fifth field", specHeader + "-abc", handmade.ErrLength,
			"traceparent: wrong length: 59 characters, version 00 is exactly 55"},
		{"trailing space", specHeader + " ", handmade.ErrLength,
			"traceparent: wrong length: 56 characters, version 00 is exactly 55"},
		{"leading space", " " + specHeader, handmade.ErrNotHex,
			"traceparent: version: not a hex digit: ' ' at offset 0"},
		{"version not hex", withPart(t, 0, "0g"), handmade.ErrNotHex,
			"traceparent: version: not a hex digit: 'g' at offset 1"},
		{"version uppercase", withPart(t, 0, "0A"), handmade.ErrUppercase,
			"traceparent: version: uppercase hex digit (only lowercase is allowed): 'A' at offset 1"},
		{"version ff", withPart(t, 0, "ff"), handmade.ErrVersionFF,
			"traceparent: version ff is invalid"},
		{"no dash after version", withPart(t, 2, "_"), handmade.ErrSeparator,
			"traceparent: missing '-' separator: '_' at offset 2"},
		{"no dash after trace-id", withPart(t, 35, "_"), handmade.ErrSeparator,
			"traceparent: missing '-' separator: '_' at offset 35"},
		{"no dash after parent-id", withPart(t, 52, "_"), handmade.ErrSeparator,
			"traceparent: missing '-' separator: '_' at offset 52"},
		{"trace-id one short, parent-id one long", "00-" + specTraceID[1:] + "-" + specSpanID + "0-01", handmade.ErrSeparator,
			"traceparent: missing '-' separator: '0' at offset 35"},
		{"trace-id uppercase", withPart(t, 3, "4BF9"), handmade.ErrUppercase,
			"traceparent: trace-id: uppercase hex digit (only lowercase is allowed): 'B' at offset 4"},
		{"trace-id not hex", withPart(t, 34, "z"), handmade.ErrNotHex,
			"traceparent: trace-id: not a hex digit: 'z' at offset 34"},
		{"trace-id all zero", withPart(t, 3, zeroTrace), handmade.ErrZeroTraceID,
			"traceparent: trace-id: all-zero trace ID"},
		{"parent-id uppercase", withPart(t, 36, "00F0"), handmade.ErrUppercase,
			"traceparent: parent-id: uppercase hex digit (only lowercase is allowed): 'F' at offset 38"},
		{"parent-id not hex", withPart(t, 36, "x"), handmade.ErrNotHex,
			"traceparent: parent-id: not a hex digit: 'x' at offset 36"},
		{"parent-id all zero", withPart(t, 36, zeroSpan), handmade.ErrZeroSpanID,
			"traceparent: parent-id: all-zero span ID"},
		{"flags uppercase", withPart(t, 53, "0A"), handmade.ErrUppercase,
			"traceparent: trace-flags: uppercase hex digit (only lowercase is allowed): 'A' at offset 54"},
		{"flags not hex", withPart(t, 53, "0-"), handmade.ErrNotHex,
			"traceparent: trace-flags: not a hex digit: '-' at offset 54"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tp, err := handmade.ParseTraceParent(tt.header)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.wantErr)
			assert.EqualError(t, err, tt.wantMsg)
			assert.Equal(t, handmade.TraceParent{}, tp, "a failed parse returns no half-filled value")
		})
	}
}

func TestParseTraceParentHigherVersion(t *testing.T) {
	fields := specTraceID + "-" + specSpanID + "-01"
	tests := []struct {
		name        string
		header      string
		wantVersion byte
		wantErr     error // nil: accepted
	}{
		{name: "version 01, exactly 55", header: "01-" + fields, wantVersion: 0x01},
		{name: "version cc with a future field", header: "cc-" + fields + "-what-the-future-holds", wantVersion: 0xcc},
		{name: "version fe with a bare trailing dash", header: "fe-" + fields + "-", wantVersion: 0xfe},
		{name: "shorter than 55", header: "01-" + fields[:len(fields)-1], wantErr: handmade.ErrLength},
		{name: "flags not followed by a dash", header: "cc-" + fields + "x-future", wantErr: handmade.ErrTrailing},
		{name: "flags run on", header: "cc-" + fields + "01", wantErr: handmade.ErrTrailing},
		{name: "version ff is never a higher version", header: "ff-" + fields + "-future", wantErr: handmade.ErrVersionFF},
		{name: "the first four fields stay strict", header: "cc-" + strings.ToUpper(specTraceID) + "-" + specSpanID + "-01-x", wantErr: handmade.ErrUppercase},
		{name: "a zero trace-id stays invalid", header: "cc-" + strings.Repeat("0", 32) + "-" + specSpanID + "-01", wantErr: handmade.ErrZeroTraceID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tp, err := handmade.ParseTraceParent(tt.header)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantVersion, tp.Version)
			assert.Equal(t, specTraceID, tp.TraceID.String())
			assert.Equal(t, specSpanID, tp.ParentID.String())
			assert.True(t, tp.Sampled())
			// Propagated onwards, the header is written in the version this code knows.
			assert.Equal(t, specHeader, tp.String())
		})
	}
}
