// Command all runs chapter 4's five services in one process, like HotROD's "all": one command
// to start, one Ctrl-C to stop. Each service keeps its own listener, TracerProvider and
// service.name, so the traces are the same as with five programs. Flags are those of each
// service's program.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := chain.RunAll(ctx, os.Args[1:], os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "all:", err)
		os.Exit(1)
	}
}
