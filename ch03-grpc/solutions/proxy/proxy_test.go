package proxy_test

import (
	"context"
	"log/slog"
	"math"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/goleak"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/ch03-grpc/solutions/proxy"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// chain is client → proxy → backend, three "services" joined by in-memory connections, each with
// a TracerProvider of its own (as three processes would have), all recording into one recorder.
type chain struct {
	rec       *tracetest.SpanRecorder
	client    calculatorv1.CalculatorServiceClient
	deadlines chan time.Time // the deadline of each call the backend sees (zero: none)
}

var prop = propagation.TraceContext{}

// newChain builds the chain. backendDelay slows every backend answer. handler, when set,
// replaces the proxy's CalculatorService (to compare with a proxy that gets it wrong).
func newChain(t *testing.T, backendDelay time.Duration, handler func(calculatorv1.CalculatorServiceClient) calculatorv1.CalculatorServiceServer) *chain {
	t.Helper()
	c := &chain{rec: tracetest.NewSpanRecorder(), deadlines: make(chan time.Time, 1)}
	if handler == nil {
		handler = func(b calculatorv1.CalculatorServiceClient) calculatorv1.CalculatorServiceServer { return proxy.New(b) }
	}

	// The backend: chapter 3's server, with an interceptor that reports each call's deadline.
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
	calculatorv1.RegisterCalculatorServiceServer(proxySrv, handler(calculatorv1.NewCalculatorServiceClient(toBackend)))
	proxyLis := bufconn.Listen(1 << 16)
	proxyDone := make(chan error, 1)
	go func() { proxyDone <- proxySrv.Serve(proxyLis) }()

	toProxy, err := calcgrpc.NewClient("passthrough:///proxy", c.provider(t, "client"), prop, dialer(proxyLis))
	require.NoError(t, err)
	c.client = calculatorv1.NewCalculatorServiceClient(toProxy)

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
func (c *chain) provider(t *testing.T, service string) *sdktrace.TracerProvider {
	t.Helper()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(c.rec),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", service))))
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
	return tp
}

func (c *chain) recordDeadline(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	deadline, _ := ctx.Deadline()
	c.deadlines <- deadline
	return handler(ctx, req)
}

func dialer(lis *bufconn.Listener) grpc.DialOption {
	return grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) })
}

// hop names a span by the service that recorded it and its kind.
type hop struct {
	service string
	kind    trace.SpanKind
}

// spans waits for n spans to end and returns them by hop.
func (c *chain) spans(t *testing.T, n int) map[hop]sdktrace.ReadOnlySpan {
	t.Helper()
	require.Eventually(t, func() bool { return len(c.rec.Ended()) == n }, 5*time.Second, time.Millisecond)
	byHop := map[hop]sdktrace.ReadOnlySpan{}
	for _, s := range c.rec.Ended() {
		name, _ := s.Resource().Set().Value("service.name")
		byHop[hop{name.AsString(), s.SpanKind()}] = s
	}
	require.Len(t, byHop, n, "one span per hop")
	return byHop
}

var (
	clientCall  = hop{"client", trace.SpanKindClient}
	proxyServer = hop{"proxy", trace.SpanKindServer}
	proxyCall   = hop{"proxy", trace.SpanKindClient}
	backendSrv  = hop{"backend", trace.SpanKindServer}
)

func TestOneTraceOfFourSpansThroughTheProxy(t *testing.T) {
	c := newChain(t, 0, nil)
	got, err := c.client.Add(context.Background(), &calculatorv1.Operands{A: 2, B: 3})
	require.NoError(t, err)
	assert.Equal(t, int64(5), got.GetValue())

	spans := c.spans(t, 4)
	chain := []hop{clientCall, proxyServer, proxyCall, backendSrv}
	assert.False(t, spans[clientCall].Parent().IsValid(), "the client's call is the root")
	for i, h := range chain[1:] {
		parent, child := spans[chain[i]], spans[h]
		assert.Equal(t, parent.SpanContext().TraceID(), child.SpanContext().TraceID(), "%v: one trace", h)
		assert.Equal(t, parent.SpanContext().SpanID(), child.Parent().SpanID(), "%v is a child of %v", h, chain[i])
		assert.Equal(t, h.kind == trace.SpanKindServer, child.Parent().IsRemote(),
			"%v: a server's parent comes over the wire, a client's from its own process", h)
		assert.Equal(t, "calculator.v1.CalculatorService/Add", child.Name())
	}
}

