package docsnippet_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

// TestEveryLinkInTheDocsResolves checks the README and every page in docs/: each relative link
// names a file that exists and, when it has one, a #section that file has a heading for.
func TestEveryLinkInTheDocsResolves(t *testing.T) {
	pages, err := filepath.Glob("../../docs/*.md")
	require.NoError(t, err)
	require.NotEmpty(t, pages)
	for _, page := range append(pages, "../../README.md") {
		broken, err := docsnippet.BrokenLinks(page)
		require.NoError(t, err)
		assert.Empty(t, broken, "broken links in %s", page)
	}
}
