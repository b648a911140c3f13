//go:build exercise

package httpdeadline_test

import (
	"net/http"
	"testing"

	"github.com/rpc-tracing/workbook/ch04-jaeger/exercises/httpdeadline"
	"github.com/rpc-tracing/workbook/ch04-jaeger/exercises/httpdeadline/check"
)

// yours is the Transport and Handler in this folder, the ones you edit.
func yours() check.Deadline {
	return check.Deadline{
		Header:    httpdeadline.Header,
		Transport: func(next http.RoundTripper) http.RoundTripper { return httpdeadline.Transport{Next: next} },
		Handler:   httpdeadline.Handler,
	}
}

func TestTheServerStopsWhenTheCallerDoes(t *testing.T) { check.ServerStopsWhenCallerDoes(t, yours()) }
func TestHeaderCarriesTheRemainingTime(t *testing.T)   { check.HeaderCarriesRemainingTime(t, yours()) }
func TestMalformedHeaderIsABadRequest(t *testing.T)    { check.MalformedHeaderIsABadRequest(t, yours()) }
func TestWithoutADeadlineNothingChanges(t *testing.T)  { check.WithoutADeadline(t, yours()) }
