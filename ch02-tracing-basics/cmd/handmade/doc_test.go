package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

const doc = "../../../docs/ch02-tracing-basics.md"

// TestDocOutput runs the program with the arguments the chapter's "go run" shows and compares
// what it prints with the doc's block (IDs normalised).
func TestDocOutput(t *testing.T) {
	env, pkg, args, err := docsnippet.GoRun(docsnippet.FindBlock(t, doc, "ch02-handmade").Commands[0])
	require.NoError(t, err)
	assert.Empty(t, env)
	assert.Equal(t, "./ch02-tracing-basics/cmd/handmade", pkg)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), args, &out))
	docsnippet.CompareOutput(t, doc, "ch02-handmade", out.String())
}
