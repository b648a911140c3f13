package chain_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
	"github.com/rpc-tracing/workbook/ch04-jaeger/read"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
	"github.com/rpc-tracing/workbook/ch04-jaeger/speak"
	"github.com/rpc-tracing/workbook/ch04-jaeger/write"
	"github.com/rpc-tracing/workbook/internal/syncbuf"
)

// telemetryRecorder gives chain.Run telemetry without an exporter: each service gets a
// TracerProvider of its own, and the recorder notes which services were set up and which
// flushed, so a test sees that every way out of chain.Run goes through the shutdowns.
type telemetryRecorder struct {
	failFor string // the telemetry of this service fails to start

	mu      sync.Mutex
	started []string
	flushed []string
	// flushDeadline is whether each flush had a deadline, by service.
	flushDeadline map[string]bool
}

func newTelemetryRecorder() *telemetryRecorder {
	return &telemetryRecorder{flushDeadline: map[string]bool{}}
}

func (r *telemetryRecorder) telemetry(_ context.Context, service string, logger *slog.Logger) (otelsetup.Telemetry, error) {
	if service == r.failFor {
		return otelsetup.Telemetry{}, errors.New("no exporter for " + service)
	}
	r.mu.Lock()
	r.started = append(r.started, service)
	r.mu.Unlock()
	tp := sdktrace.NewTracerProvider()
	shutdown := func(ctx context.Context) error {
		_, hasDeadline := ctx.Deadline()
		r.mu.Lock()
		r.flushed = append(r.flushed, service)
		r.flushDeadline[service] = hasDeadline
		r.mu.Unlock()
		return tp.Shutdown(ctx)
	}
	return otelsetup.Telemetry{Providers: otelsetup.Providers{Tracer: tp, Propagator: propagators()}, Logger: logger, Shutdown: shutdown}, nil
}

func (r *telemetryRecorder) startedAndFlushed() (started, flushed []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.started...), append([]string(nil), r.flushed...)
}

// servingLine is the line each service logs once it listens: the port the system picked is in it.
var servingLine = regexp.MustCompile(`msg=serving service=(\w+) addr=(\S+)`)

// runningProgram is a chain.Run in progress, on ports the system picks.
type runningProgram struct {
	logs  *syncbuf.Buffer
	addrs map[string]string // service → the address it listens on
	stop  func() error      // ends Run's context and returns what Run returned
}

// runCommandLine is what a program over chain does with its command line (`all -delay 1s`),
// with the recorder's telemetry, logging to logs.
func runCommandLine(ctx context.Context, rec *telemetryRecorder, logs io.Writer, args ...string) error {
	fs := flag.NewFlagSet("chain", flag.ContinueOnError)
	fs.SetOutput(logs)
	return chain.RunCommandLine(ctx, fs, args, rec.telemetry)
}

// run starts the command line args and waits until each of its services logs where it listens.
func run(t *testing.T, rec *telemetryRecorder, args ...string) *runningProgram {
	t.Helper()
	logs := &syncbuf.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runCommandLine(ctx, rec, logs, args...) }()
	want := len(chain.Services)
	if args[0] != "all" {
		want = 1
	}
	rp := &runningProgram{logs: logs, addrs: map[string]string{}}
	rp.stop = func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatalf("Run did not return after its context ended; logs:\n%s", logs)
			return nil
		}
	}
	ok := assert.Eventually(t, func() bool {
		for _, m := range servingLine.FindAllStringSubmatch(logs.String(), -1) {
			rp.addrs[m[1]] = m[2]
		}
		return len(rp.addrs) == want
	}, 5*time.Second, time.Millisecond, "every service logs where it listens")
	if !ok {
		require.NoError(t, rp.stop(), "%s", logs)
		t.FailNow()
	}
	return rp
}

// onPickedPorts is the command line that runs command (`all`, `read`, …) with every service on
// a port the system picks.
func onPickedPorts(command string) []string {
	args := []string{command}
	for _, s := range chain.Services {
		args = append(args, "-"+s, "127.0.0.1:0")
	}
	return args
}

