package chainload_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/chain/chaintest"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	"github.com/rpc-tracing/workbook/internal/otlpsink"
	"github.com/rpc-tracing/workbook/perf/chainload"
)

// BenchmarkChain is one request through the five services, all in this process, exporting over
// real OTLP gRPC to a sink on loopback. It is chainbench's measurement without processes,
// pinning or Jaeger: the CPU the services spend per request, traced or not, and the place to
// take a profile of it (`-cpuprofile`).
func BenchmarkChain(b *testing.B) {
	for _, s := range []chainload.Sampling{chainload.Off, chainload.OnePercent, chainload.Full} {
		b.Run("sampling="+s.Name, func(b *testing.B) {
			url := startChain(b, s)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			defer client.CloseIdleConnections()
			b.ReportAllocs()
			b.SetParallelism(4) // 8 requests in flight on 2 cores, as chainbench's closed loop
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := post(client, url); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// startChain runs the chain sampling as s, exporting to a new sink, until the benchmark ends.
func startChain(b *testing.B, s chainload.Sampling) string {
	b.Helper()
	sink, err := otlpsink.StartDiscarding() // the receiver's decoding would be Jaeger's cost, not ours
	require.NoError(b, err)
	b.Cleanup(func() { require.NoError(b, sink.Stop()) })
	for _, kv := range s.Env {
		k, v, _ := bytes.Cut([]byte(kv), []byte("="))
		b.Setenv(string(k), string(v))
	}
	b.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://"+sink.Addr)
	quiet := slog.New(slog.DiscardHandler)
	ctx := context.Background()
	tracing := map[string]otelsetup.Providers{}
	for _, name := range chain.Services {
		exp, err := otelsetup.NewOTLPExporter(ctx, quiet)
		require.NoError(b, err)
		tp, shutdown, err := otelsetup.NewTracerProvider(ctx, name, exp)
		require.NoError(b, err)
		b.Cleanup(func() { require.NoError(b, shutdown(context.Background())) })
		tracing[name] = otelsetup.Providers{Tracer: tp, Propagator: telemetry.Propagator()}
	}
	cfg := chain.DefaultConfig()
	cfg.Logger = quiet
	return chaintest.Start(b, cfg, func(service string) otelsetup.Providers { return tracing[service] })
}

func post(client *http.Client, url string) error {
	resp, err := client.Post(url, "application/json", bytes.NewReader(chainload.Body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return &statusError{resp.StatusCode}
	}
	return err
}

type statusError struct{ code int }

func (e *statusError) Error() string { return http.StatusText(e.code) }
