// Package load is chapter 5's load generator: it sends the chain's edge a bounded stream of
// POST /api/study requests, with a few slow and failing ones mixed in, so the metrics have rates,
// error ratios and latency percentiles to show and the alerts have something to fire on.
//
// It is built to be safe to point at the wrong thing. It refuses any target that is not on the
// loopback interface, before a single request is sent and again when it dials; it stops at a
// request count, a duration or its context, whichever comes first, and both bounds have a hard
// ceiling; a fixed number of workers keeps a fixed number of requests in flight.
//
// Request kinds take turns by a smooth weighted round-robin rather than by chance, so a run of
// 100 requests with weights 90/5/5 sends exactly 90, 5 and 5, and a test (or a PromQL query) can
// expect exact numbers.
package load
