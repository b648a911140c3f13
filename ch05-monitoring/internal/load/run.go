package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// ErrTargetDown is the error when not one request got an answer.
var ErrTargetDown = errors.New("target is down")

// Run sends cfg's requests and adds up what happened. It checks cfg before sending anything.
//
// It stops when every request is answered, when cfg.Duration passes, or when ctx ends,
// whichever comes first, and returns only once every request it sent has finished. A request
// that fails in transport (connection refused, timeout) is counted, not fatal; only when no
// request got an answer at all does Run return ErrTargetDown. When ctx ends, Run returns what
// it counted so far together with ctx's error.
func Run(ctx context.Context, cfg Config) (Result, error) {
	p, err := newPlan(cfg)
	if err != nil {
		return Result{}, err
	}
	body, err := json.Marshal(p.Body)
	if err != nil {
		return Result{}, fmt.Errorf("load: body: %w", err)
	}
	client := newClient(p)
	defer client.CloseIdleConnections()
	s := &sender{client: client, urls: kindURLs(p), cycle: schedule(weights(p.Mix)), body: body, requests: int64(p.Requests)}

	// The clock starts before the deadline is set, so a run that its duration ends has run for at
	// least that duration, and its bar ends full.
	start := time.Now()
	runCtx, cancel := context.WithTimeout(ctx, p.Duration)
	defer cancel()
	outcomes := make(chan outcome)
	var workers sync.WaitGroup
	var next atomic.Int64
	for range p.Concurrency {
		workers.Go(func() { s.work(runCtx, &next, outcomes) })
	}
	go func() {
		workers.Wait()
		close(outcomes)
	}()
	res, firstErr := collect(outcomes, p, start)

	switch {
	case ctx.Err() != nil:
		res.Stopped = StoppedByContext
		return res, fmt.Errorf("load: stopped after %d requests: %w", res.Overall.Sent, context.Cause(ctx))
	case res.Overall.Sent == p.Requests:
		res.Stopped = StoppedByCount
	default:
		res.Stopped = StoppedByDuration
	}
	if res.Overall.Answered() == 0 {
		err := fmt.Errorf("load: %w: no answer from %s in %s, %d requests failed",
			ErrTargetDown, p.Target, res.Elapsed.Round(time.Millisecond), res.Overall.NoAnswer)
		if firstErr != nil {
			err = fmt.Errorf("%w; the first: %w", err, firstErr)
		}
		return res, err
	}
	return res, nil
}

// collect adds up outcomes until the channel closes, redrawing the progress bar as it goes, and
// returns the result with the first transport error, which says best why a target is down.
func collect(outcomes <-chan outcome, p plan, start time.Time) (Result, error) {
	kinds := make([]*tally, len(p.Mix))
	for i, k := range p.Mix {
		kinds[i] = newTally(k.Name)
	}
	all := newTally("all")
	bar := newProgress(p)
	var tick <-chan time.Time
	if bar.live {
		ticker := time.NewTicker(progressEvery)
		defer ticker.Stop()
		tick = ticker.C
	}
	var firstErr error
	bar.draw(0, 0, 0, 0)
	for {
		select {
		case o, ok := <-outcomes:
			if !ok {
				res := Result{Overall: all.result(), Elapsed: time.Since(start)}
				for _, t := range kinds {
					res.Kinds = append(res.Kinds, t.result())
				}
				bar.finish(all.Sent, all.OK(), all.Failed(), res.Elapsed)
				return res, firstErr
			}
			kinds[o.kind].add(o)
			all.add(o)
			if firstErr == nil {
				firstErr = o.err
			}
		case <-tick:
			bar.draw(all.Sent, all.OK(), all.Failed(), time.Since(start))
		}
	}
}
