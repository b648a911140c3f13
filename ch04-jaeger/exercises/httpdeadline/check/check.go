// Package check is the httpdeadline exercise's check, shared by the stub you edit
// (exercises/httpdeadline, run with `make exercise EX=ch04/httpdeadline`) and the reference
// solution (solutions/httpdeadline). It calls a stand-in for sing, over loopback HTTP, through
// your Transport, with your Handler in front of sing's handler, and looks at what sing's handler
// was given: the header, and a context with the caller's deadline.
package check

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/exercise"
)

// Deadline is the exercise's code under test: the header's name, the RoundTripper that sends it
// (wrapping next) and the middleware that reads it (wrapping sing's handler).
type Deadline struct {
	Header    string
	Transport func(next http.RoundTripper) http.RoundTripper
	Handler   func(next http.Handler) http.Handler
}

// The caller's deadlines: a short one that runs out while sing works, a long one to read back.
const (
	callerWaits = 100 * time.Millisecond
	longWait    = 30 * time.Second
	// hangUpWait is the deadline of a caller that hangs up long before it.
	hangUpWait = 3 * time.Second
	// rounding is how far a header may exceed the time left, for a value rounded to the millisecond.
	rounding = time.Millisecond
)

// ServerStopsWhenCallerDoes calls sing with 100ms to wait; sing's work would take a minute. The
// header must arrive, sing's handler must be given a context whose deadline is no later than the
// caller's, and the work must stop long before its minute. A caller that hangs up before its
// deadline must stop the work too.
func ServerStopsWhenCallerDoes(t *testing.T, d Deadline) {
	t.Helper()
	exercise.NoLeaks(t)
	headers, seen := make(chan string, 1), make(chan visit, 1)
	srv := httptest.NewServer(arrived(d.Header, headers, d.Handler(sing(seen))))
	defer srv.Close()
	client, closeIdle := newClient(d)
	defer closeIdle()

	ctx, cancel := context.WithTimeout(context.Background(), callerWaits)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/sing", nil)
	require.NoError(t, err)
	// Either side's deadline can fire first: the caller gives up, or sing's handler returns and
	// its empty answer arrives just in time. Neither should wait a minute.
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
	} else if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the call failed with %v; want an answer, or the caller giving up after %v", err, callerWaits)
	}

	header, arrivedOK := receive(headers)
	if !arrivedOK {
		t.Fatalf("the request never reached sing\nhint: RoundTrip should send the request on with t.Next.RoundTrip")
	}
	if left, err := time.ParseDuration(header); header != "" && (err != nil || left <= 0) {
		t.Fatalf("a caller with %v to wait sent %s: %q, which is not a positive duration\n"+
			"hint: in RoundTrip, send time.Until(deadline) finely enough, e.g. rounded to the millisecond (\"99ms\"), not in whole seconds",
			callerWaits, d.Header, header)
	}
	v, ran := receive(seen)
	if !ran {
		t.Fatalf("sing's handler never ran for a request with %s: %q\nhint: Handler should serve a request with a valid header with next", d.Header, header)
	}
	checkVisit(t, d, header, v)
	hangUp(t, d)
}

// hangUp calls sing with hangUpWait to wait and hangs up after callerWaits. sing's handler must
// stop then, not at the deadline: the context Handler gives it must come from the request's own,
// which ends when the caller goes away.
func hangUp(t *testing.T, d Deadline) {
	t.Helper()
	seen := make(chan visit, 1)
	srv := httptest.NewServer(d.Handler(sing(seen)))
	defer srv.Close()
	client, closeIdle := newClient(d)
	defer closeIdle()

	ctx, cancel := context.WithTimeout(context.Background(), hangUpWait)
	defer cancel()
	time.AfterFunc(callerWaits, cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/sing", nil)
	require.NoError(t, err)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
	}
	v, ran := receive(seen)
	if !ran {
		t.Fatalf("sing's handler never ran for a caller that would wait %v\nhint: Handler should serve a request with a valid header with next", hangUpWait)
	}
	if !errors.Is(v.ended, context.Canceled) {
		t.Errorf("the caller hung up after %v, but sing's handler worked on for %v (ended by %v)\n"+
			"hint: in Handler, make the context with context.WithTimeout(r.Context(), …): r.Context() ends when the caller goes away",
			callerWaits, v.took.Round(time.Millisecond), v.ended)
	}
}

// checkVisit checks what sing's handler was given by a caller with callerWaits to wait: the
// header, a deadline no later than the caller's, and work that stopped when it passed.
func checkVisit(t *testing.T, d Deadline, header string, v visit) {
	t.Helper()
	if header == "" {
		t.Errorf("the request reached sing without the %s header, though the caller would wait only %v\n"+
			"hint: in Transport.RoundTrip, send the time left until req.Context().Deadline() in the header", d.Header, callerWaits)
	}
	switch {
	case !v.hasDeadline && header == "":
		t.Errorf("sing's handler was given a context without a deadline, so it worked on until its caller hung up (%v, ended by %v)\n"+
			"hint: without the header, Handler cannot know the deadline; send it first", v.took.Round(time.Millisecond), v.ended)
	case !v.hasDeadline:
		t.Errorf("the request arrived with %s: %q, but sing's handler was given a context without a deadline; it worked on until its caller hung up (%v, ended by %v)\n"+
			"hint: in Handler, time.ParseDuration the header and serve next with r.WithContext(ctx), ctx a context.WithTimeout of r.Context()",
			d.Header, header, v.took.Round(time.Millisecond), v.ended)
	case v.left > callerWaits+rounding:
		t.Errorf("sing's handler was given %v to work, more than the %v its caller would wait\n"+
			"hint: send the time left (time.Until the deadline), and give the handler that much", v.left, callerWaits)
	}
	if v.ended == nil {
		t.Errorf("sing's handler worked its whole minute for a caller that gave up after %v\n"+
			"hint: the handler stops when its context is done; give it a context with the caller's deadline", callerWaits)
	}
}

