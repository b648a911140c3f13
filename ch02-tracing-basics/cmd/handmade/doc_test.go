package main

import (
	"testing"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

const doc = "../../../docs/ch02-tracing-basics.md"

// TestDocOutput runs the program with the arguments the chapter's "go run" shows and compares
// what it prints with the doc's block (IDs normalised).
func TestDocOutput(t *testing.T) {
	docsnippet.RunLikeTheDoc(t, doc, "ch02-handmade", "./ch02-tracing-basics/cmd/handmade", run)
}
