package bugs

import (
	"context"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
)

// Program is what the lost-spans labs' programs (bugs 4 and 6) are given: where sing is, what
// to ask it to sing, and the exporter their spans leave through. The exporter stands for the
// collector: it outlives the program, so what it has been sent by the time the program's process
// ends is all of the program a backend will ever see.
type Program struct {
	SingURL  string
	Text     string
	Exporter sdktrace.SpanExporter
}

// newBatchProvider sets up tracing as a real program does: spans leave through a batch
// processor, in batches, from a goroutine of its own. Its timeout is an hour rather than the
// SDK's five seconds so that the labs never depend on timing: it stands for any program that
// ends before its last batch is due, which with the default is any program that ends within
// five seconds of its last span (a command-line tool, a job, a crash).
func newBatchProvider(exp sdktrace.SpanExporter) *sdktrace.TracerProvider {
	return newProvider(Student, sdktrace.WithBatcher(exp, sdktrace.WithBatchTimeout(time.Hour)))
}

// study is the program's work: one root span, "study", around one call to sing. A text without
// vowels has no song, which study reports as an error, on the span too.
func (p Program) study(ctx context.Context, tp trace.TracerProvider) (err error) {
	ctx, span := tp.Tracer(tracerName).Start(ctx, "study")
	defer func() {
		if err != nil {
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}()
	song, err := sing.NewClient(p.SingURL, tracing(tp)).Sing(ctx, p.Text)
	if err == nil && song == "" {
		err = fmt.Errorf("no song in %q", p.Text)
	}
	return err
}