// `all`, with its exporter swapped for the recorder: five services in one process, each on its
// own port and with its own telemetry, serving until the context ends, then each flushed.
func TestAllServesTheFiveServicesUntilStoppedThenFlushesEach(t *testing.T) {
	rec := newTelemetryRecorder()
	rp := run(t, rec, onPickedPorts("all")...)

	// read answers over gRPC, sing over HTTP, each at the port it was given.
	conn, err := grpc.NewClient(rp.addrs[read.Name], grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()
	got, err := studyv1.NewReadServiceClient(conn).Read(context.Background(), &studyv1.ReadRequest{Text: ada.Text})
	require.NoError(t, err)
	assert.Equal(t, int64(9), got.GetWords())

	resp, err := http.Post("http://"+rp.addrs[sing.Name]+"/sing", "application/json", strings.NewReader(`{"text":"Ada reads the notes."}`))
	require.NoError(t, err)
	var song sing.Response
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&song))
	resp.Body.Close()
	assert.Equal(t, "la-la la la la-la", song.Song)

	require.NoError(t, rp.stop(), "%s", rp.logs)
	started, flushed := rec.startedAndFlushed()
	assert.Equal(t, chain.Services, started, "one telemetry, so one service.name, per service")
	assert.ElementsMatch(t, chain.Services, flushed, "every service flushed on the way out")
	for _, s := range chain.Services {
		assert.True(t, rec.flushDeadline[s], "%s's flush is bounded: a missing collector cannot hold the exit up", s)
	}
	assert.Contains(t, rp.logs.String(), "msg=stopped")
}

// The edge's span from a caller that sent a traceparent: with -public-endpoint it is in a trace
// of its own, without it in the caller's. speak is not running, so the answer is a 502, which
// still names the edge's trace.
func TestPublicEndpointFlagReachesTheEdge(t *testing.T) {
	for _, public := range []bool{false, true} {
		args := onPickedPorts(listen.Name) // speak on port 0: nothing answers there
		if public {
			args = append(args, "-public-endpoint")
		}
		rp := run(t, newTelemetryRecorder(), args...)
		c := &testChain{url: "http://" + rp.addrs[listen.Name] + "/api/study"}
		status, body := c.post(t, "", ada, http.Header{"Traceparent": {traceparent}})
		require.NoError(t, rp.stop(), "%s", rp.logs)

		assert.Equal(t, http.StatusBadGateway, status, "%s", body)
		var e struct {
			TraceID string `json:"trace_id"`
		}
		require.NoError(t, json.Unmarshal(body, &e), "%s", body)
		require.Len(t, e.TraceID, 32, "%s", body)
		if public {
			assert.NotEqual(t, callerTrace, e.TraceID, "-public-endpoint: a trace of the edge's own")
		} else {
			assert.Equal(t, callerTrace, e.TraceID, "by default the caller's trace goes on")
		}
	}
}

func TestRunFlushesWhatStartedWhenAServiceCannotListen(t *testing.T) {
	rec := newTelemetryRecorder()
	err := runCommandLine(context.Background(), rec, &bytes.Buffer{}, append(onPickedPorts("all"), "-write", "127.0.0.1:notaport")...)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "notaport")
	started, flushed := rec.startedAndFlushed()
	assert.Equal(t, []string{listen.Name, speak.Name, read.Name, write.Name}, started, "the services before write, and write, then no more")
	assert.ElementsMatch(t, started, flushed, "each one set up is flushed")
}

func TestRunFlushesWhatStartedWhenATelemetryFails(t *testing.T) {
	rec := newTelemetryRecorder()
	rec.failFor = read.Name
	err := runCommandLine(context.Background(), rec, &bytes.Buffer{}, onPickedPorts("all")...)
	require.EqualError(t, err, "no exporter for read")
	started, flushed := rec.startedAndFlushed()
	assert.Equal(t, []string{listen.Name, speak.Name}, started)
	assert.ElementsMatch(t, started, flushed)
}

func TestRunStartsNothingOnBadFlagsOrHelp(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		wantErr string
	}{
		{[]string{"all", "-timeout", "soon"}, `invalid value "soon" for flag -timeout`},
		{[]string{"all", "-h"}, ""},
		{[]string{"-h"}, ""},
	} {
		rec := newTelemetryRecorder()
		var logs bytes.Buffer
		err := runCommandLine(context.Background(), rec, &logs, tc.args...)
		if tc.wantErr == "" {
			assert.NoError(t, err, "-h: the program prints the usage and exits 0")
		} else {
			assert.ErrorContains(t, err, tc.wantErr)
		}
		assert.Contains(t, logs.String(), "usage: chain all|listen|speak|read|write|sing [flags]", "%v: the usage says what the commands are", tc.args)
		assert.Contains(t, logs.String(), "-public-endpoint", "%v: and what the flags are", tc.args)
		started, _ := rec.startedAndFlushed()
		assert.Empty(t, started, "%v: nothing set up", tc.args)
	}
}
