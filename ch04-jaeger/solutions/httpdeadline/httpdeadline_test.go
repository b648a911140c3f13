package httpdeadline_test

import (
	"net/http"
	"testing"

	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch04-jaeger/exercises/httpdeadline/check"
	"github.com/rpc-tracing/workbook/ch04-jaeger/solutions/httpdeadline"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// solution is the reference Transport and Handler, checked by the same functions `make exercise
// EX=ch04/httpdeadline` runs on the stub.
func solution() check.Deadline {
	return check.Deadline{
		Header:    httpdeadline.Header,
		Transport: func(next http.RoundTripper) http.RoundTripper { return httpdeadline.Transport{Next: next} },
		Handler:   httpdeadline.Handler,
	}
}

// TestTheServerStopsWhenTheCallerDoes: a server behind Handler stops working when its caller's
// 100ms are up, not after the minute its work would take.
func TestTheServerStopsWhenTheCallerDoes(t *testing.T) {
	check.ServerStopsWhenCallerDoes(t, solution())
}

// TestHeaderCarriesTheRemainingTime: about 30s for a 30s deadline, the caller's request left alone.
func TestHeaderCarriesTheRemainingTime(t *testing.T) {
	check.HeaderCarriesRemainingTime(t, solution())
}

// TestMalformedHeaderIsABadRequest: a header saying "soon" gets a 400.
func TestMalformedHeaderIsABadRequest(t *testing.T) {
	check.MalformedHeaderIsABadRequest(t, solution())
}

// TestWithoutADeadlineNothingChanges: no deadline, no header; no header, no deadline.
func TestWithoutADeadlineNothingChanges(t *testing.T) {
	check.WithoutADeadline(t, solution())
}
