// Package chaintest runs the five services of the chain inside a test, on loopback ports that
// the system picks, the way net/http/httptest runs one server: chapter 4's tests and chapter 5's
// start the same chain with different telemetry.
package chaintest

import (
	"context"
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	"github.com/rpc-tracing/workbook/ch04-jaeger/read"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
	"github.com/rpc-tracing/workbook/ch04-jaeger/speak"
	"github.com/rpc-tracing/workbook/ch04-jaeger/write"
)

// Listen opens a loopback listener on a free port for each of the five services, and returns
// them with the addresses a chain.Config needs to reach them.
func Listen(t testing.TB) (map[string]net.Listener, chain.Addrs) {
	t.Helper()
	listeners := map[string]net.Listener{}
	for _, s := range chain.Services {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		listeners[s] = ln
	}
	addr := func(s string) string { return listeners[s].Addr().String() }
	return listeners, chain.Addrs{Listen: addr(listen.Name), Speak: addr(speak.Name), Read: addr(read.Name), Write: addr(write.Name), Sing: addr(sing.Name)}
}

// Start runs the five services until the test ends and returns the edge's /api/study URL.
// providers gives each service its providers; cfg.Addrs is filled in here.
func Start(t testing.TB, cfg chain.Config, providers func(service string) otelsetup.Providers) string {
	t.Helper()
	listeners, addrs := Listen(t)
	cfg.Addrs = addrs

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	errs := make(chan error, len(chain.Services))
	for _, s := range chain.Services {
		p := providers(s)
		wg.Go(func() { errs <- chain.Serve(ctx, s, listeners[s], p, cfg) })
	}
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
	})
	return "http://" + addrs.Listen + "/api/study"
}
