// Command waterfall draws the traces in one or more stdouttrace span files (JSON lines), merged:
// give it the client's and the server's files to see each trace whole, although the two halves
// were recorded by different processes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rpc-tracing/workbook/internal/waterfall"

	"github.com/rpc-tracing/workbook/internal/cmdkit"
)

func main() {
	os.Exit(cmdkit.Run("waterfall", os.Stderr, func(context.Context) error { return run(os.Args[1:], os.Stdout) }))
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("waterfall", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: waterfall SPANS.json [MORE.json …]")
		fmt.Fprintln(fs.Output(), "Draws every trace found in the stdouttrace files, merged.")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("usage: waterfall SPANS.json [MORE.json …]")
	}
	var all []waterfall.Span
	for _, path := range fs.Args() {
		spans, err := readFile(path)
		if err != nil {
			return err
		}
		all = append(all, spans...)
	}
	return waterfall.Render(out, all)
}

func readFile(path string) ([]waterfall.Span, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	spans, err := waterfall.ReadStdout(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return spans, nil
}
