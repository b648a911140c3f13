// Package solutions_test runs each exercise's check, the one `make exercise` runs on the stub a
// learner edits, against the chapter's reference solution.
package solutions_test

import (
	"net/http"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/grpc"

	backgroundctxcheck "github.com/rpc-tracing/workbook/ch04-jaeger/exercises/backgroundctx/check"
	baggagefiltercheck "github.com/rpc-tracing/workbook/ch04-jaeger/exercises/baggagefilter/check"
	dialpercallcheck "github.com/rpc-tracing/workbook/ch04-jaeger/exercises/dialpercall/check"
	httpdeadlinecheck "github.com/rpc-tracing/workbook/ch04-jaeger/exercises/httpdeadline/check"
	sharedparentcheck "github.com/rpc-tracing/workbook/ch04-jaeger/exercises/sharedparent/check"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
	"github.com/rpc-tracing/workbook/ch04-jaeger/solutions/backgroundctx"
	"github.com/rpc-tracing/workbook/ch04-jaeger/solutions/baggagefilter"
	"github.com/rpc-tracing/workbook/ch04-jaeger/solutions/dialpercall"
	"github.com/rpc-tracing/workbook/ch04-jaeger/solutions/httpdeadline"
	"github.com/rpc-tracing/workbook/ch04-jaeger/solutions/sharedparent"
)

func TestBaggageFilter(t *testing.T) {
	baggagefiltercheck.Allowed(t, baggagefilter.Allowed)
	t.Run("only allowed members become attributes", func(t *testing.T) {
		baggagefiltercheck.OnlyAllowedMembersBecomeAttributes(t, func() sdktrace.SpanProcessor { return baggagefilter.NewSpanProcessor() })
	})
}

func TestHTTPDeadline(t *testing.T) {
	solution := httpdeadlinecheck.Deadline{
		Header:    httpdeadline.Header,
		Transport: func(next http.RoundTripper) http.RoundTripper { return httpdeadline.Transport{Next: next} },
		Handler:   httpdeadline.Handler,
	}
	t.Run("the server stops when the caller does", func(t *testing.T) { httpdeadlinecheck.ServerStopsWhenCallerDoes(t, solution) })
	t.Run("the header carries the remaining time", func(t *testing.T) { httpdeadlinecheck.HeaderCarriesRemainingTime(t, solution) })
	t.Run("a malformed header is a bad request", func(t *testing.T) { httpdeadlinecheck.MalformedHeaderIsABadRequest(t, solution) })
	t.Run("without a deadline nothing changes", func(t *testing.T) { httpdeadlinecheck.WithoutADeadline(t, solution) })
}

func TestSharedParent(t *testing.T) {
	sharedparentcheck.TwoStudents(t, func(d sharedparentcheck.Downstream) studyv1.SpeakServiceServer {
		return &sharedparent.Service{Read: d.Read, Sing: d.Sing, SingURL: d.SingURL}
	})
}

func TestDialPerCall(t *testing.T) {
	dialpercallcheck.OneConnection(t, func(target string, opts ...grpc.DialOption) (dialpercallcheck.Reader, error) {
		return dialpercall.New(target, opts...)
	})
}

func TestBackgroundCtx(t *testing.T) {
	backgroundctxcheck.OneTrace(t, func(speak studyv1.SpeakServiceClient) http.Handler {
		return &backgroundctx.Handler{Speak: speak}
	})
}
