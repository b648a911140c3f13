package chain

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/metric"

	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// ScopeName is the instrumentation scope of the chain's own metrics.
const ScopeName = "github.com/rpc-tracing/workbook/ch04-jaeger/chain"

// Addrs are where the five services listen. The defaults are on loopback; docs/ch04-jaeger.md
// lists them.
type Addrs struct {
	Listen, Speak, Read, Write, Sing string
}

// DefaultAddrs are the documented ports.
var DefaultAddrs = Addrs{
	Listen: "127.0.0.1:8080",
	Speak:  "127.0.0.1:8061",
	Read:   "127.0.0.1:8062",
	Write:  "127.0.0.1:8063",
	Sing:   "127.0.0.1:8081",
}

// Of returns the address of the named service.
func (a Addrs) Of(service string) string {
	return map[string]string{Listen: a.Listen, Speak: a.Speak, Read: a.Read, Write: a.Write, Sing: a.Sing}[service]
}

// Config is what every service needs besides its tracing.
type Config struct {
	Addrs Addrs
	// Delay is how long a service waits when a request's baggage asks it to be slow.
	Delay time.Duration
	// Timeout bounds each request at the edge, end to end.
	Timeout time.Duration
	// Grace is how long in-flight requests get to finish at shutdown.
	Grace time.Duration
	// PublicEndpoint makes the edge start a new trace for every request (see ListenConfig).
	PublicEndpoint bool
	Logger         *slog.Logger
}

// DefaultConfig is what the programs start with before their flags.
func DefaultConfig() Config {
	return Config{Addrs: DefaultAddrs, Delay: 500 * time.Millisecond, Timeout: 3 * time.Second, Grace: 5 * time.Second, Logger: slog.Default()}
}

// Serve runs the named service on ln until ctx ends, then drains it. Its downstream services are
// found at cfg.Addrs.
func Serve(ctx context.Context, service string, ln net.Listener, t Tracing, cfg Config) error {
	faults := Faults{Service: service, Delay: cfg.Delay, Logger: cfg.Logger}
	cfg.Logger.Info("serving", "addr", ln.Addr().String())
	switch service {
	case Listen:
		conn, err := dialGRPC(cfg.Addrs.Speak, t)
		if err != nil {
			return err
		}
		defer conn.Close()
		h := NewListenHandler(ListenConfig{Tracing: t, Speak: studyv1.NewSpeakServiceClient(conn), Faults: faults,
			Timeout: cfg.Timeout, PublicEndpoint: cfg.PublicEndpoint, Logger: cfg.Logger})
		return serveHTTP(ctx, newHTTPServer(h), ln, cfg.Grace)
	case Speak:
		return serveSpeak(ctx, ln, t, cfg, faults)
	case Read:
		words, err := t.meters().Meter(ScopeName).Int64Counter("study.words",
			metric.WithUnit("{word}"), metric.WithDescription("Words read by the read service."))
		if err != nil {
			return err
		}
		srv := newGRPCServer(t)
		studyv1.RegisterReadServiceServer(srv, &ReadServer{Faults: faults, Words: words})
		return serveGRPC(ctx, srv, ln, cfg.Grace)
	case Write:
		srv := newGRPCServer(t)
		studyv1.RegisterWriteServiceServer(srv, &WriteServer{Faults: faults, Sing: NewSingClient("http://"+cfg.Addrs.Sing, t)})
		return serveGRPC(ctx, srv, ln, cfg.Grace)
	case Sing:
		return serveHTTP(ctx, newHTTPServer(NewSingHandler(t, faults)), ln, cfg.Grace)
	}
	return fmt.Errorf("unknown service %q: want one of %v", service, Services)
}

func serveSpeak(ctx context.Context, ln net.Listener, t Tracing, cfg Config, faults Faults) error {
	readConn, err := dialGRPC(cfg.Addrs.Read, t)
	if err != nil {
		return err
	}
	defer readConn.Close()
	writeConn, err := dialGRPC(cfg.Addrs.Write, t)
	if err != nil {
		return err
	}
	defer writeConn.Close()
	srv := newGRPCServer(t)
	studyv1.RegisterSpeakServiceServer(srv, &SpeakServer{Faults: faults,
		Read: studyv1.NewReadServiceClient(readConn), Write: studyv1.NewWriteServiceClient(writeConn)})
	return serveGRPC(ctx, srv, ln, cfg.Grace)
}

// newHTTPServer bounds how long a client may take to send its headers, so a slow client cannot
// hold a connection open forever.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
}
