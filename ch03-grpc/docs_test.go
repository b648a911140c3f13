package ch03grpc_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

// chapterDoc is the chapter's text, relative to this package's directory.
const chapterDoc = "../docs/ch03-grpc.md"

// TestDocSnippets fails when code quoted in the chapter's doc is no longer a verbatim part of
// the file it names (style rule 8): change the code, and the doc must change with it.
func TestDocSnippets(t *testing.T) {
	checked, err := docsnippet.Check("..", chapterDoc)
	assert.NoError(t, err)
	assert.Positive(t, checked, "the doc quotes code, so there must be snippets to check")
}

// TestDocLinks fails when the doc links a file or heading that does not exist, such as a
// solution that was moved.
func TestDocLinks(t *testing.T) {
	broken, err := docsnippet.BrokenLinks(chapterDoc)
	require.NoError(t, err)
	assert.Empty(t, broken)
}
