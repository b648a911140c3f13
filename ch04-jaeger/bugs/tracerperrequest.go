package bugs

import (
	"context"
	"net/http"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
)

// region: sing-server

// brokenSingServer is sing's server with a TracerProvider built for every request, as the
// original demo's sing middleware built a Jaeger tracer for every request and closed it when the
// request ended.
//
// The spans still arrive and the trace is still whole, which is how this bug survives review.
// But every request pays for a provider, its resource and its exporter (in a real program, a new
// connection to the collector) and then waits for a flush before the handler returns; and to
// the backend every request comes from a new instance of sing, with a service.instance.id of its
// own, which is what Check notices.
func brokenSingServer(l *lab) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tp := l.provider(sing.Name)
		defer tp.Shutdown(r.Context())
		sing.NewHandler(tracing(tp), singFaults).ServeHTTP(w, r)
	})
}

// fixedSingServer builds sing's provider once, at startup, and its handler with it: every
// request shares both, and the program shuts the provider down once, when it ends.
func fixedSingServer(l *lab) http.Handler {
	tp := l.provider(sing.Name)
	return sing.NewHandler(tracing(tp), singFaults)
}

// endregion

// BrokenTracerPerRequest runs one request through write → sing, which sings two verses, and
// returns its spans. sing builds a TracerProvider for every request (brokenSingServer): the
// trace is whole, but sing's two spans come from two providers, and each request paid for one.
func BrokenTracerPerRequest(ctx context.Context) ([]sdktrace.ReadOnlySpan, error) {
	return httpLab{sing: brokenSingServer, write: singClient, verses: twoVerses}.run(ctx)
}

// FixedTracerPerRequest runs the same request with sing's provider built once, at startup
// (fixedSingServer).
func FixedTracerPerRequest(ctx context.Context) ([]sdktrace.ReadOnlySpan, error) {
	return httpLab{sing: fixedSingServer, write: singClient, verses: twoVerses}.run(ctx)
}

// twoVerses makes write call sing twice in one request, so the trace holds two of sing's spans.
var twoVerses = []string{"Ada reads the notes.", "Then she writes a program!"}

// singClient is chapter 4's client of sing, traced by otelhttp.
func singClient(tp trace.TracerProvider, url string) singer {
	return sing.NewClient(url, tracing(tp))
}
