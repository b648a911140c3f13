package otelsetup

import (
	"testing"

	"github.com/stretchr/testify/assert"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// applied is what options make of the SDK's defaults.
func applied(opts []sdktrace.BatchSpanProcessorOption) sdktrace.BatchSpanProcessorOptions {
	o := sdktrace.BatchSpanProcessorOptions{MaxQueueSize: sdktrace.DefaultMaxQueueSize, MaxExportBatchSize: sdktrace.DefaultMaxExportBatchSize}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

func TestBatchOptionsSizeTheProcessorUnlessTheEnvironmentDoes(t *testing.T) {
	for _, tc := range []struct {
		name             string
		env              map[string]string
		queue, batchSize int
	}{
		{"nothing set: the workbook's sizes", nil, MaxQueueSize, MaxExportBatchSize},
		{"a queue set: the environment's, with the SDK's batch", map[string]string{"OTEL_BSP_MAX_QUEUE_SIZE": "256"}, sdktrace.DefaultMaxQueueSize, sdktrace.DefaultMaxExportBatchSize},
		{"a batch set: the environment's", map[string]string{"OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "128"}, sdktrace.DefaultMaxQueueSize, sdktrace.DefaultMaxExportBatchSize},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("OTEL_BSP_MAX_QUEUE_SIZE", "")
			t.Setenv("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "")
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			o := applied(batchOptions())
			assert.Equal(t, tc.queue, o.MaxQueueSize, "queue")
			assert.Equal(t, tc.batchSize, o.MaxExportBatchSize, "batch (the SDK reads the environment itself)")
			assert.LessOrEqual(t, o.MaxExportBatchSize, o.MaxQueueSize)
		})
	}
}
