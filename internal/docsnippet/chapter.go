package docsnippet

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// CheckChapter runs CheckPage on a chapter's two pages, docs/<name>.md and
// docs/deeper/<name>.md (root is the module root, relative to the test's package). Each
// chapter's docs_test.go calls it.
func CheckChapter(t testing.TB, root, name string) {
	t.Helper()
	CheckPage(t, root, filepath.Join(root, "docs", name+".md"))
	CheckPage(t, root, filepath.Join(root, "docs", "deeper", name+".md"))
}

// CheckPage runs every doc check on one page, and on its Chinese edition in docs/zh/ when that
// exists, inside a test: each snippet block is what `make docs` would write from its source
// (root is the module root, relative to the test's package), each shell block is run by a test
// or says why not, and each relative link resolves.
func CheckPage(t testing.TB, root, doc string) {
	t.Helper()
	docs := []string{doc}
	if zh := ChineseEdition(doc); fileExists(zh) {
		docs = append(docs, zh)
	}
	for _, d := range docs {
		snippets, err := Check(root, d)
		assert.NoError(t, err)
		assert.Positive(t, snippets, "%s quotes code, so there must be snippets to check", d)
		assert.NoError(t, CheckCommands(root, d))
		broken, err := BrokenLinks(d)
		require.NoError(t, err)
		assert.Empty(t, broken, "broken links in %s", d)
	}
}

// ChineseEdition returns where the Chinese edition of the English page doc lives: the same path
// with its docs/ directory replaced by docs/zh/ (docs/deeper/x.md → docs/zh/deeper/x.md).
func ChineseEdition(doc string) string {
	slashed := filepath.ToSlash(doc)
	i := strings.LastIndex(slashed, "docs/")
	if i < 0 {
		return filepath.Join(filepath.Dir(doc), "zh", filepath.Base(doc))
	}
	return filepath.FromSlash(slashed[:i] + "docs/zh/" + slashed[i+len("docs/"):])
}
