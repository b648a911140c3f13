// Command production runs docs/production.md's local topology once: a collector tier doing tail
// sampling in front of a storage Jaeger on Badger, the five services sending to the collector by
// configuration only, a known mix of normal, slow and failing requests, and a table of what was
// kept. Everything stops at the end. `make ch04-production` runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/rpc-tracing/workbook/ch04-jaeger/internal/production"
	"github.com/rpc-tracing/workbook/internal/cmdkit"
)

func main() {
	var cfg production.Config
	flag.StringVar(&cfg.Bin, "bin", "bin", "directory with jaeger and the ch04-* binaries")
	flag.StringVar(&cfg.Dir, "dir", "ch04-jaeger/production", "directory with collector.yaml, storage.yaml and strategies.json")
	flag.Parse()
	os.Exit(cmdkit.Run("production", os.Stderr, func(ctx context.Context) error {
		if flag.NArg() > 0 {
			return fmt.Errorf("unexpected arguments %q", flag.Args())
		}
		return production.Run(ctx, cfg, os.Stdout)
	}))
}
