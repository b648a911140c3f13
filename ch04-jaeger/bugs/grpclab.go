package bugs

import (
	"context"
	"errors"
	"net"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
	"github.com/rpc-tracing/workbook/ch04-jaeger/read"
	"github.com/rpc-tracing/workbook/ch04-jaeger/speak"
)

// speaker is speak's side of the hop, as the lab calls it.
type speaker interface {
	Speak(ctx context.Context, text string) (int64, error)
}

// grpcLab is the gRPC lab's world, chapter 4's speak → read hop: read is the chain's read
// service on a loopback port; speak is built at startup by newSpeaker, then handles one request,
// its root span "study". It returns every span once read's server has stopped, which waits for
// its handlers, so their spans have ended.
func grpcLab(ctx context.Context, newSpeaker func(startup context.Context, read studyv1.ReadServiceClient) speaker) ([]sdktrace.ReadOnlySpan, error) {
	l := newLab()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler(grpcOptions(l.provider(read.Name))...)))
	studyv1.RegisterReadServiceServer(srv, &read.Server{Faults: faults.Knob{Service: read.Name}})
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	tp := l.provider(speak.Name)
	conn, err := grpc.NewClient(ln.Addr().String(),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithStatsHandler(otelgrpc.NewClientHandler(grpcOptions(tp)...)))
	if err == nil {
		s := newSpeaker(ctx, studyv1.NewReadServiceClient(conn))
		reqCtx, span := tp.Tracer(tracerName).Start(ctx, "study")
		_, err = s.Speak(reqCtx, "Ada reads the notes.")
		span.End()
		err = errors.Join(err, conn.Close())
	}

	srv.GracefulStop()
	err = errors.Join(err, <-served)
	spans, endErr := l.end(ctx)
	return spans, errors.Join(err, endErr)
}

// grpcOptions hands otelgrpc a provider and the W3C propagators, explicitly.
func grpcOptions(tp trace.TracerProvider) []otelgrpc.Option {
	return []otelgrpc.Option{otelgrpc.WithTracerProvider(tp), otelgrpc.WithPropagators(telemetry.Propagator())}
}
