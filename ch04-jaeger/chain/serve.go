package chain

import (
	"context"
	"fmt"
	"net"

	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	"github.com/rpc-tracing/workbook/ch04-jaeger/read"
	"github.com/rpc-tracing/workbook/ch04-jaeger/serve"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
	"github.com/rpc-tracing/workbook/ch04-jaeger/speak"
	"github.com/rpc-tracing/workbook/ch04-jaeger/write"
)

// Serve runs the named service on ln until ctx ends, then drains it. The services it calls are
// found at cfg.Addrs.
func Serve(ctx context.Context, service string, ln net.Listener, p otelsetup.Providers, cfg Config) error {
	knob := faults.Knob{Service: service, Delay: cfg.Delay, Logger: cfg.Logger}
	cfg.Logger.Info("serving", "addr", ln.Addr().String())
	switch service {
	case listen.Name:
		return serveListen(ctx, ln, p, cfg, knob)
	case speak.Name:
		return serveSpeak(ctx, ln, p, cfg, knob)
	case read.Name:
		srv, err := read.NewServer(p, knob)
		if err != nil {
			return err
		}
		return serve.GRPC(ctx, srv, ln, cfg.Grace)
	case write.Name:
		srv := write.NewServer(p, knob, sing.NewClient("http://"+cfg.Addrs.Sing, p))
		return serve.GRPC(ctx, srv, ln, cfg.Grace)
	case sing.Name:
		return serve.HTTP(ctx, serve.NewHTTPServer(sing.NewHandler(p, knob)), ln, cfg.Grace)
	}
	return fmt.Errorf("unknown service %q: want one of %v", service, Services)
}

func serveListen(ctx context.Context, ln net.Listener, p otelsetup.Providers, cfg Config, knob faults.Knob) error {
	speakClient, err := speak.NewClient(cfg.Addrs.Speak, p)
	if err != nil {
		return err
	}
	defer speakClient.Close()
	h := listen.NewHandler(listen.Config{Providers: p, Speak: speakClient, Faults: knob,
		Timeout: cfg.Timeout, PublicEndpoint: cfg.PublicEndpoint, Logger: cfg.Logger})
	return serve.HTTP(ctx, serve.NewHTTPServer(h), ln, cfg.Grace)
}

func serveSpeak(ctx context.Context, ln net.Listener, p otelsetup.Providers, cfg Config, knob faults.Knob) error {
	readClient, err := read.NewClient(cfg.Addrs.Read, p)
	if err != nil {
		return err
	}
	defer readClient.Close()
	writeClient, err := write.NewClient(cfg.Addrs.Write, p)
	if err != nil {
		return err
	}
	defer writeClient.Close()
	return serve.GRPC(ctx, speak.NewServer(p, knob, readClient, writeClient), ln, cfg.Grace)
}
