// Package check is the backgroundctx exercise's check. It serves a fake speak on an in-memory
// gRPC listener, wraps the learner's handler in otelhttp as listen's server, sends it one request
// with a deadline, and reads the request's spans: listen's server span, the client span of its
// call to speak under it, speak's server span under that, all in one trace.
package check

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"

	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
	"github.com/rpc-tracing/workbook/internal/exercise"
)

// deadline is how long the check's request is willing to wait; speak should be told.
const deadline = 30 * time.Second

// OneTrace sends one request to the handler newHandler makes, given a client of speak, and
// checks that the request is one trace: the call's client span under listen's server span,
// speak's server span under the call's, and that speak was handed the request's deadline. Then
// a caller hangs up long before its deadline, and speak must hear of it.
func OneTrace(t *testing.T, newHandler func(speak studyv1.SpeakServiceClient) http.Handler) {
	t.Helper()
	exercise.NoLeaks(t)
	w := newWorld(t, newHandler)
	ctx, cancel := context.WithTimeout(t.Context(), deadline)
	defer cancel()
	req := httptest.NewRequest(http.MethodGet, "/listen?student=Ada&text=Ada+reads+the+notes.", nil).WithContext(ctx)
	resp := httptest.NewRecorder()
	w.listen.ServeHTTP(resp, req)
	spans := w.stop()

	assert.Equal(t, http.StatusOK, resp.Code, "listen answered %d %q; want 200 with speak's reply\nhint: the handler asks speak and writes its reply", resp.Code, resp.Body.String())
	assert.Contains(t, resp.Body.String(), "Ada: 4 words", "listen's answer does not have speak's reply in it")
	checkTrace(t, spans)
	if left, ok := w.speak.deadline(); !ok {
		t.Errorf("speak was not told how long the caller would wait, though the request had a deadline of %v\n"+
			"hint: speak must be called with the request's own context, r.Context(): a context made apart from it "+
			"(context.Background(), or context.WithoutCancel(r.Context())) loses the request's deadline and cancellation", deadline)
	} else if left > deadline {
		t.Errorf("speak was given %v, more than the request's deadline of %v", left, deadline)
	}
	hangUp(t, newHandler)
}

// hangUp sends a request with the full deadline whose caller hangs up after a moment: speak's
// context must end then, Canceled, not at a deadline the handler made up.
func hangUp(t *testing.T, newHandler func(speak studyv1.SpeakServiceClient) http.Handler) {
	t.Helper()
	w := newWorld(t, newHandler)
	defer w.stop()
	ctx, cancel := context.WithTimeout(t.Context(), deadline)
	defer cancel()
	time.AfterFunc(100*time.Millisecond, cancel)
	query := url.Values{"student": {"Ada"}, "text": {hangUpText}}
	req := httptest.NewRequest(http.MethodGet, "/listen?"+query.Encode(), nil).WithContext(ctx)
	w.listen.ServeHTTP(httptest.NewRecorder(), req)
	err := <-w.speak.hungUp
	if errors.Is(err, context.Canceled) {
		return
	}
	what := fmt.Sprintf("was still alive %v later", speakWaits)
	if err != nil {
		what = fmt.Sprintf("ended with %v instead", err)
	}
	t.Errorf("the caller hung up after 100ms, but speak's context %s\n"+
		"hint: call speak with r.Context(), or a context made from it: only that one ends when the caller goes away", what)
}

// world is listen's handler in front of a fake speak on an in-memory gRPC connection, both traced
// by one provider.
type world struct {
	listen http.Handler
	speak  *fakeSpeak
	// stop closes the connection, stops speak, shuts the provider down and returns every span.
	stop func() []sdktrace.ReadOnlySpan
}

func newWorld(t *testing.T, newHandler func(speak studyv1.SpeakServiceClient) http.Handler) *world {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	prop := propagation.TraceContext{}
	speak := &fakeSpeak{hungUp: make(chan error, 1)}
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler(otelgrpc.WithTracerProvider(tp), otelgrpc.WithPropagators(prop))))
	studyv1.RegisterSpeakServiceServer(srv, speak)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(lis) }()
	conn, err := grpc.NewClient("passthrough:///speak",
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithStatsHandler(otelgrpc.NewClientHandler(otelgrpc.WithTracerProvider(tp), otelgrpc.WithPropagators(prop))))
	require.NoError(t, err)
	listen := otelhttp.NewHandler(newHandler(studyv1.NewSpeakServiceClient(conn)), "listen",
		otelhttp.WithTracerProvider(tp), otelhttp.WithPropagators(prop),
		otelhttp.WithSpanNameFormatter(func(op string, _ *http.Request) string { return op }))
	stop := sync.OnceValue(func() []sdktrace.ReadOnlySpan {
		// Closing the connection and stopping the server first means every span has ended when
		// the provider shuts down.
		require.NoError(t, conn.Close())
		srv.GracefulStop()
		require.NoError(t, <-served)
		require.NoError(t, tp.Shutdown(context.Background()))
		return rec.Ended()
	})
	t.Cleanup(func() { stop() })
	return &world{listen: listen, speak: speak, stop: stop}
}

// hangUpText makes the fake speak wait for its caller to go away, up to speakWaits.
const (
	hangUpText = "wait for me"
	speakWaits = 2 * time.Second
)

// fakeSpeak is speak: it counts the words and notes what time its caller gave it.
type fakeSpeak struct {
	studyv1.UnimplementedSpeakServiceServer
	mu   sync.Mutex
	left time.Duration
	has  bool
	// hungUp tells how a call that waits for its caller to go away ended: the context's error,
	// or nil if the caller never went.
	hungUp chan error
}

func (f *fakeSpeak) Speak(ctx context.Context, req *studyv1.SpeakRequest) (*studyv1.SpeakResponse, error) {
	if req.GetText() == hangUpText {
		select {
		case <-ctx.Done():
			f.hungUp <- ctx.Err()
		case <-time.After(speakWaits):
			f.hungUp <- nil
		}
		return nil, errors.New("the caller went away")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if d, ok := ctx.Deadline(); ok {
		f.left, f.has = time.Until(d), true
	}
	return &studyv1.SpeakResponse{Reply: fmt.Sprintf("%s: %d words", req.GetStudent(), len(strings.Fields(req.GetText())))}, nil
}

// deadline returns the time speak's caller gave it, if any.
func (f *fakeSpeak) deadline() (time.Duration, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.left, f.has
}
