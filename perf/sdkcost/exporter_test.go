package sdkcost_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/rpc-tracing/workbook/internal/cpubench"
	"github.com/rpc-tracing/workbook/internal/otlpsink"
)

// exporterSetting is one way of configuring span export: the OTLP protocol, its compression,
// and the batch processor's largest batch.
type exporterSetting struct {
	protocol    string // "grpc" or "http" (OTLP/HTTP with protobuf bodies)
	compression string // "none" or "gzip"
	batch       int
}

func (s exporterSetting) String() string {
	return fmt.Sprintf("protocol=%s/compression=%s/batch=%d", s.protocol, s.compression, s.batch)
}

// exporterSettings are BenchmarkExporter's settings: the SDK's defaults first (OTLP gRPC, no
// compression, batches of 512), then one change at a time.
var exporterSettings = []exporterSetting{
	{"grpc", "none", 512},
	{"grpc", "gzip", 512},
	{"grpc", "none", 128},
	{"grpc", "none", 2048},
	{"http", "none", 512},
	{"http", "gzip", 512},
}

// startHTTPSink serves OTLP/HTTP on loopback: it reads each request's body and answers with an
// empty ExportTraceServiceResponse, decoding nothing, as otlpsink.StartDiscarding does for gRPC.
func startHTTPSink(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	})}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	tb.Cleanup(func() {
		require.NoError(tb, srv.Close())
		require.ErrorIs(tb, <-done, http.ErrServerClosed)
	})
	return ln.Addr().String()
}

// exportingProvider is a TracerProvider that exports every span (the batch processor blocks
// instead of dropping when its queue is full) with setting s to a sink on loopback that
// discards what it is sent.
func exportingProvider(tb testing.TB, s exporterSetting) *sdktrace.TracerProvider {
	tb.Helper()
	ctx := context.Background()
	var exp sdktrace.SpanExporter
	var err error
	switch s.protocol {
	case "grpc":
		sink, serr := otlpsink.StartDiscarding()
		require.NoError(tb, serr)
		tb.Cleanup(func() { require.NoError(tb, sink.Stop()) })
		opts := []otlptracegrpc.Option{otlptracegrpc.WithEndpoint(sink.Addr), otlptracegrpc.WithInsecure()}
		if s.compression == "gzip" {
			opts = append(opts, otlptracegrpc.WithCompressor("gzip"))
		}
		exp, err = otlptracegrpc.New(ctx, opts...)
	case "http":
		opts := []otlptracehttp.Option{otlptracehttp.WithEndpoint(startHTTPSink(tb)), otlptracehttp.WithInsecure()}
		if s.compression == "gzip" {
			opts = append(opts, otlptracehttp.WithCompression(otlptracehttp.GzipCompression))
		} else {
			opts = append(opts, otlptracehttp.WithCompression(otlptracehttp.NoCompression))
		}
		exp, err = otlptracehttp.New(ctx, opts...)
	}
	require.NoError(tb, err)
	return sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp,
		sdktrace.WithMaxExportBatchSize(s.batch), sdktrace.WithMaxQueueSize(max(s.batch, sdktrace.DefaultMaxQueueSize)),
		sdktrace.WithBlocking()))
}

func TestEveryExporterSettingDeliversEverySpan(t *testing.T) {
	for _, s := range exporterSettings {
		if s.protocol != "grpc" {
			continue // the HTTP sink counts nothing; the gRPC one decodes and counts
		}
		rec, addr := startReceiver(t)
		opts := []otlptracegrpc.Option{otlptracegrpc.WithEndpoint(addr), otlptracegrpc.WithInsecure()}
		if s.compression == "gzip" {
			opts = append(opts, otlptracegrpc.WithCompressor("gzip"))
		}
		exp, err := otlptracegrpc.New(context.Background(), opts...)
		require.NoError(t, err)
		tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp, sdktrace.WithMaxExportBatchSize(s.batch), sdktrace.WithBlocking()))
		for range 300 {
			startEnd(context.Background(), tp.Tracer("test"), 4, 0)
		}
		require.NoError(t, tp.Shutdown(context.Background()))
		assert.EqualValues(t, 300, rec.Spans(), "%v", s)
	}
}

func TestTheHTTPSinkAnswersTheExporter(t *testing.T) {
	for _, s := range exporterSettings {
		if s.protocol != "http" {
			continue
		}
		tp := exportingProvider(t, s)
		startEnd(context.Background(), tp.Tracer("test"), 4, 0)
		assert.NoError(t, tp.ForceFlush(context.Background()), "%v: the export succeeds", s)
		require.NoError(t, tp.Shutdown(context.Background()))
	}
}

// BenchmarkExporter is what exporting a span costs the process that makes it, under each
// exporter setting: a span with four attributes, started and ended on every core at once
// (b.RunParallel), every span exported (the processor blocks rather than drop) to a sink on
// loopback that discards it. cpu-ns/op is the process's CPU per span, the SDK, the batch
// processor, the exporter's conversion to protobuf, compression and sending, plus the sink's
// reading, which is the same for every setting of one protocol.
func BenchmarkExporter(b *testing.B) {
	for _, s := range exporterSettings {
		b.Run(s.String(), func(b *testing.B) {
			tp := exportingProvider(b, s)
			tracer := tp.Tracer("bench")
			ctx := context.Background()
			b.ReportAllocs()
			stop := cpubench.Start(b)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					startEnd(ctx, tracer, 4, 0)
				}
			})
			require.NoError(b, tp.Shutdown(ctx)) // the last batch is exported inside the measure
			stop()
		})
	}
}
