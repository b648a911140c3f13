// Command docgen is `make docs`: it rewrites every code block of the workbook's markdown that
// follows a <!-- snippet: path --> marker from the file the marker names (the README, docs/
// and docs/zh/, or only the pages given as arguments), so the code a reader sees is the code
// that is tested. With -check it writes nothing and exits 1 if any block would change.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/rpc-tracing/workbook/internal/docsnippet"

	"github.com/rpc-tracing/workbook/internal/cmdkit"
)

func main() {
	os.Exit(cmdkit.Run("docgen", os.Stderr, func(context.Context) error { return run(os.Args[1:], os.Stdout) }))
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("docgen", flag.ContinueOnError)
	root := fs.String("root", ".", "the module root: the docs and the files their snippets name are relative to it")
	check := fs.Bool("check", false, "write nothing; fail if any block would change")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pages, err := docsnippet.Pages(*root)
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		pages = fs.Args()
	}
	stale := 0
	for _, page := range pages {
		n, err := generate(*root, page, *check, out)
		if err != nil {
			return err
		}
		stale += n
	}
	if *check && stale > 0 {
		return fmt.Errorf("%d files out of date: run make docs", stale)
	}
	return nil
}

// generate rewrites one page, or only reports it with check, and returns 1 if it changed.
func generate(root, page string, check bool, out io.Writer) (int, error) {
	old, err := os.ReadFile(page)
	if err != nil {
		return 0, err
	}
	doc, changes, err := docsnippet.Generate(root, string(old))
	if err != nil {
		return 0, fmt.Errorf("%s: %w", page, err)
	}
	if doc == string(old) {
		return 0, nil
	}
	rel, _ := filepath.Rel(root, page)
	for _, c := range changes {
		fmt.Fprintf(out, "%s:%d: %s\n", rel, c.Line, c.Ref)
	}
	if check {
		return 1, nil
	}
	fmt.Fprintf(out, "%s: %d blocks written\n", rel, len(changes))
	return 1, os.WriteFile(page, []byte(doc), 0o644)
}
