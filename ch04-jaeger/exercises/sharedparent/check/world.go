package check

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"

	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// wait is how long a request waits at a barrier for the other one before going on alone.
const wait = 5 * time.Second

// key names where a request was seen: by which service ("speak", "read", "sing"), and by the
// request's text, which tells the two students apart.
type key struct{ service, text string }

// world is speak between the check's student and the fakes of read and sing, all recording
// spans into one SpanRecorder, with the two barriers that make the requests overlap.
type world struct {
	rec   *tracetest.SpanRecorder
	speak studyv1.SpeakServiceClient
	door  *barrier // speak's door: before the handler runs
	read  *barrier // inside read: after both handlers have called it
	exit  *barrier // speak's door again: after both handlers have returned
	mu    sync.Mutex
	at    map[key]trace.SpanContext // the server span each service had for each request
	once  sync.Once
	stops []func()
}

func newWorld(t *testing.T, newService func(Downstream) studyv1.SpeakServiceServer) *world {
	w := &world{rec: tracetest.NewSpanRecorder(), door: newBarrier(2), read: newBarrier(2), exit: newBarrier(2), at: map[key]trace.SpanContext{}}
	t.Cleanup(func() { w.stop() })
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(w.rec))
	w.stops = append(w.stops, func() { _ = tp.Shutdown(context.Background()) })
	prop := propagation.TraceContext{}

	readSrv := grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler(otelgrpc.WithTracerProvider(tp), otelgrpc.WithPropagators(prop))))
	studyv1.RegisterReadServiceServer(readSrv, fakeRead{w: w})
	readConn := w.serve(t, readSrv, grpc.WithStatsHandler(otelgrpc.NewClientHandler(otelgrpc.WithTracerProvider(tp), otelgrpc.WithPropagators(prop))))

	sing := httptest.NewServer(otelhttp.NewHandler(http.HandlerFunc(w.sing), "sing",
		otelhttp.WithTracerProvider(tp), otelhttp.WithPropagators(prop),
		otelhttp.WithSpanNameFormatter(func(op string, _ *http.Request) string { return op })))
	transport := http.DefaultTransport.(*http.Transport).Clone()
	w.stops = append([]func(){sing.Close, transport.CloseIdleConnections}, w.stops...)
	d := Downstream{
		Read:    studyv1.NewReadServiceClient(readConn),
		Sing:    &http.Client{Transport: otelhttp.NewTransport(transport, otelhttp.WithTracerProvider(tp), otelhttp.WithPropagators(prop))},
		SingURL: sing.URL,
	}

	speakSrv := grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler(otelgrpc.WithTracerProvider(tp), otelgrpc.WithPropagators(prop))),
		grpc.UnaryInterceptor(w.atTheDoor))
	studyv1.RegisterSpeakServiceServer(speakSrv, newService(d))
	// The student's own client is not traced: speak's server span is the root of each trace.
	w.speak = studyv1.NewSpeakServiceClient(w.serve(t, speakSrv))
	return w
}

// serve runs srv on an in-memory listener and returns a connection to it; stop closes both, the
// connection first, so the server's GracefulStop does not wait for it.
func (w *world) serve(t *testing.T, srv *grpc.Server, opts ...grpc.DialOption) *grpc.ClientConn {
	lis := bufconn.Listen(1 << 20)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(lis) }()
	conn, err := grpc.NewClient("passthrough:///bufconn", append(opts,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }))...)
	require.NoError(t, err)
	// Servers stop before the provider shuts down, so every server span has ended by then.
	w.stops = append([]func(){func() { _ = conn.Close(); srv.GracefulStop(); <-served }}, w.stops...)
	return conn
}

// stop closes everything, once, and returns the spans recorded.
func (w *world) stop() []sdktrace.ReadOnlySpan {
	w.once.Do(func() {
		for _, stop := range w.stops {
			stop()
		}
	})
	return w.rec.Ended()
}

// atTheDoor notes speak's span for the request and holds it until the other request is there
// too. It holds it again when the handler has returned, until the other one's has: gRPC cancels
// a request's context when its handler returns, and while both wait here, neither request can
// be cut short by the other's ending, so the only thing the check sees is where the spans went.
func (w *world) atTheDoor(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if r, ok := req.(*studyv1.SpeakRequest); ok {
		w.note(key{"speak", r.GetText()}, ctx)
	}
	w.door.arrive()
	resp, err := handler(ctx, req)
	w.exit.arrive()
	return resp, err
}

// fakeRead is read: it counts words, after waiting for the other request to call it too.
type fakeRead struct {
	studyv1.UnimplementedReadServiceServer
	w *world
}

func (f fakeRead) Read(ctx context.Context, req *studyv1.ReadRequest) (*studyv1.ReadResponse, error) {
	f.w.note(key{"read", req.GetText()}, ctx)
	f.w.read.arrive()
	return &studyv1.ReadResponse{Words: int64(len(strings.Fields(req.GetText())))}, nil
}

// sing is sing: it sings the text it is sent.
func (w *world) sing(rw http.ResponseWriter, r *http.Request) {
	text, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(rw, err.Error(), http.StatusBadRequest)
		return
	}
	w.note(key{"sing", string(text)}, r.Context())
	fmt.Fprintf(rw, "♪ %s ♪", text)
}

// note records the span a service has for a request.
func (w *world) note(k key, ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.at[k] = trace.SpanContextFromContext(ctx)
}

// lookup returns the span a service had for a request, if it saw it.
func (w *world) lookup(k key) (trace.SpanContext, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	sc, ok := w.at[k]
	return sc, ok
}

// seen returns the span a service had for a request, or an empty one.
func (w *world) seen(k key) trace.SpanContext {
	sc, _ := w.lookup(k)
	return sc
}

// whose says which student's trace id is, for a message.
func (w *world) whose(id trace.TraceID) string {
	for _, s := range students {
		if w.seen(key{"speak", s.text}).TraceID() == id {
			return fmt.Sprintf("the trace of %s, %s", s.who, id)
		}
	}
	return fmt.Sprintf("a trace of its own (%s) that no request started", id)
}

// alone says whether a request gave up waiting for the other one inside read.
func (w *world) alone() bool { return w.read.timedOut() }

// barrier lets n goroutines go on together once all n have arrived, or each one alone after
// wait, so that code which never lets them meet is reported instead of hanging the test.
type barrier struct {
	mu      sync.Mutex
	left    int
	all     chan struct{}
	expired bool
}

func newBarrier(n int) *barrier { return &barrier{left: n, all: make(chan struct{})} }

func (b *barrier) arrive() {
	b.mu.Lock()
	b.left--
	if b.left == 0 {
		close(b.all)
	}
	b.mu.Unlock()
	select {
	case <-b.all:
	case <-time.After(wait):
		b.mu.Lock()
		b.expired = true
		b.mu.Unlock()
	}
}

func (b *barrier) timedOut() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.expired
}
