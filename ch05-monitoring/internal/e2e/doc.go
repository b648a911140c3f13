// Package e2e holds chapter 5's end-to-end tests: the real Prometheus and Jaeger (built from Go
// modules by `make backends`) and the five monitored services as separate processes
// (`make ch05-bins`); and promtool's checks of the Prometheus configuration and rules in
// ch05-monitoring/prometheus, with their unit tests. They are behind the e2e build tag, so `go
// test ./...` stays offline; `make test` runs them. A missing binary fails them: they never skip.
package e2e
