package handmade

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// TraceID names one trace: every span of one request, in every process, carries the same one.
// Sixteen bytes make a collision between two requests practically impossible.
type TraceID [16]byte

// SpanID names one span inside a trace. Eight bytes are enough because it only has to be unique
// among the spans of one trace.
type SpanID [8]byte

// NewTraceID returns a random, valid trace ID.
//
// The W3C spec prefers random trace IDs over counters or timestamps: a random ID reveals nothing
// about the system that made it, and a sampler can decide on the ID alone. It reads crypto/rand
// rather than math/rand/v2 because crypto/rand is the one documented to be unpredictable; since
// Go 1.24 its Read never fails, so generation needs no error path, and it costs well under a
// microsecond, nothing next to an RPC. The OpenTelemetry SDK in step 2 uses math/rand/v2,
// trading that documented guarantee for a little speed.
func NewTraceID() TraceID {
	var id TraceID
	for !id.IsValid() { // all zeros is reserved as "no trace"; redraw in the 2⁻¹²⁸ case.
		_, _ = rand.Read(id[:])
	}
	return id
}

// NewSpanID returns a random, valid span ID, for the same reasons as NewTraceID.
func NewSpanID() SpanID {
	var id SpanID
	for !id.IsValid() {
		_, _ = rand.Read(id[:])
	}
	return id
}

// IsValid reports whether id is not all zeros. The spec reserves the zero ID to mean "none", so
// a zero trace ID can never be propagated.
func (id TraceID) IsValid() bool { return id != TraceID{} }

// IsValid reports whether id is not all zeros, which the spec reserves to mean "no span".
func (id SpanID) IsValid() bool { return id != SpanID{} }

// String returns the 32 lowercase hex digits of id, the form used in traceparent and in logs.
func (id TraceID) String() string { return hex.EncodeToString(id[:]) }

// String returns the 16 lowercase hex digits of id.
func (id SpanID) String() string { return hex.EncodeToString(id[:]) }

// ParseTraceID reads the 32 lowercase hex digits of a trace ID, as String writes them. It is as
// strict as the traceparent format: uppercase digits and the all-zero ID are rejected.
func ParseTraceID(s string) (TraceID, error) { return parseTraceID(s, 0) }

// parseTraceID is ParseTraceID for s found at offset in a longer string, so errors point into it.
func parseTraceID(s string, offset int) (TraceID, error) {
	var id TraceID
	if err := decodeHex(id[:], s, offset); err != nil {
		return TraceID{}, err
	}
	if !id.IsValid() {
		return TraceID{}, ErrZeroTraceID
	}
	return id, nil
}

// ParseSpanID reads the 16 lowercase hex digits of a span ID; see ParseTraceID.
func ParseSpanID(s string) (SpanID, error) { return parseSpanID(s, 0) }

// parseSpanID is ParseSpanID for s found at offset in a longer string.
func parseSpanID(s string, offset int) (SpanID, error) {
	var id SpanID
	if err := decodeHex(id[:], s, offset); err != nil {
		return SpanID{}, err
	}
	if !id.IsValid() {
		return SpanID{}, ErrZeroSpanID
	}
	return id, nil
}

// decodeHex fills dst from exactly 2*len(dst) lowercase hex digits. encoding/hex would accept
// uppercase too, which the spec forbids, so the digits are checked one by one here. Errors give
// the bad digit's offset counted as if s began at offset in a longer string.
func decodeHex(dst []byte, s string, offset int) error {
	if len(s) != 2*len(dst) {
		return fmt.Errorf("%w: %d characters, want %d", ErrLength, len(s), 2*len(dst))
	}
	for i := range dst {
		hi, err := hexDigit(s, 2*i, offset)
		if err != nil {
			return err
		}
		lo, err := hexDigit(s, 2*i+1, offset)
		if err != nil {
			return err
		}
		dst[i] = hi<<4 | lo
	}
	return nil
}

// hexDigit returns the value of the lowercase hex digit s[i].
func hexDigit(s string, i, offset int) (byte, error) {
	switch c := s[i]; {
	case '0' <= c && c <= '9':
		return c - '0', nil
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, nil
	case 'A' <= c && c <= 'F':
		return 0, fmt.Errorf("%w: %q at offset %d", ErrUppercase, c, offset+i)
	default:
		return 0, fmt.Errorf("%w: %q at offset %d", ErrNotHex, c, offset+i)
	}
}
