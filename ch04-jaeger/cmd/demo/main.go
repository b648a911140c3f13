// Command demo is chapter 4's demo: Jaeger and the five services as real processes, three
// requests (normal, slow, failing), their traces fetched back from Jaeger and drawn. With -keep
// it leaves everything running until Ctrl-C. `make demo` and `make ch04` run it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/rpc-tracing/workbook/ch04-jaeger/internal/demo"
	"github.com/rpc-tracing/workbook/internal/cmdkit"
)

func main() {
	var cfg demo.Config
	flag.StringVar(&cfg.Bin, "bin", "bin", "directory with jaeger and the ch04-* binaries")
	flag.StringVar(&cfg.JaegerConfig, "jaeger-config", "ch04-jaeger/jaeger/config.yaml", "Jaeger's config file")
	flag.BoolVar(&cfg.Keep, "keep", false, "keep everything running until Ctrl-C")
	flag.Parse()
	os.Exit(cmdkit.Run("demo", os.Stderr, func(ctx context.Context) error {
		if flag.NArg() > 0 {
			return fmt.Errorf("unexpected arguments %q", flag.Args())
		}
		return demo.Run(ctx, cfg, os.Stdout)
	}))
}
