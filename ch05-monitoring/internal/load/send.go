package load

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// dialTimeout bounds connecting: on loopback a connection is made or refused at once.
const dialTimeout = 2 * time.Second

// maxAnswerBytes bounds how much of an answer is read; the edge's answers are a few hundred bytes.
const maxAnswerBytes = 64 << 10

// sender sends the run's requests; every worker shares it, and so shares one client and its
// pool of connections, as a real client of the chain would.
type sender struct {
	client   *http.Client
	urls     []string // one per kind
	cycle    []int    // the round-robin: request i is of kind cycle[i % len(cycle)]
	body     []byte
	requests int64
}

// newClient is the run's HTTP client: every timeout bounded, no proxy, no redirects, and a
// dialer that connects to loopback addresses only. A redirect is reported as the answer it is:
// following one could take the next request anywhere.
func newClient(p plan) *http.Client {
	dialer := &net.Dialer{Timeout: dialTimeout, Control: dialLoopbackOnly}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 nil, // never through a proxy, which is somewhere else by definition
			DialContext:           dialer.DialContext,
			MaxConnsPerHost:       p.Concurrency,
			MaxIdleConnsPerHost:   p.Concurrency,
			IdleConnTimeout:       30 * time.Second,
			ResponseHeaderTimeout: p.Timeout,
		},
		Timeout:       p.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// kindURLs is the target with each kind's query set on top of the target's own.
func kindURLs(p plan) []string {
	urls := make([]string, len(p.Mix))
	for i, extra := range p.queries {
		u := *p.target
		q := u.Query()
		for key, values := range extra {
			q[key] = values
		}
		u.RawQuery = q.Encode()
		urls[i] = u.String()
	}
	return urls
}

// work is one worker of the closed loop: it takes the next request number, sends it, waits
// for the answer and only then takes another, until the numbers run out or ctx ends.
func (s *sender) work(ctx context.Context, next *atomic.Int64, out chan<- outcome) {
	for ctx.Err() == nil {
		i := next.Add(1) - 1
		if i >= s.requests {
			return
		}
		o, counted := s.send(ctx, i)
		if !counted {
			return
		}
		out <- o
	}
}

// send sends request number i. It is not counted when ctx, the run's end, cut it short.
func (s *sender) send(ctx context.Context, i int64) (o outcome, counted bool) {
	o.kind = s.cycle[i%int64(len(s.cycle))]
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.urls[o.kind], bytes.NewReader(s.body))
	if err != nil {
		o.err = err
		return o, true
	}
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := s.client.Do(req)
	if err == nil {
		defer resp.Body.Close()
		var data []byte
		data, err = io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
		o.latency = time.Since(start)
		o.status = resp.StatusCode
		// Both the edge's answer and its error carry trace_id; any other body is still an
		// answer, just one without a trace to show.
		var answer struct {
			TraceID string `json:"trace_id"`
		}
		_ = json.Unmarshal(data, &answer)
		o.traceID = answer.TraceID
	}
	if err != nil {
		if ctx.Err() != nil {
			return outcome{}, false
		}
		o.status, o.err = 0, err
	}
	return o, true
}
