package chain_test

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/chain/chaintest"
	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
	"github.com/rpc-tracing/workbook/ch04-jaeger/read"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
	"github.com/rpc-tracing/workbook/ch04-jaeger/speak"
	"github.com/rpc-tracing/workbook/ch04-jaeger/write"
)

// deadlineSeen is what a call's context said about its deadline when the call arrived.
type deadlineSeen struct {
	at  time.Time
	set bool
}

// deadlineRecorder is a gRPC interceptor that notes the deadline each method is called with. It
// sits in front of the real read and write services, behind the real listen and speak: what it
// sees is what crossed the wire, so it tells a propagated deadline from a mere cancellation.
type deadlineRecorder struct {
	mu   sync.Mutex
	seen map[string]deadlineSeen
}

func (r *deadlineRecorder) intercept(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	at, set := ctx.Deadline()
	r.mu.Lock()
	r.seen[info.FullMethod] = deadlineSeen{at: at, set: set}
	r.mu.Unlock()
	return handler(ctx, req)
}

func (r *deadlineRecorder) of(method string) (deadlineSeen, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen, ok := r.seen[method]
	return seen, ok
}

// startChainRecordingDeadlines runs listen, speak and sing as the programs do (chain.Serve), and
// read and write as the real read.Server and write.Server on a plain gRPC server with a
// deadlineRecorder in front. It returns the edge's URL and the recorder.
func startChainRecordingDeadlines(t *testing.T, cfg chain.Config) (string, *deadlineRecorder) {
	t.Helper()
	listeners, addrs := chaintest.Listen(t)
	cfg.Addrs = addrs
	cfg.Logger = slog.New(slog.DiscardHandler)
	tracing := otelsetup.Providers{Tracer: tracenoop.NewTracerProvider(), Propagator: propagators()}

	rec := &deadlineRecorder{seen: map[string]deadlineSeen{}}
	srv := grpc.NewServer(grpc.UnaryInterceptor(rec.intercept))
	studyv1.RegisterReadServiceServer(srv, &read.Server{Faults: faults.Knob{Service: read.Name}})
	studyv1.RegisterWriteServiceServer(srv, &write.Server{Faults: faults.Knob{Service: write.Name},
		Sing: sing.NewClient("http://"+addrs.Sing, tracing)})

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	errs := make(chan error, len(chain.Services))
	for _, s := range []string{listen.Name, speak.Name, sing.Name} {
		wg.Go(func() { errs <- chain.Serve(ctx, s, listeners[s], tracing, cfg) })
	}
	// One gRPC server answers for both read and write: it serves on read's listener and on write's.
	for _, s := range []string{read.Name, write.Name} {
		wg.Go(func() { errs <- srv.Serve(listeners[s]) })
	}
	t.Cleanup(func() {
		cancel()
		srv.GracefulStop()
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
	})
	return "http://" + addrs.Listen + "/api/study", rec
}

// The edge's -timeout is the only deadline in the chain: speak adds none of its own. So a read or
// write call that arrives with a deadline no later than the edge's (the request's start plus the
// timeout) got it from the edge, through two gRPC hops, as the grpc-timeout header that otelgrpc
// and gRPC carry. A plain cancellation would leave ctx.Deadline() unset.
func TestEdgeTimeoutArrivesDownstreamAsTheGRPCDeadline(t *testing.T) {
	cfg := chain.DefaultConfig()
	cfg.Timeout = 42 * time.Second // a value nothing else in the chain uses
	url, rec := startChainRecordingDeadlines(t, cfg)

	before := time.Now()
	status, body := (&testChain{url: url}).post(t, "", ada, nil)
	after := time.Now()
	require.Equal(t, http.StatusOK, status, "%s", body)

	for _, method := range []string{studyv1.ReadService_Read_FullMethodName, studyv1.WriteService_Write_FullMethodName} {
		seen, called := rec.of(method)
		require.True(t, called, "%s was called", method)
		require.True(t, seen.set, "%s arrived with a deadline", method)
		// No earlier than the edge's own deadline (the edge started after before; the header
		// carries the time left, rounded up), and no later than the latest the edge's could be.
		assert.WithinRange(t, seen.at, before.Add(cfg.Timeout), after.Add(cfg.Timeout),
			"%s's deadline is the edge's %s", method, cfg.Timeout)
	}
}

// The same recorder, with nothing in front of it, sees no deadline: the assertions above cannot
// pass by accident for a call made without one.
func TestDeadlineRecorderSeesNoDeadlineWhenTheCallerSetNone(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	rec := &deadlineRecorder{seen: map[string]deadlineSeen{}}
	srv := grpc.NewServer(grpc.UnaryInterceptor(rec.intercept))
	studyv1.RegisterReadServiceServer(srv, &read.Server{})
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		srv.GracefulStop()
		require.NoError(t, <-served)
	}()

	conn, err := grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()
	_, err = studyv1.NewReadServiceClient(conn).Read(context.Background(), &studyv1.ReadRequest{Text: ada.Text})
	require.NoError(t, err)

	seen, called := rec.of(studyv1.ReadService_Read_FullMethodName)
	require.True(t, called)
	assert.False(t, seen.set, "no deadline sent, none seen")
}
