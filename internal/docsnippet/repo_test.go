package docsnippet_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

const root = "../.."

// TestEveryLinkInTheDocsResolves checks the README and every page in docs/ and docs/zh/: each
// relative link names a file that exists and, when it has one, a #section that file has a
// heading for.
func TestEveryLinkInTheDocsResolves(t *testing.T) {
	pages, err := docsnippet.Pages(root)
	require.NoError(t, err)
	require.Greater(t, len(pages), 2)
	for _, page := range pages {
		broken, err := docsnippet.BrokenLinks(page)
		require.NoError(t, err)
		assert.Empty(t, broken, "broken links in %s", page)
	}
}

// TestMakeDocsChangesNothing fails when running `make docs` would rewrite any block of any page:
// the code a page shows must be the code in the file it names, as that file is now.
func TestMakeDocsChangesNothing(t *testing.T) {
	pages, err := docsnippet.Pages(root)
	require.NoError(t, err)
	for _, page := range pages {
		md, err := os.ReadFile(page)
		require.NoError(t, err)
		if snippets, _ := docsnippet.Parse(string(md)); len(snippets) == 0 {
			continue
		}
		_, err = docsnippet.Check(root, page)
		assert.NoError(t, err)
	}
}

// TestEveryShellBlockIsRunOrSaysWhyNot checks the shell blocks of every page: each is marked, and
// each block a run or output marker names is compared by some test.
func TestEveryShellBlockIsRunOrSaysWhyNot(t *testing.T) {
	pages, err := docsnippet.Pages(root)
	require.NoError(t, err)
	for _, page := range pages {
		assert.NoError(t, docsnippet.CheckCommands(root, page), filepath.Base(page))
	}
}
