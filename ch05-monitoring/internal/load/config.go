package load

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
)

// The ceilings. A load generator in a workbook runs on the reader's laptop next to five
// services, Jaeger and Prometheus: these keep a typo in a flag from turning into a
// denial of service against the reader's own machine.
const (
	MaxRequests    = 10000
	MaxDuration    = 2 * time.Minute
	MaxConcurrency = 32
	MaxTimeout     = 30 * time.Second
	// MaxKinds and MaxWeight keep the round-robin's cycle (the sum of the weights) small.
	MaxKinds  = 16
	MaxWeight = 1000
)

// The defaults a zero Config field gets.
const (
	// DefaultRequests is the count when neither a count nor a duration is given: enough for
	// every kind of DefaultMix to appear, over in a few seconds.
	DefaultRequests    = 200
	DefaultConcurrency = 4
	// DefaultTimeout is above the chain's own end-to-end timeout, so a slow request gets the
	// edge's 504 rather than being cut off by the load generator.
	DefaultTimeout = 10 * time.Second
)

// Kind is one kind of request in the mix: a name for the results, the query string that turns
// the chain's knobs for it, and how many turns it gets out of every Weight-sum requests.
type Kind struct {
	Name string
	// Query is added to the target's query, e.g. "?slow=read" or "fail=write".
	Query  string
	Weight int
}

// DefaultMix is mostly normal requests with 5% made slow in read and 5% made to fail in write:
// enough to move the p99 and the error ratio, not enough to hide the normal case.
var DefaultMix = []Kind{
	{Name: "normal", Query: "", Weight: 90},
	{Name: "slow read", Query: "?slow=read", Weight: 5},
	{Name: "failing write", Query: "?fail=write", Weight: 5},
}

// Config says where to send requests, how many, for how long and how many at once.
type Config struct {
	// Target is the edge's URL, e.g. http://127.0.0.1:8080/api/study. It must be loopback.
	Target string
	// Requests is how many requests to send in all, at most MaxRequests. Zero means
	// DefaultRequests, or MaxRequests when Duration is set.
	Requests int
	// Duration is how long to send for, at most MaxDuration. Zero means MaxDuration: a run
	// always has a time limit.
	Duration time.Duration
	// Concurrency is how many workers send at once, each waiting for its answer before it
	// sends again (a closed loop). At most MaxConcurrency; zero means DefaultConcurrency.
	Concurrency int
	// Mix is the kinds of request and their weights; nil means DefaultMix.
	Mix []Kind
	// Timeout bounds each request, at most MaxTimeout; zero means DefaultTimeout.
	Timeout time.Duration
	// Body is what every request sends; a zero Body means a short text by Ada.
	Body listen.StudyRequest
	// Progress, if not nil, gets a progress bar: on a terminal one line redrawn in place, then
	// a newline; anywhere else only the final line.
	Progress io.Writer
}

// plan is a Config checked and with its defaults filled in, ready to run.
type plan struct {
	Config
	target  *url.URL
	queries []url.Values // one per kind of Mix
	// byCount and byTime say which bound ends the run as the caller meant it: a count given
	// (or the default count), a duration given, or both. The other bound is a ceiling.
	byCount, byTime bool
}

// newPlan checks cfg and fills in its defaults. Every error here comes before any request.
func newPlan(cfg Config) (plan, error) {
	target, err := CheckTarget(cfg.Target)
	if err != nil {
		return plan{}, err
	}
	if err := bounded("requests", cfg.Requests, MaxRequests); err != nil {
		return plan{}, err
	}
	if err := bounded("duration", cfg.Duration, MaxDuration); err != nil {
		return plan{}, err
	}
	if err := bounded("concurrency", cfg.Concurrency, MaxConcurrency); err != nil {
		return plan{}, err
	}
	if err := bounded("timeout", cfg.Timeout, MaxTimeout); err != nil {
		return plan{}, err
	}
	byCount, byTime := cfg.Requests != 0 || cfg.Duration == 0, cfg.Duration != 0
	switch {
	case cfg.Requests == 0 && cfg.Duration == 0:
		cfg.Requests = DefaultRequests
	case cfg.Requests == 0:
		cfg.Requests = MaxRequests
	}
	cfg.Duration = cmp.Or(cfg.Duration, MaxDuration)
	cfg.Concurrency = cmp.Or(cfg.Concurrency, DefaultConcurrency)
	cfg.Timeout = cmp.Or(cfg.Timeout, DefaultTimeout)
	if cfg.Mix == nil {
		cfg.Mix = DefaultMix
	}
	if cfg.Body == (listen.StudyRequest{}) {
		cfg.Body = listen.StudyRequest{Student: "Ada", Text: "Ada reads the notes. Then she writes a program!"}
	}
	queries, err := checkMix(cfg.Mix)
	if err != nil {
		return plan{}, err
	}
	return plan{Config: cfg, target: target, queries: queries, byCount: byCount, byTime: byTime}, nil
}

// bounded says what is wrong with v, a count or a duration, if it is negative or above limit.
func bounded[T int | time.Duration](what string, v, limit T) error {
	switch {
	case v < 0:
		return fmt.Errorf("load: %s %v is negative", what, v)
	case v > limit:
		return fmt.Errorf("load: %s %v is above the limit of %v", what, v, limit)
	}
	return nil
}

// checkMix checks every kind and parses its query.
func checkMix(mix []Kind) ([]url.Values, error) {
	if len(mix) == 0 || len(mix) > MaxKinds {
		return nil, fmt.Errorf("load: the mix has %d kinds, want 1 to %d", len(mix), MaxKinds)
	}
	seen := map[string]bool{}
	queries := make([]url.Values, len(mix))
	var errs []error
	for i, k := range mix {
		switch {
		case strings.TrimSpace(k.Name) == "":
			errs = append(errs, fmt.Errorf("kind %d has no name", i))
		case seen[k.Name]:
			errs = append(errs, fmt.Errorf("kind %q appears twice", k.Name))
		case k.Weight < 1 || k.Weight > MaxWeight:
			errs = append(errs, fmt.Errorf("kind %q: weight %d, want 1 to %d", k.Name, k.Weight, MaxWeight))
		}
		seen[k.Name] = true
		q, err := url.ParseQuery(strings.TrimPrefix(k.Query, "?"))
		if err != nil {
			errs = append(errs, fmt.Errorf("kind %q: query %q: %w", k.Name, k.Query, err))
		}
		queries[i] = q
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("load: bad mix: %w", err)
	}
	return queries, nil
}
