package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

const doc = "../../../docs/ch02-tracing-basics.md"

// TestDocOutput runs the program as each of the chapter's "go run" blocks shows it, with the
// environment the block sets, and compares what it prints with the block (IDs and timestamps
// normalised, the doc's "…" line standing for the server span's trimmed fields).
func TestDocOutput(t *testing.T) {
	for _, name := range []string{"ch02-otelsdk", "ch02-otelsdk-always-off"} {
		t.Run(name, func(t *testing.T) {
			env, pkg, args, err := docsnippet.GoRun(docsnippet.FindBlock(t, doc, name).Commands[0])
			require.NoError(t, err)
			assert.Equal(t, "./ch02-tracing-basics/cmd/otelsdk", pkg)
			for _, kv := range env {
				k, v, _ := strings.Cut(kv, "=")
				t.Setenv(k, v)
			}
			var out bytes.Buffer
			require.NoError(t, run(context.Background(), args, &out))
			switch name {
			case "ch02-otelsdk":
				docsnippet.CompareOutput(t, doc, "ch02-otelsdk", out.String())
			case "ch02-otelsdk-always-off":
				docsnippet.CompareOutput(t, doc, "ch02-otelsdk-always-off", out.String())
			}
		})
	}
}
