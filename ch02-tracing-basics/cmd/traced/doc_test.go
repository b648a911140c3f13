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

// TestDocOutput runs the program as the chapter's "go run" block shows it and compares the
// results and the three waterfalls with the block: IDs and durations normalised, and each bar
// reduced to one character, so the check is the tree, the names, kinds and errors.
func TestDocOutput(t *testing.T) {
	env, pkg, args, err := docsnippet.GoRun(docsnippet.FindBlock(t, doc, "ch02-traced").Commands[0])
	require.NoError(t, err)
	assert.Empty(t, env)
	assert.Equal(t, "./ch02-tracing-basics/cmd/traced", pkg)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), args, &out))
	docsnippet.CompareOutput(t, doc, "ch02-traced", out.String())
}
