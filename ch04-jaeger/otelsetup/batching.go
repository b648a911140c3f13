package otelsetup

import (
	"os"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// The batch processor's sizes for the services, where the environment does not set them. A
// busy service exports full batches, and each export has a cost of its own besides its spans':
// batches of 2048 instead of the SDK's 512 cost the exporter about an eighth less CPU per span
// (BenchmarkExporter on the performance page). The queue holds four batches, so spans keep
// coming in while one is being exported; the SDK's default queue, 2048, would be full with one.
const (
	MaxExportBatchSize = 2048
	MaxQueueSize       = 4 * MaxExportBatchSize
)

// batchOptions sizes the batch processor, unless OTEL_BSP_MAX_QUEUE_SIZE or
// OTEL_BSP_MAX_EXPORT_BATCH_SIZE is set: options in code would override the environment, and
// half of a pair (a queue smaller than our batch) would not make sense.
func batchOptions() []sdktrace.BatchSpanProcessorOption {
	if os.Getenv("OTEL_BSP_MAX_QUEUE_SIZE") != "" || os.Getenv("OTEL_BSP_MAX_EXPORT_BATCH_SIZE") != "" {
		return nil
	}
	return []sdktrace.BatchSpanProcessorOption{
		sdktrace.WithMaxExportBatchSize(MaxExportBatchSize), sdktrace.WithMaxQueueSize(MaxQueueSize),
	}
}
