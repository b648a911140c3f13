package handmade

import (
	"errors"
	"fmt"
)

// SupportedVersion is the traceparent version this package knows, and so the only one it writes.
const SupportedVersion byte = 0x00

// FlagSampled is the trace-flags bit by which a caller says it recorded its span, so the callee
// should record its own: sampling decided once, at the entry, holds for the whole trace.
const FlagSampled byte = 0x01

// version00Len is the exact length of a version 00 traceparent: 2+1+32+1+16+1+2 characters.
const version00Len = 55

// The errors below are the rules a traceparent (or a hex ID) can break, one each. Parse functions
// wrap them with the field and offset at fault, so a log line says where, and a caller or test
// can tell with errors.Is which rule failed.
var (
	ErrEmpty       = errors.New("empty: no trace context")
	ErrLength      = errors.New("wrong length")
	ErrSeparator   = errors.New("missing '-' separator")
	ErrNotHex      = errors.New("not a hex digit")
	ErrUppercase   = errors.New("uppercase hex digit (only lowercase is allowed)")
	ErrVersionFF   = errors.New("version ff is invalid")
	ErrTrailing    = errors.New("trace-flags must be followed by '-' or the end")
	ErrZeroTraceID = errors.New("all-zero trace ID")
	ErrZeroSpanID  = errors.New("all-zero span ID")
)

// TraceParent is a parsed W3C traceparent: the trace a request belongs to and the span of the
// caller that sent it.
type TraceParent struct {
	// Version is the version the header arrived with. String always writes SupportedVersion: a
	// participant that only knows version 00 propagates 00, whatever it received.
	Version byte
	// TraceID identifies the whole trace.
	TraceID TraceID
	// ParentID is the sender's span: the parent of whatever span the receiver starts.
	ParentID SpanID
	// Flags are kept as received, so a header formats back unchanged; only FlagSampled has a
	// meaning here. OpenTelemetry (step 2) is stricter: it also knows Trace Context Level 2's
	// "random" bit (0x02), rejects a version 00 header with any other bit set, and clears
	// unknown bits before passing the flags on.
	Flags byte
}

// Sampled reports whether the caller recorded its span (FlagSampled is set). Flags is a bit field:
// 0x01 and 0x09 are both sampled, so the bit is masked rather than the byte compared.
func (tp TraceParent) Sampled() bool { return tp.Flags&FlagSampled != 0 }

// String formats tp as a version 00 traceparent, e.g.
// "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01". It does not validate: a zero
// TraceID formats as 32 zeros, which ParseTraceParent rejects.
func (tp TraceParent) String() string {
	return fmt.Sprintf("%02x-%s-%s-%02x", SupportedVersion, tp.TraceID, tp.ParentID, tp.Flags)
}

// ParseTraceParent parses a traceparent strictly, as the spec requires: a receiver that guessed
// at a damaged header could join a request to somebody else's trace. Every error wraps one of the
// Err* values above. Checks run in this order, so the first broken rule is the one reported:
//
//  1. not empty, at least 55 characters;
//  2. version: two lowercase hex digits, not ff;
//  3. version 00: exactly 55 characters. A higher version may be longer, but then the
//     character after the flags must be '-': its first four fields are read as version 00's
//     and the rest, which only that future version understands, is ignored;
//  4. '-' after the version, the trace-id and the parent-id;
//  5. trace-id, parent-id, trace-flags: lowercase hex; the IDs not all zeros.
func ParseTraceParent(s string) (TraceParent, error) {
	tp, err := parseTraceParent(s)
	if err != nil {
		return TraceParent{}, fmt.Errorf("traceparent: %w", err)
	}
	return tp, nil
}

func parseTraceParent(s string) (TraceParent, error) {
	if s == "" {
		return TraceParent{}, ErrEmpty
	}
	if len(s) < version00Len {
		return TraceParent{}, fmt.Errorf("%w: %d characters, want at least %d", ErrLength, len(s), version00Len)
	}
	var tp TraceParent
	var err error
	if tp.Version, err = hexByte(s[:2], 0); err != nil {
		return TraceParent{}, fmt.Errorf("version: %w", err)
	}
	switch {
	case tp.Version == 0xff:
		return TraceParent{}, ErrVersionFF
	case tp.Version == SupportedVersion && len(s) != version00Len:
		return TraceParent{}, fmt.Errorf("%w: %d characters, version 00 is exactly %d", ErrLength, len(s), version00Len)
	case len(s) > version00Len && s[version00Len] != '-':
		return TraceParent{}, fmt.Errorf("%w: version %02x has %q at offset %d", ErrTrailing, tp.Version, s[version00Len], version00Len)
	}
	for _, i := range [...]int{2, 35, 52} {
		if s[i] != '-' {
			return TraceParent{}, fmt.Errorf("%w: %q at offset %d", ErrSeparator, s[i], i)
		}
	}
	if tp.TraceID, err = parseTraceID(s[3:35], 3); err != nil {
		return TraceParent{}, fmt.Errorf("trace-id: %w", err)
	}
	if tp.ParentID, err = parseSpanID(s[36:52], 36); err != nil {
		return TraceParent{}, fmt.Errorf("parent-id: %w", err)
	}
	if tp.Flags, err = hexByte(s[53:55], 53); err != nil {
		return TraceParent{}, fmt.Errorf("trace-flags: %w", err)
	}
	return tp, nil
}

// hexByte reads one byte written as two lowercase hex digits found at offset.
func hexByte(s string, offset int) (byte, error) {
	var b [1]byte
	err := decodeHex(b[:], s, offset)
	return b[0], err
}
