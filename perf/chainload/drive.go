package chainload

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Load says how hard and how long to drive the chain.
type Load struct {
	// Concurrency is how many requests may be in flight at once. In a closed loop (Rate 0)
	// each of Concurrency workers sends, waits for the answer, and sends again.
	Concurrency int
	// Rate, if above zero, paces the requests at that many per second (an open loop): a
	// request is due every 1/Rate s whatever the answers do, and one that finds all
	// Concurrency slots busy is counted as Missed, not queued.
	Rate float64
	// Duration bounds the run.
	Duration time.Duration
}

func (l Load) check() error {
	switch {
	case l.Concurrency < 1 || l.Concurrency > 256:
		return fmt.Errorf("chainload: concurrency %d, want 1 to 256", l.Concurrency)
	case l.Duration <= 0 || l.Duration > 10*time.Minute:
		return fmt.Errorf("chainload: duration %v, want above 0 and at most 10m", l.Duration)
	case l.Rate < 0:
		return fmt.Errorf("chainload: rate %v is negative", l.Rate)
	}
	return nil
}

// Stats is what a run measured.
type Stats struct {
	OK     int // answered 2xx
	Failed int // answered otherwise, or not at all
	// Missed counts paced requests that were due while every slot was busy: the chain could
	// not keep up with the offered rate.
	Missed     int
	Elapsed    time.Duration
	Throughput float64 // OK per second
	P50, P99   time.Duration
}

// Body is the request every call sends: a short text, as in chapter 4's demo.
var Body = []byte(`{"student":"Ada","text":"Ada reads the notes. Then she writes a program!"}`)

// Drive sends POST requests to url (the chain's edge, e.g. http://127.0.0.1:8080/api/study)
// under load l and returns what it measured. When l.Duration is over no request is sent, but
// those already sent are waited for and counted: every request the chain saw is in the figures,
// so the spans it produced can be compared with those Jaeger received. Only ctx ending is an
// error; failed requests are counted.
func Drive(ctx context.Context, client *http.Client, url string, l Load) (Stats, error) {
	if err := l.check(); err != nil {
		return Stats{}, err
	}
	runCtx, cancel := context.WithTimeout(ctx, l.Duration)
	defer cancel()
	rec := &recorder{}
	start := time.Now()
	if l.Rate > 0 {
		paced(runCtx, l, func() { rec.add(send(ctx, client, url)) }, &rec.missed)
	} else {
		closedLoop(runCtx, l.Concurrency, func() { rec.add(send(ctx, client, url)) })
	}
	if err := ctx.Err(); err != nil {
		return Stats{}, err
	}
	return rec.stats(time.Since(start)), nil
}

// closedLoop runs n workers that each call do until ctx ends.
func closedLoop(ctx context.Context, n int, do func()) {
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for ctx.Err() == nil {
				do()
			}
		})
	}
	wg.Wait()
}

// paced calls do l.Rate times a second, at most l.Concurrency at once, until ctx ends.
func paced(ctx context.Context, l Load, do func(), missed *atomic.Int64) {
	slots := make(chan struct{}, l.Concurrency)
	tick := time.NewTicker(time.Duration(float64(time.Second) / l.Rate))
	defer tick.Stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		select {
		case slots <- struct{}{}:
			wg.Go(func() {
				defer func() { <-slots }()
				do()
			})
		default:
			missed.Add(1)
		}
	}
}

// outcome is one request: how long it took and whether it succeeded.
type outcome struct {
	latency time.Duration
	ok      bool
}

func send(ctx context.Context, client *http.Client, url string) outcome {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(Body))
	if err != nil {
		return outcome{}
	}
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return outcome{}
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return outcome{latency: time.Since(start), ok: resp.StatusCode/100 == 2}
}

// recorder collects outcomes from every worker.
type recorder struct {
	mu        sync.Mutex
	latencies []time.Duration // of the OK requests
	failed    int
	missed    atomic.Int64
}

func (r *recorder) add(o outcome) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if o.ok {
		r.latencies = append(r.latencies, o.latency)
	} else {
		r.failed++
	}
}

func (r *recorder) stats(elapsed time.Duration) Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	slices.Sort(r.latencies)
	return Stats{
		OK:         len(r.latencies),
		Failed:     r.failed,
		Missed:     int(r.missed.Load()),
		Elapsed:    elapsed,
		Throughput: float64(len(r.latencies)) / elapsed.Seconds(),
		P50:        percentile(r.latencies, 50),
		P99:        percentile(r.latencies, 99),
	}
}

// percentile is the nearest-rank percentile of sorted: the smallest value that at least p% of
// the values are at or below. Zero for no values.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 × n)
	return sorted[max(rank, 1)-1]
}
