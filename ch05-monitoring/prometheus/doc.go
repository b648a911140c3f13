// Package prometheus holds no Go code of its own: it is chapter 5's Prometheus configuration,
// kept beside the test that checks it. prometheus.yml scrapes the five services of the chain
// and Jaeger every second; rules/red.rules.yml records RED (rate, errors, duration) per
// service; rules/alerts.rules.yml alerts on a high error ratio, a high p99 latency and a
// service down; rules/alerts_test.yml unit-tests every alert, firing and not firing, with
// `promtool test rules`. The test runs promtool (bin/promtool, built by `make backends`) and
// is behind the e2e build tag, so `go test ./...` stays offline; `make test` runs it.
package prometheus
