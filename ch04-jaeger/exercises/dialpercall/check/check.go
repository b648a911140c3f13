// Package check is the dialpercall exercise's check. It serves a fake read on an in-memory
// listener, with a stats handler that counts the connections read's server accepts and closes,
// makes the learner's client once, calls it five times at once, closes it, and then counts: connections
// (one), spans (a client span per call, read's server span under each), and the goroutines
// left running (none).
package check

import (
	"context"
	"fmt"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.uber.org/goleak"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"

	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// Reader is the client under test: speak's client of read.
type Reader interface {
	Read(ctx context.Context, text string) (int64, error)
	Close() error
}

// calls is how many calls the check makes with one client.
const calls = 5

// closeWait is how long the check gives the client's connections to close after Close.
const closeWait = 2 * time.Second

// OneConnection makes a client with newClient, calls read five times at once with it, closes it, and
// checks that read's server accepted one connection, closed by Close; that each call has its
// client span with read's server span under it; and that no goroutine of the client outlives
// Close.
func OneConnection(t *testing.T, newClient func(target string, opts ...grpc.DialOption) (Reader, error)) {
	t.Helper()
	before := goleak.IgnoreCurrent()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	prop := propagation.TraceContext{}
	conns := &connCounter{}
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer(grpc.StatsHandler(conns),
		grpc.StatsHandler(otelgrpc.NewServerHandler(otelgrpc.WithTracerProvider(tp), otelgrpc.WithPropagators(prop))))
	studyv1.RegisterReadServiceServer(srv, fakeRead{})
	served := make(chan error, 1)
	go func() { served <- srv.Serve(lis) }()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			srv.Stop()
			<-served
			require.NoError(t, tp.Shutdown(context.Background()))
		}
	}
	t.Cleanup(stop)

	client, err := newClient("passthrough:///read",
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithStatsHandler(otelgrpc.NewClientHandler(otelgrpc.WithTracerProvider(tp), otelgrpc.WithPropagators(prop))))
	require.NoError(t, err, "making the client failed\nhint: New should return a client that is ready to call")
	callFiveTimes(t, tp, client)
	opened := conns.begun.Load()
	require.NoError(t, client.Close(), "Close failed")
	deadline := time.Now().Add(closeWait)
	for conns.ended.Load() < opened && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if opened != 1 {
		t.Errorf("read's server accepted %d connections for %d calls made with one client; want 1, shared by every call\n"+
			"hint: each grpc.ClientConn opens a connection of its own. How many does the client make, and when?", opened, calls)
	}
	if open := opened - conns.ended.Load(); open > 0 {
		t.Errorf("connections still open %v after Close: %d, of the %d read's server accepted; want none\n"+
			"hint: a connection stays open until the grpc.ClientConn that made it is closed", closeWait, open, opened)
	}
	stop()
	checkSpans(t, rec.Ended())
	if err := goleak.Find(before); err != nil {
		t.Errorf("goroutines started by the client were still running after Close, and after read's server had stopped: %s\n"+
			"hint: a grpc.ClientConn runs goroutines until it is closed; every one the client makes must be closed", tops(err))
	}
}

// texts are what the five calls ask read about, and words how many words each has.
var (
	texts = []string{"one", "one two", "one two three", "one two three four", "one two three four five"}
	words = []int64{1, 2, 3, 4, 5}
)

// callFiveTimes calls read once per text, all five at once, each call in a trace of its own with
// a root span "study N", the way speak calls read for the requests it serves at the same time.
func callFiveTimes(t *testing.T, tp *sdktrace.TracerProvider, client Reader) {
	t.Helper()
	got, errs := make([]int64, len(texts)), make([]error, len(texts))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, text := range texts {
		wg.Go(func() {
			<-start // all five at once, as speak's requests would be
			ctx, span := tp.Tracer("check").Start(t.Context(), fmt.Sprintf("study %d", i+1))
			defer span.End()
			got[i], errs[i] = client.Read(ctx, text)
		})
	}
	close(start)
	wg.Wait()
	for i, text := range texts {
		require.NoError(t, errs[i], "call %d to read failed\nhint: Read should ask read and return its answer", i+1)
		assert.Equal(t, words[i], got[i], "call %d: read counted %d words in %q; Read returned %d", i+1, words[i], text, got[i])
	}
}

// topRE finds the function on top of each goroutine goleak reports.
var topRE = regexp.MustCompile(`with (\S+) on top of the stack`)

// tops shortens goleak's report to the count of goroutines left and the functions they run.
func tops(err error) string {
	found := topRE.FindAllStringSubmatch(err.Error(), -1)
	count := map[string]int{}
	var order []string
	for _, m := range found {
		if count[m[1]] == 0 {
			order = append(order, m[1])
		}
		count[m[1]]++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d of them", len(found))
	for _, f := range order {
		fmt.Fprintf(&b, "\n  %d× %s", count[f], f)
	}
	return b.String()
}
