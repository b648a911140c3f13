package handmade_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/handmade"
)

func TestNewRootSpan(t *testing.T) {
	span := handmade.NewRootSpan()
	assert.True(t, span.TraceID.IsValid())
	assert.True(t, span.SpanID.IsValid())
	assert.True(t, span.IsRoot())
	assert.Equal(t, handmade.FlagSampled, span.Flags)

	tp, err := handmade.ParseTraceParent(span.TraceParent().String())
	require.NoError(t, err)
	assert.Equal(t, span.TraceID, tp.TraceID)
	assert.Equal(t, span.SpanID, tp.ParentID, "the callee's parent is the caller's span")
	assert.True(t, tp.Sampled())

	assert.NotEqual(t, span.TraceID, handmade.NewRootSpan().TraceID, "each root starts its own trace")
}

func TestNewChildSpan(t *testing.T) {
	parent := handmade.TraceParent{TraceID: handmade.NewTraceID(), ParentID: handmade.NewSpanID(), Flags: 0x00}
	child := handmade.NewChildSpan(parent)
	assert.Equal(t, parent.TraceID, child.TraceID)
	assert.Equal(t, parent.ParentID, child.ParentID)
	assert.NotEqual(t, parent.ParentID, child.SpanID)
	assert.True(t, child.SpanID.IsValid())
	assert.False(t, child.IsRoot())
	assert.Equal(t, byte(0x00), child.Flags, "an unsampled caller's decision is passed on")
}

func TestContinueOrStart(t *testing.T) {
	tests := []struct {
		name         string
		header       string
		wantErr      error // nil: the caller's trace continues
		wantContinue bool
	}{
		{name: "valid", header: specHeader, wantContinue: true},
		{name: "higher version", header: "cc-" + specHeader[3:] + "-future", wantContinue: true},
		{name: "missing", header: "", wantErr: handmade.ErrEmpty},
		{name: "uppercase", header: withPart(t, 3, "4BF9"), wantErr: handmade.ErrUppercase},
		{name: "garbage", header: "hello", wantErr: handmade.ErrLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			span, err := handmade.ContinueOrStart(tt.header)
			assert.True(t, span.TraceID.IsValid())
			assert.True(t, span.SpanID.IsValid())
			if !tt.wantContinue {
				assert.ErrorIs(t, err, tt.wantErr)
				assert.True(t, span.IsRoot(), "a bad header starts a new root trace")
				assert.NotEqual(t, specTraceID, span.TraceID.String())
				assert.Equal(t, handmade.FlagSampled, span.Flags)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, specTraceID, span.TraceID.String())
			assert.Equal(t, specSpanID, span.ParentID.String())
			assert.NotEqual(t, specSpanID, span.SpanID.String())
		})
	}
}

func TestSpanLogArgs(t *testing.T) {
	root := handmade.NewRootSpan()
	child := handmade.NewChildSpan(root.TraceParent())
	tests := []struct {
		name       string
		span       handmade.Span
		wantParent string
	}{
		{name: "root has an empty parent", span: root, wantParent: ""},
		{name: "child names its parent", span: child, wantParent: root.SpanID.String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, logger := newLogRecorder()
			logger.Info("x", tt.span.LogArgs()...)
			got := rec.only(t, "x")
			assert.Equal(t, tt.span.TraceID.String(), got["trace_id"])
			assert.Equal(t, tt.wantParent, got["parent_id"])
			assert.Equal(t, tt.span.SpanID.String(), got["span_id"])
			assert.NotContains(t, got, "!BADKEY", "LogArgs are attributes, not loose values")
		})
	}
}
