// Package promquery asks chapter 5's Prometheus its questions through client_golang's API client
// (github.com/prometheus/client_golang/api/prometheus/v1: Query, Alerts, QueryExemplars,
// Targets). It adds only what the demo and the end-to-end tests would otherwise each repeat: the
// chapter's address, an instant query whose answer must be a vector, and how many targets are up.
package promquery

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
)

// DefaultURL is chapter 5's Prometheus.
const DefaultURL = "http://127.0.0.1:9090"

// New returns the API of the Prometheus at address. Its HTTP client keeps no idle connection:
// the demo and the tests ask a few dozen questions, and a kept-alive connection would outlive
// them (goleak reports it in a test).
func New(address string) (v1.API, error) {
	c, err := api.NewClient(api.Config{Address: address, Client: &http.Client{
		Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true},
	}})
	if err != nil {
		return nil, fmt.Errorf("prometheus client: %w", err)
	}
	return v1.NewAPI(c), nil
}

// Vector runs promql as an instant query at t, or now when t is zero: what a rate was in the
// middle of a load, for example, asked after the load has ended. Every query of the chapter
// selects series, so an answer that is not an instant vector is an error. Prometheus's warnings
// ("metric might not be a counter") are dropped: they do not change the answer.
func Vector(ctx context.Context, prom v1.API, promql string, t time.Time) (model.Vector, error) {
	v, _, err := prom.Query(ctx, promql, t)
	if err != nil {
		return nil, fmt.Errorf("query %q: %w", promql, err)
	}
	vec, ok := v.(model.Vector)
	if !ok {
		return nil, fmt.Errorf("query %q: want an instant vector, got a %s", promql, v.Type())
	}
	return vec, nil
}

// TargetsUp returns how many of the targets Prometheus scrapes answered their last scrape, out
// of how many it scrapes.
func TargetsUp(ctx context.Context, prom v1.API) (up, total int, err error) {
	targets, err := prom.Targets(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("targets: %w", err)
	}
	for _, t := range targets.Active {
		if t.Health == v1.HealthGood {
			up++
		}
	}
	return up, len(targets.Active), nil
}
