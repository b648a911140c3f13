package main

import (
	"testing"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

const doc = "../../../docs/ch02-tracing-basics.md"

// TestDocOutput runs the program as the chapter's "go run" block shows it and compares the
// results and the three waterfalls with the block: IDs and durations normalised, and each bar
// reduced to one character, so the check is the tree, the names, kinds and errors.
func TestDocOutput(t *testing.T) {
	docsnippet.RunLikeTheDoc(t, doc, "ch02-traced", "./ch02-tracing-basics/cmd/traced", run)
}
