package chain_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
	"github.com/rpc-tracing/workbook/internal/syncbuf"
)

// setupRecorder is a chain.Setup without an exporter: each service gets a TracerProvider of its
// own, and the recorder notes which services were set up and which flushed, so a test sees that
// every way out of Program.Run goes through the shutdowns.
type setupRecorder struct {
	failFor string // Setup fails for this service

	mu      sync.Mutex
	started []string
	flushed []string
	// flushDeadline is whether each flush had a deadline, by service.
	flushDeadline map[string]bool
}

func newSetupRecorder() *setupRecorder { return &setupRecorder{flushDeadline: map[string]bool{}} }

func (r *setupRecorder) setup(_ context.Context, service string, logger *slog.Logger) (chain.Tracing, *slog.Logger, func(context.Context) error, error) {
	if service == r.failFor {
		return chain.Tracing{}, nil, nil, errors.New("no exporter for " + service)
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
	return chain.Tracing{Provider: tp, Propagators: propagators()}, logger, shutdown, nil
}

func (r *setupRecorder) startedAndFlushed() (started, flushed []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.started...), append([]string(nil), r.flushed...)
}

// servingLine is the line each service logs once it listens: the port the system picked is in it.
var servingLine = regexp.MustCompile(`msg=serving service=(\w+) addr=(\S+)`)

// runningProgram is a Program.Run in progress, on ports the system picks.
type runningProgram struct {
	logs  *syncbuf.Buffer
	addrs map[string]string // service → the address it listens on
	stop  func() error      // ends Run's context and returns what Run returned
}

// run starts p with args and waits until each of its services logs where it listens.
func run(t *testing.T, p chain.Program, args ...string) *runningProgram {
	t.Helper()
	logs := &syncbuf.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, args, logs) }()
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
		return len(rp.addrs) == len(p.Services)
	}, 5*time.Second, time.Millisecond, "every service logs where it listens")
	if !ok {
		require.NoError(t, rp.stop(), "%s", logs)
		t.FailNow()
	}
	return rp
}

// onPickedPorts is the flags that put every service on a port the system picks.
func onPickedPorts() []string {
	var args []string
	for _, s := range chain.Services {
		args = append(args, "-"+s, "127.0.0.1:0")
	}
	return args
}

func TestProgramOfNamesOneServiceOrAll(t *testing.T) {
	all := chain.ProgramOf("all")
	assert.Equal(t, "all", all.Name)
	assert.Equal(t, chain.Services, all.Services, "cmd/all runs the five")
	assert.NotNil(t, all.Setup)
	read := chain.ProgramOf(chain.Read)
	assert.Equal(t, chain.Read, read.Name)
	assert.Equal(t, []string{chain.Read}, read.Services)
}

// cmd/all, with its exporter swapped for the recorder: five services in one process, each on its
// own port and with its own telemetry, serving until the context ends, then each flushed.
func TestAllServesTheFiveServicesUntilStoppedThenFlushesEach(t *testing.T) {
	rec := newSetupRecorder()
	p := chain.ProgramOf("all")
	p.Setup = rec.setup
	rp := run(t, p, onPickedPorts()...)

	// read answers over gRPC, sing over HTTP, each at the port it was given.
	conn, err := grpc.NewClient(rp.addrs[chain.Read], grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()
	read, err := studyv1.NewReadServiceClient(conn).Read(context.Background(), &studyv1.ReadRequest{Text: ada.Text})
	require.NoError(t, err)
	assert.Equal(t, int64(9), read.GetWords())

	resp, err := http.Post("http://"+rp.addrs[chain.Sing]+"/sing", "application/json", strings.NewReader(`{"text":"Ada reads the notes."}`))
	require.NoError(t, err)
	var song chain.SingResponse
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&song))
	resp.Body.Close()
	assert.Equal(t, "la-la la la la-la", song.Song)

	require.NoError(t, rp.stop(), "%s", rp.logs)
	started, flushed := rec.startedAndFlushed()
	assert.Equal(t, chain.Services, started, "one Setup, so one service.name, per service")
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
		args := onPickedPorts() // speak on port 0: nothing answers there
		if public {
			args = append(args, "-public-endpoint")
		}
		p := chain.Program{Name: chain.Listen, Services: []string{chain.Listen}, Setup: newSetupRecorder().setup}
		rp := run(t, p, args...)
		c := &testChain{url: "http://" + rp.addrs[chain.Listen] + "/api/study"}
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
	rec := newSetupRecorder()
	p := chain.ProgramOf("all")
	p.Setup = rec.setup
	err := p.Run(context.Background(), append(onPickedPorts(), "-write", "127.0.0.1:notaport"), &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "notaport")
	started, flushed := rec.startedAndFlushed()
	assert.Equal(t, []string{chain.Listen, chain.Speak, chain.Read, chain.Write}, started, "the services before write, and write, then no more")
	assert.ElementsMatch(t, started, flushed, "each one set up is flushed")
}

func TestRunFlushesWhatStartedWhenASetupFails(t *testing.T) {
	rec := newSetupRecorder()
	rec.failFor = chain.Read
	p := chain.ProgramOf("all")
	p.Setup = rec.setup
	err := p.Run(context.Background(), onPickedPorts(), &bytes.Buffer{})
	require.EqualError(t, err, "no exporter for read")
	started, flushed := rec.startedAndFlushed()
	assert.Equal(t, []string{chain.Listen, chain.Speak}, started)
	assert.ElementsMatch(t, started, flushed)
}

func TestRunStartsNothingOnBadFlagsOrHelp(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		wantErr string
	}{
		{[]string{"-timeout", "soon"}, `invalid value "soon" for flag -timeout`},
		{[]string{"-h"}, ""},
	} {
		rec := newSetupRecorder()
		p := chain.ProgramOf("all")
		p.Setup = rec.setup
		var logs bytes.Buffer
		err := p.Run(context.Background(), tc.args, &logs)
		if tc.wantErr == "" {
			assert.NoError(t, err, "-h is not a failure")
		} else {
			assert.ErrorContains(t, err, tc.wantErr)
		}
		assert.Contains(t, logs.String(), "Usage of all:", "%v: the usage says what the flags are", tc.args)
		started, _ := rec.startedAndFlushed()
		assert.Empty(t, started, "%v: nothing set up", tc.args)
	}
}
