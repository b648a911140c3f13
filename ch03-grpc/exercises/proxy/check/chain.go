package check

import (
	"context"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/test/bufconn"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
)

// NewProxy makes the proxy under test: a calculator server whose Add asks backend.
type NewProxy func(backend calculatorv1.CalculatorServiceClient) calculatorv1.CalculatorServiceServer

// Chain is client → proxy → backend, three "services" joined by in-memory connections, each with
// a TracerProvider of its own (as three processes would have), all recording into one recorder.
type Chain struct {
	// Client calls the proxy, traced as the "client" service.
	Client    calculatorv1.CalculatorServiceClient
	rec       *tracetest.SpanRecorder
	deadlines chan time.Time
}

var prop = propagation.TraceContext{}

// NewChain builds the chain around the proxy newProxy makes; backendDelay slows every answer of
// the backend, chapter 3's calcgrpc server.
func NewChain(t *testing.T, newProxy NewProxy, backendDelay time.Duration) *Chain {
	t.Helper()
	c := &Chain{rec: tracetest.NewSpanRecorder(), deadlines: make(chan time.Time, 1)}

	backend := calcgrpc.NewServer(calcgrpc.ServerConfig{
		TracerProvider: c.provider(t, "backend"), Propagators: prop,
		Logger: slog.New(slog.DiscardHandler), Delay: backendDelay,
		Options: []grpc.ServerOption{grpc.ChainUnaryInterceptor(c.recordDeadline)},
	})
	backendLis := bufconn.Listen(1 << 16)
	ctx, stopBackend := context.WithCancel(context.Background())
	backendDone := make(chan error, 1)
	go func() { backendDone <- backend.Serve(ctx, backendLis) }()

	// The proxy: a server traced by otelgrpc, and a traced client to the backend, both from the
	// proxy's provider.
	proxyTP := c.provider(t, "proxy")
	toBackend, err := calcgrpc.NewClient("passthrough:///backend", proxyTP, prop, dialer(backendLis))
	require.NoError(t, err)
	proxySrv := grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler(
		otelgrpc.WithTracerProvider(proxyTP), otelgrpc.WithPropagators(prop))))
	calculatorv1.RegisterCalculatorServiceServer(proxySrv, newProxy(calculatorv1.NewCalculatorServiceClient(toBackend)))
	proxyLis := bufconn.Listen(1 << 16)
	proxyDone := make(chan error, 1)
	go func() { proxyDone <- proxySrv.Serve(proxyLis) }()

	toProxy, err := calcgrpc.NewClient("passthrough:///proxy", c.provider(t, "client"), prop, dialer(proxyLis))
	require.NoError(t, err)
	c.Client = calculatorv1.NewCalculatorServiceClient(toProxy)
	// Connect both hops now, so that a call's deadline is not spent on connecting on a busy
	// machine (a call made before the connection is ready would wait for it).
	ready(t, toProxy)
	ready(t, toBackend)

	t.Cleanup(func() {
		require.NoError(t, toProxy.Close())
		proxySrv.GracefulStop()
		require.NoError(t, <-proxyDone)
		require.NoError(t, toBackend.Close())
		stopBackend()
		require.NoError(t, <-backendDone)
	})
	return c
}

// provider returns a TracerProvider for one service, named by its resource, recording into c.rec.
func (c *Chain) provider(t *testing.T, service string) *sdktrace.TracerProvider {
	t.Helper()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(c.rec),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", service))))
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
	return tp
}

func (c *Chain) recordDeadline(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	deadline, _ := ctx.Deadline()
	select {
	case c.deadlines <- deadline:
	default: // a second call: only the first one's deadline is asked for
	}
	return handler(ctx, req)
}

// BackendDeadline returns the deadline the backend's handler saw for the call (zero: none). It
// fails the test if no call reached the backend.
func (c *Chain) BackendDeadline(t *testing.T) time.Time {
	t.Helper()
	select {
	case d := <-c.deadlines:
		return d
	case <-time.After(5 * time.Second):
		t.Fatal("no call reached the backend\nhint: the proxy's Add must call the backend client it was given")
		return time.Time{}
	}
}

// ready connects conn and waits until it can carry calls.
func ready(t *testing.T, conn *grpc.ClientConn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn.Connect()
	for s := conn.GetState(); s != connectivity.Ready; s = conn.GetState() {
		require.True(t, conn.WaitForStateChange(ctx, s), "connecting to %s: still %s", conn.Target(), s)
	}
}

func dialer(lis *bufconn.Listener) grpc.DialOption {
	return grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) })
}

// Hop names a span by the service that recorded it and its kind.
type Hop struct {
	Service string
	Kind    trace.SpanKind
}

func (h Hop) String() string {
	return "the " + h.Service + "'s " + map[trace.SpanKind]string{trace.SpanKindClient: "CLIENT", trace.SpanKindServer: "SERVER"}[h.Kind] + " span"
}

// The four spans of a call through the proxy, in order, each the parent of the next.
var (
	ClientCall    = Hop{"client", trace.SpanKindClient}
	ProxyServer   = Hop{"proxy", trace.SpanKindServer}
	ProxyCall     = Hop{"proxy", trace.SpanKindClient}
	BackendServer = Hop{"backend", trace.SpanKindServer}
)

// Spans waits for the four spans of one call to end and returns them by hop.
func (c *Chain) Spans(t *testing.T) map[Hop]sdktrace.ReadOnlySpan {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(c.rec.Ended()) < 4 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	byHop := map[Hop]sdktrace.ReadOnlySpan{}
	for _, s := range c.rec.Ended() {
		name, _ := s.Resource().Set().Value("service.name")
		byHop[Hop{name.AsString(), s.SpanKind()}] = s
	}
	for _, h := range []Hop{ClientCall, ProxyServer, ProxyCall, BackendServer} {
		if _, ok := byHop[h]; !ok {
			t.Fatalf("%s is missing (%d spans ended)\nhint: the proxy must call the backend through the client it was given, whose connection otelgrpc traces", h, len(c.rec.Ended()))
		}
	}
	return byHop
}
