// Package sing is the last service of the chain: over HTTP, POST /sing turns a text into a song.
// write calls it through Client, the gRPC-to-HTTP step where traces most often split.
package sing

import (
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/ch04-jaeger/httpjson"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
)

// Name is the service's service.name in traces, and the value the fault knobs take for it.
const Name = "sing"

// Request is the body of POST /sing.
type Request struct {
	Text string `json:"text"`
}

// Response is its answer.
type Response struct {
	Song string `json:"song"`
}

// NewHandler is the sing service, over HTTP: POST /sing turns a text into a song. otelhttp
// wraps it, so each request gets a SERVER span, child of the caller's span if the request
// carries a traceparent header.
func NewHandler(p otelsetup.Providers, knob faults.Knob) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /sing", func(w http.ResponseWriter, r *http.Request) {
		var req Request
		if !httpjson.Decode(w, r, &req) {
			return
		}
		if err := knob.Apply(r.Context()); err != nil {
			httpjson.Error(w, r, http.StatusInternalServerError, err)
			return
		}
		song := Song(req.Text)
		trace.SpanFromContext(r.Context()).SetAttributes(attribute.Int("study.song_length", len(song)))
		httpjson.Write(w, http.StatusOK, Response{Song: song})
	})
	return otelhttp.NewHandler(mux, Name, p.HTTP()...)
}
