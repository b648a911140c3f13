package calcgrpc

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// LogUnary is a unary server interceptor that logs each call with its trace and span IDs, so a log
// line leads to its trace. It is here to teach what an interceptor is: code wrapped around the
// handler, seeing the request, the response and the error. otelgrpc used to be interceptors too,
// but an interceptor runs too late to see some events (a call rejected before the handler, the
// bytes on the wire), which is why it is now a stats handler. By the time this runs, the stats
// handler has already put the server span in ctx.
func LogUnary(logger *slog.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		start := time.Now()
		resp, err := handler(ctx, req)
		logCall(ctx, logger, info.FullMethod, start, err)
		return resp, err
	}
}

// LogStream is LogUnary for streaming calls: one line when the stream ends.
func LogStream(logger *slog.Logger) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		start := time.Now()
		err := handler(srv, ss)
		logCall(ss.Context(), logger, info.FullMethod, start, err)
		return err
	}
}

func logCall(ctx context.Context, logger *slog.Logger, method string, start time.Time, err error) {
	if strings.HasPrefix(method, "/grpc.health.v1.Health/") {
		return // probes every few seconds: noise, like their spans (see NewServer)
	}
	level := slog.LevelInfo
	if err != nil {
		level = slog.LevelWarn
	}
	if !logger.Enabled(ctx, level) {
		return // skip building the record: a disabled log line should cost nothing
	}
	sc := trace.SpanContextFromContext(ctx)
	logger.Log(ctx, level, "call",
		"method", method,
		"code", status.Code(err).String(),
		"duration", time.Since(start).Round(time.Microsecond),
		"trace_id", sc.TraceID().String(),
		"span_id", sc.SpanID().String())
}
