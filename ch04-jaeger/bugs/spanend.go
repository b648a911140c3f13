package bugs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
	"github.com/rpc-tracing/workbook/ch04-jaeger/httpjson"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
)

// brokenSpanEnd calls sing with a client span made by hand, as the original demo's HttpGet did.
type brokenSpanEnd struct{ handMadeClient }

// Sing ends its span right after starting it, before the request even exists: the span measures
// nothing, and sing's span, its child, starts after it has ended. It cannot record the outcome
// either: an ended span ignores SetStatus.
func (c brokenSpanEnd) Sing(ctx context.Context, text string) (string, error) {
	ctx, span := c.tracer.Start(ctx, "call sing", trace.WithSpanKind(trace.SpanKindClient))
	span.End()
	song, err := c.post(ctx, text)
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
	}
	return song, err
}

// fixedSpanEnd calls sing with a client span made by hand that covers the whole exchange.
type fixedSpanEnd struct{ handMadeClient }

// Sing defers the end of its span: it ends when Sing returns, once the answer has been read, so
// sing's span falls inside it and the error, if any, lands on it. (otelhttp.NewTransport, which
// sing.Client uses, gets this right by itself: the bug lives in hand-made spans.)
func (c fixedSpanEnd) Sing(ctx context.Context, text string) (string, error) {
	ctx, span := c.tracer.Start(ctx, "call sing", trace.WithSpanKind(trace.SpanKindClient))
	defer span.End()
	song, err := c.post(ctx, text)
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
	}
	return song, err
}

// BrokenSpanEnd runs one request through write → sing and returns its spans. write calls sing
// with a client span made by hand that ends before the request is sent (brokenSpanEnd): the span
// measures nothing, and sing's span, its child, starts after it has ended.
func BrokenSpanEnd(ctx context.Context) ([]sdktrace.ReadOnlySpan, error) {
	return httpLab{sing: chainSing, verses: oneVerse, write: func(tp trace.TracerProvider, url string) singer {
		return brokenSpanEnd{newHandMadeClient(tp, url)}
	}}.run(ctx)
}

// FixedSpanEnd runs the same request with the span's end deferred (fixedSpanEnd): the client
// span covers the whole exchange, and sing's span falls inside it.
func FixedSpanEnd(ctx context.Context) ([]sdktrace.ReadOnlySpan, error) {
	return httpLab{sing: chainSing, verses: oneVerse, write: func(tp trace.TracerProvider, url string) singer {
		return fixedSpanEnd{newHandMadeClient(tp, url)}
	}}.run(ctx)
}

// handMadeClient calls sing over plain HTTP and puts the trace context in the headers itself,
// the way code without otelhttp does.
type handMadeClient struct {
	tracer trace.Tracer
	prop   propagation.TextMapPropagator
	url    string
}

func newHandMadeClient(tp trace.TracerProvider, url string) handMadeClient {
	return handMadeClient{tracer: tp.Tracer(tracerName), prop: telemetry.Propagator(), url: url}
}

// post sends text to sing with ctx's trace context in its headers, and returns the song.
func (c handMadeClient) post(ctx context.Context, text string) (string, error) {
	body, err := json.Marshal(sing.Request{Text: text})
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url+"/sing", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	c.prop.Inject(ctx, propagation.HeaderCarrier(req.Header))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, httpjson.MaxBodyBytes))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("sing: %s: %s", resp.Status, bytes.TrimSpace(data))
	}
	var out sing.Response
	if err := json.Unmarshal(data, &out); err != nil {
		return "", err
	}
	return out.Song, nil
}