func TestTheBackendSeesTheClientsDeadline(t *testing.T) {
	c := newChain(t, 0, nil)
	deadline := time.Now().Add(30 * time.Second)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	_, err := c.client.Add(ctx, &calculatorv1.Operands{A: 1, B: 2})
	require.NoError(t, err)

	got := <-c.deadlines
	require.False(t, got.IsZero(), "the backend's context has a deadline")
	// The deadline travels as the time left (grpc-timeout), not as a clock time, so that the
	// hosts' clocks need not agree. Each server adds it to the moment the request arrived, so
	// the deadline moves later by the time the request spent between hops: microseconds here,
	// while the call's 30 s are the client's.
	t.Logf("the backend's deadline is %v after the client's", got.Sub(deadline))
	assert.WithinDuration(t, deadline, got, 100*time.Millisecond, "the client's deadline, give or take the transit time")
}

// The backend takes 5 s; the client waits 100 ms. The client gets DEADLINE_EXCEEDED on time,
// and the cancellation travels down the chain: the backend stops waiting too, and every span
// ends long before the backend's 5 s.
func TestASlowBackendMakesTheClientMissItsDeadline(t *testing.T) {
	const backendDelay = 5 * time.Second
	c := newChain(t, backendDelay, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.client.Add(ctx, &calculatorv1.Operands{A: 1, B: 2})
	require.Equal(t, codes.DeadlineExceeded, status.Code(err), "%v", err)
	assert.Less(t, time.Since(start), backendDelay)

	spans := c.spans(t, 4)
	assert.Equal(t, "DEADLINE_EXCEEDED", attr(spans[clientCall], "rpc.response.status_code"))
	for h, s := range spans {
		assert.Less(t, s.EndTime().Sub(s.StartTime()), backendDelay, "%v gave up with the client", h)
	}
	// Each server's context ends by its own copy of the deadline or by its caller's
	// cancellation, whichever comes first (see the chapter's "Deadlines across hops").
	assert.Contains(t, []string{"DEADLINE_EXCEEDED", "CANCELLED"}, attr(spans[backendSrv], "rpc.response.status_code"))
}

func TestTheBackendsStatusReachesTheClient(t *testing.T) {
	c := newChain(t, 0, nil)
	_, err := c.client.Add(context.Background(), &calculatorv1.Operands{A: math.MaxInt64, B: 1})
	require.Equal(t, codes.OutOfRange, status.Code(err), "%v", err)

	spans := c.spans(t, 4)
	for h, s := range spans {
		assert.Equal(t, "OUT_OF_RANGE", attr(s, "rpc.response.status_code"), "%v", h)
	}
}

// detached is the proxy done wrong: it calls the backend with context.Background() instead of
// the ctx it was given.
type detached struct {
	calculatorv1.UnimplementedCalculatorServiceServer
	backend calculatorv1.CalculatorServiceClient
}

func (d detached) Add(_ context.Context, in *calculatorv1.Operands) (*calculatorv1.Result, error) {
	return d.backend.Add(context.Background(), in)
}

// With a detached context nothing fails, yet both lessons are lost: the backend's spans start a
// trace of their own, and the backend has no deadline, so it would work on after the client
// gave up.
func TestADetachedContextLosesTheTraceAndTheDeadline(t *testing.T) {
	c := newChain(t, 0, func(b calculatorv1.CalculatorServiceClient) calculatorv1.CalculatorServiceServer {
		return detached{backend: b}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := c.client.Add(ctx, &calculatorv1.Operands{A: 2, B: 3})
	require.NoError(t, err)
	assert.Equal(t, int64(5), got.GetValue())
	assert.True(t, (<-c.deadlines).IsZero(), "the backend has no deadline")

	spans := c.spans(t, 4)
	assert.False(t, spans[proxyCall].Parent().IsValid(), "the proxy's call is a new root")
	assert.NotEqual(t, spans[clientCall].SpanContext().TraceID(), spans[backendSrv].SpanContext().TraceID(),
		"two traces where there should be one")
}

func attr(s sdktrace.ReadOnlySpan, key string) string {
	for _, kv := range s.Attributes() {
		if string(kv.Key) == key {
			return kv.Value.AsString()
		}
	}
	return ""
}