// HeaderCarriesRemainingTime sends a request with 30s to wait and reads the header sing receives:
// a duration of about 30s. The caller's own request must come back unchanged.
func HeaderCarriesRemainingTime(t *testing.T, d Deadline) {
	t.Helper()
	exercise.NoLeaks(t)
	headers := make(chan string, 1)
	srv := httptest.NewServer(arrived(d.Header, headers, http.NotFoundHandler()))
	defer srv.Close()
	client, closeIdle := newClient(d)
	defer closeIdle()

	ctx, cancel := context.WithTimeout(context.Background(), longWait)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/sing", nil)
	require.NoError(t, err)
	resp, err := client.Do(req)
	require.NoError(t, err, "the call through Transport failed\nhint: RoundTrip should send the request on with t.Next.RoundTrip")
	resp.Body.Close()

	header, ok := receive(headers)
	require.True(t, ok, "the request never reached sing\nhint: RoundTrip should send the request on with t.Next.RoundTrip")
	if got, err := time.ParseDuration(header); header == "" {
		t.Errorf("the request reached sing without the %s header, though its context had %v left\n"+
			"hint: in RoundTrip, when req.Context().Deadline() reports a deadline, set the header to time.Until(deadline), e.g. rounded to the millisecond and written with String()",
			d.Header, longWait)
	} else if err != nil {
		t.Errorf("%s: %q is not a duration time.ParseDuration reads\nhint: send a time.Duration's String(), such as \"29.999s\"", d.Header, header)
	} else if got < longWait-5*time.Second || got > longWait+rounding {
		t.Errorf("%s: %q, want about %v, the time left until the caller's deadline\n"+
			"hint: send time.Until(deadline): the time remaining, not a clock time", d.Header, header, longWait)
	}
	if v := req.Header.Get(d.Header); v != "" {
		t.Errorf("RoundTrip set %s: %q on the caller's own request; want it only on the request sent\n"+
			"hint: a RoundTripper must not change the request it is given: req = req.Clone(req.Context()), then set the header", d.Header, v)
	}
}

// MalformedHeaderIsABadRequest sends Handler headers that are not a positive duration: each one
// gets 400 Bad Request, and sing's handler is not run.
func MalformedHeaderIsABadRequest(t *testing.T, d Deadline) {
	t.Helper()
	exercise.NoLeaks(t)
	for _, value := range []string{"soon", "-5s", "0s"} {
		ran := false
		h := d.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { ran = true }))
		req := httptest.NewRequest(http.MethodPost, "/sing", nil)
		req.Header.Set(d.Header, value)
		resp := httptest.NewRecorder()
		h.ServeHTTP(resp, req)
		if resp.Code != http.StatusBadRequest {
			t.Errorf("a request with %s: %q got %d %s; want 400 Bad Request\n"+
				"hint: in Handler, when time.ParseDuration fails or the duration is not positive, answer http.Error(w, …, http.StatusBadRequest) and return without calling next",
				d.Header, value, resp.Code, http.StatusText(resp.Code))
		}
		if ran {
			t.Errorf("sing's handler ran for a request with %s: %q; want Handler to turn it away", d.Header, value)
		}
	}
}

// WithoutADeadline checks that nothing changes when there is no deadline: a request whose context
// has none is sent without the header, and a request without the header reaches sing's handler as
// it is, with no deadline.
func WithoutADeadline(t *testing.T, d Deadline) {
	t.Helper()
	exercise.NoLeaks(t)
	headers := make(chan string, 1)
	srv := httptest.NewServer(arrived(d.Header, headers, http.NotFoundHandler()))
	defer srv.Close()
	client, closeIdle := newClient(d)
	defer closeIdle()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/sing", nil)
	require.NoError(t, err)
	resp, err := client.Do(req)
	require.NoError(t, err, "the call through Transport failed\nhint: RoundTrip should send the request on with t.Next.RoundTrip")
	resp.Body.Close()
	header, ok := receive(headers)
	require.True(t, ok, "the request never reached sing\nhint: RoundTrip should send the request on with t.Next.RoundTrip")
	if header != "" {
		t.Errorf("a request whose context has no deadline arrived with %s: %q; want no header\n"+
			"hint: send the header only when req.Context().Deadline() reports a deadline", d.Header, header)
	}

	got := make(chan bool, 1)
	h := d.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, ok := r.Context().Deadline()
		got <- ok
		w.WriteHeader(http.StatusOK)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/sing", nil))
	switch {
	case len(got) == 0:
		t.Errorf("a request without %s got %d %s, and sing's handler never ran; want it served as it is\n"+
			"hint: without the header there is no deadline to set: call next with the request unchanged", d.Header, rec.Code, http.StatusText(rec.Code))
	case <-got:
		t.Errorf("sing's handler was given a deadline, though the request carried no %s\nhint: set a deadline only when the header is there", d.Header)
	}
}
