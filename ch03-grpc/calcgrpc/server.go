package calcgrpc

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/internal/grpcstop"
)

// MaxMessageSize bounds every message the server reads or writes. The calculator's messages
// are a few bytes; anything near this limit is a mistake or an attack, refused before decoding
// with RESOURCE_EXHAUSTED.
const MaxMessageSize = 4 << 10

// ServerConfig says how to build a Server. Providers are passed in, never taken from globals,
// so tests can give their own.
type ServerConfig struct {
	TracerProvider trace.TracerProvider
	Propagators    propagation.TextMapPropagator
	Logger         *slog.Logger
	// Delay is how long each call waits before answering, unless the caller asks otherwise.
	Delay time.Duration
	// ShutdownTimeout bounds the graceful stop; calls still running after it are cut off.
	ShutdownTimeout time.Duration
	// Options are added after the server's own, e.g. an extra interceptor in a test.
	Options []grpc.ServerOption
}

// Server is the traced calculator server with health and reflection.
type Server struct {
	grpc   *grpc.Server
	health *health.Server
	cfg    ServerConfig
}

// NewServer builds the gRPC server: otelgrpc's stats handler (health checks are not traced: a
// probe every few seconds would bury the real traffic), message events, the logging
// interceptors, the calculator, the standard health service and server reflection (so grpcurl
// and grpc-health-probe need no .proto files).
func NewServer(cfg ServerConfig) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = 5 * time.Second
	}
	opts := []grpc.ServerOption{
		// region: stats-handler
		grpc.StatsHandler(otelgrpc.NewServerHandler(
			otelgrpc.WithTracerProvider(cfg.TracerProvider),
			otelgrpc.WithPropagators(cfg.Propagators),
			otelgrpc.WithFilter(notHealthCheck),
		)),
		// endregion
		grpc.StatsHandler(MessageEvents{}),
		grpc.ChainUnaryInterceptor(LogUnary(cfg.Logger)),
		grpc.ChainStreamInterceptor(LogStream(cfg.Logger)),
		grpc.MaxRecvMsgSize(MaxMessageSize),
		grpc.MaxSendMsgSize(MaxMessageSize),
	}
	srv := grpc.NewServer(append(opts, cfg.Options...)...)
	calculatorv1.RegisterCalculatorServiceServer(srv, NewService(cfg.Delay))
	hs := health.NewServer()
	hs.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	hs.SetServingStatus(calculatorv1.CalculatorService_ServiceDesc.ServiceName, healthpb.HealthCheckResponse_NOT_SERVING)
	healthpb.RegisterHealthServer(srv, hs)
	reflection.Register(srv)
	return &Server{grpc: srv, health: hs, cfg: cfg}
}

// Serve answers calls on ln until ctx ends, then stops gracefully: health turns NOT_SERVING so
// load balancers stop sending traffic, in-flight calls get ShutdownTimeout to finish, and the
// rest are cut off.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	served := make(chan error, 1)
	go func() { served <- s.grpc.Serve(ln) }()
	s.setServing(healthpb.HealthCheckResponse_SERVING)
	s.cfg.Logger.Info("serving", "addr", ln.Addr().String())

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	s.health.Shutdown() // every service NOT_SERVING from now on
	s.cfg.Logger.Info("draining", "timeout", s.cfg.ShutdownTimeout)
	var err error
	if grpcstop.Graceful(s.grpc, s.cfg.ShutdownTimeout) {
		err = errors.New("shutdown timed out: calls in flight were cut off")
	}
	serveErr := <-served
	if errors.Is(serveErr, grpc.ErrServerStopped) {
		serveErr = nil // ctx ended before Serve had begun: nothing went wrong
	}
	return errors.Join(err, serveErr)
}

func (s *Server) setServing(st healthpb.HealthCheckResponse_ServingStatus) {
	s.health.SetServingStatus("", st)
	s.health.SetServingStatus(calculatorv1.CalculatorService_ServiceDesc.ServiceName, st)
}
