package bugs

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
	"github.com/rpc-tracing/workbook/ch04-jaeger/write"
)

// singer is write's side of the write → sing hop: *sing.Client, or a hand-made client.
type singer interface {
	Sing(ctx context.Context, text string) (string, error)
}

// httpLab is the HTTP labs' world, chapter 4's write → sing hop: write handles one request, its
// root span "study", by asking sing over loopback HTTP for a song of each verse.
type httpLab struct {
	// sing builds sing's server, at startup.
	sing func(l *lab) http.Handler
	// write builds write's client of sing, at startup.
	write  func(tp trace.TracerProvider, url string) singer
	verses []string
}

// run starts sing, handles the request, stops sing and returns every span. Stopping waits for
// sing's handlers to return, so its spans have ended by then.
func (h httpLab) run(ctx context.Context) ([]sdktrace.ReadOnlySpan, error) {
	l := newLab()
	url, stop, err := serveHTTP(h.sing(l))
	if err != nil {
		return nil, err
	}
	tp := l.provider(write.Name)
	client := h.write(tp, url)

	reqCtx, span := tp.Tracer(tracerName).Start(ctx, "study")
	for _, verse := range h.verses {
		if _, err = client.Sing(reqCtx, verse); err != nil {
			break
		}
	}
	span.End()

	err = errors.Join(err, stop(ctx))
	spans, endErr := l.end(ctx)
	return spans, errors.Join(err, endErr)
}

// serveHTTP serves h on a loopback port until stop is called. stop waits for the requests in
// flight, and their spans, to finish.
func serveHTTP(h http.Handler) (url string, stop func(context.Context) error, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	stop = func(ctx context.Context) error {
		err := srv.Shutdown(ctx)
		if serveErr := <-served; !errors.Is(serveErr, http.ErrServerClosed) {
			err = errors.Join(err, serveErr)
		}
		return err
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// oneVerse is what write asks sing to sing in most labs.
var oneVerse = []string{"Ada reads the notes."}

// chainSing is chapter 4's sing service, with one provider built at startup.
func chainSing(l *lab) http.Handler {
	return sing.NewHandler(tracing(l.provider(sing.Name)), singFaults)
}
