package main

import (
	"testing"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

const doc = "../../../docs/ch02-tracing-basics.md"

// TestDocOutput runs the program as each of the chapter's "go run" blocks shows it, with the
// environment the block sets, and compares what it prints with the block (IDs and timestamps
// normalised, the doc's "…" line standing for the server span's trimmed fields).
func TestDocOutput(t *testing.T) {
	const pkg = "./ch02-tracing-basics/cmd/otelsdk"
	t.Run("default", func(t *testing.T) { docsnippet.RunLikeTheDoc(t, doc, "ch02-otelsdk", pkg, run) })
	t.Run("always_off", func(t *testing.T) { docsnippet.RunLikeTheDoc(t, doc, "ch02-otelsdk-always-off", pkg, run) })
}
