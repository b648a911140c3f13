// Package alerts holds no Go code of its own: it is the solution to chapter 5's alerts exercise,
// two alerts on the chain's fan-out (speak, which calls read and write in parallel), kept beside
// the test that checks them. extra.rules.yml has the rules: FanOutBranchSlow names the branch
// whose p99, seen from the caller, is over 250 ms; FanOutSaturated fires when calls spend more
// than 50 ms on average outside the callee's handler, waiting. extra_test.yml unit-tests both,
// firing and not firing, with `promtool test rules`. The test runs bin/promtool (built by
// `make backends`) and is behind the e2e build tag, so `go test ./...` stays offline; `make test`
// runs it.
package alerts
