package load_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/load"
)

// The first byte of a fake trace ID says how the fake edge answered, so a test can tell which
// kind of request a trace ID came from.
const (
	answeredOK = iota
	answeredSlow
	answeredFailed
	answeredTimedOut
)

// edgeOptions shape a fake edge's behaviour beyond its query knobs.
type edgeOptions struct {
	// slow is how long ?slow=<service> takes, for any service but sing.
	slow time.Duration
	// hangAfter, when above zero, makes every request after the first hangAfter hang until
	// the client gives up.
	hangAfter int64
	// before runs first in every request.
	before func(*http.Request)
}

// edge stands in for chapter 4's edge, POST /api/study. Like the real one it answers 200 with a
// trace ID, 502 for ?fail=<service> and 504 when the deadline passes (here: ?slow=sing, at
// once). Three more knobs break it in ways the real edge does not: ?hang=1 never answers,
// ?drop=1 closes the connection without a word, ?redirect=1 points somewhere off the machine.
type edge struct {
	opt  edgeOptions
	hits atomic.Int64
	// hung gets a value (if there is room) each time a request starts to hang.
	hung chan struct{}
	url  string
}

func startEdge(t *testing.T, opt edgeOptions) *edge {
	t.Helper()
	e := &edge{opt: opt, hung: make(chan struct{}, load.MaxConcurrency)}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	e.url = srv.URL + "/api/study"
	return e
}

func (e *edge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := e.hits.Add(1)
	if e.opt.before != nil {
		e.opt.before(r)
	}
	var req listen.StudyRequest
	if r.Method != http.MethodPost || r.URL.Path != "/api/study" ||
		json.NewDecoder(r.Body).Decode(&req) != nil || req.Student == "" || req.Text == "" {
		http.Error(w, "not the request the edge expects", http.StatusBadRequest)
		return
	}
	q := r.URL.Query()
	switch {
	case q.Has("hang") || (e.opt.hangAfter > 0 && n > e.opt.hangAfter):
		select {
		case e.hung <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	case q.Has("drop"):
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	case q.Has("redirect"):
		http.Redirect(w, r, "http://192.0.2.1/api/study", http.StatusFound)
	case q.Get("fail") != "":
		answer(w, http.StatusBadGateway, answeredFailed, n)
	case q.Get("slow") == sing.Name:
		answer(w, http.StatusGatewayTimeout, answeredTimedOut, n)
	case q.Get("slow") != "":
		// A fake server may take its time: this is the latency the test measures.
		select {
		case <-time.After(e.opt.slow):
		case <-r.Context().Done():
			return
		}
		answer(w, http.StatusOK, answeredSlow, n)
	default:
		answer(w, http.StatusOK, answeredOK, n)
	}
}

// answer writes the edge's JSON: a StudyResponse-like body or an error, both with a trace ID.
func answer(w http.ResponseWriter, status, how int, n int64) {
	body := map[string]string{"trace_id": fakeTraceID(how, n)}
	if status == http.StatusOK {
		body["reply"] = "well read"
	} else {
		body["error"] = http.StatusText(status)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// fakeTraceID is 32 hex digits: how the edge answered, then the request's number.
func fakeTraceID(how int, n int64) string { return fmt.Sprintf("%02x%030x", how, n) }

// requireTraceFrom checks that id is one of the fake edge's, and answered as how says.
func requireTraceFrom(t *testing.T, how int, id string) {
	t.Helper()
	require.Len(t, id, 32)
	require.Equal(t, fmt.Sprintf("%02x", how), id[:2], "trace %s", id)
}
