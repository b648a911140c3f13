package docsnippet_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

// TestCompareEditions checks what counts as the same code in two editions: prose and headings
// may differ, fenced blocks and marker lines may not, and a failure names the first difference
// with its line on both sides.
func TestCompareEditions(t *testing.T) {
	const en = "# Title\n\nProse.\n\n<!-- snippet: a.go#A -->\n```go\nA\n```\n\n<!-- not run: Docker -->\n```console\n$ docker compose up\n```\n"
	tests := []struct {
		name, zh string
		wantErr  []string // parts of the error; none means the editions match
	}{
		{"translated prose, same blocks", "# 标题\n\n正文，多一行。\n\n更多正文。\n\n<!-- snippet: a.go#A -->\n```go\nA\n```\n\n<!-- not run: Docker -->\n```console\n$ docker compose up\n```\n", nil},
		{"a block's content differs",
			"# 标题\n\n<!-- snippet: a.go#A -->\n```go\nB\n```\n\n<!-- not run: Docker -->\n```console\n$ docker compose up\n```\n",
			[]string{"block or marker 2 differs: English line 6, Chinese line 4", `English line 7: "A", Chinese line 5: "B"`}},
		{"a block's info string differs",
			"# 标题\n\n<!-- snippet: a.go#A -->\n```\nA\n```\n\n<!-- not run: Docker -->\n```console\n$ docker compose up\n```\n",
			[]string{"English line 6, Chinese line 4", "```go"}},
		{"a marker translated",
			"# 标题\n\n<!-- snippet: a.go#A -->\n```go\nA\n```\n\n<!-- not run: 需要 Docker -->\n```console\n$ docker compose up\n```\n",
			[]string{"block or marker 3 differs: English line 10, Chinese line 8", "<!-- not run: 需要 Docker -->"}},
		{"a block missing",
			"# 标题\n\n<!-- snippet: a.go#A -->\n```go\nA\n```\n\n<!-- not run: Docker -->\n",
			[]string{"the Chinese edition lacks the block or marker at English line 11 (it ends after 3 of the English 4)"}},
		{"an extra block",
			"# 标题\n\n<!-- snippet: a.go#A -->\n```go\nA\n```\n\n<!-- not run: Docker -->\n```console\n$ docker compose up\n```\n\n```text\nextra\n```\n",
			[]string{"the English edition lacks the block or marker at Chinese line 13"}},
		{"blocks swapped",
			"# 标题\n\n<!-- not run: Docker -->\n```console\n$ docker compose up\n```\n\n<!-- snippet: a.go#A -->\n```go\nA\n```\n",
			[]string{"block or marker 1 differs: English line 5, Chinese line 3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := docsnippet.CompareEditions(en, tc.zh)
			if tc.wantErr == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, part := range tc.wantErr {
				assert.Contains(t, err.Error(), part)
			}
		})
	}
}

// noChineseEdition lists the pages of docs/ that have no translation to compare.
var noChineseEdition = map[string]string{
	// Generated from a template by the benchmarks (its numbers are measured, not written), so
	// there is no Chinese edition to keep in step: the Chinese index links to the English page.
	"performance.md": "",
	// Its counterpart docs/zh/README.md is the Chinese index (README.md and docs/README.md
	// merged), not a translation: it must exist, but its blocks are its own.
	"README.md": "docs/zh/README.md",
}

// TestChineseEditionMatchesEnglish fails when a page of docs/ has no Chinese edition in docs/zh/,
// when a Chinese page has no English original, or when a Chinese edition's fenced code blocks
// and snippet, run, output and not-run markers are not the English edition's, in order.
func TestChineseEditionMatchesEnglish(t *testing.T) {
	compared := 0
	for _, dir := range []string{"docs", "docs/deeper"} {
		compared += compareEditionsIn(t, dir)
	}
	// Five chapters, the production page and the glossary: a wrong pattern must not pass silently.
	assert.GreaterOrEqual(t, compared, 7, "pages compared")
}

// compareEditionsIn checks the pages of one English directory (relative to the module root)
// against their Chinese editions under docs/zh/, both ways, and returns how many it compared.
func compareEditionsIn(t *testing.T, dir string) int {
	t.Helper()
	english, err := filepath.Glob(filepath.Join(root, dir, "*.md"))
	require.NoError(t, err)
	zhDir := filepath.Join(root, "docs", "zh", strings.TrimPrefix(strings.TrimPrefix(dir, "docs"), "/"))
	compared := 0
	for _, en := range english {
		base := filepath.Base(en)
		zh := filepath.Join(zhDir, base)
		counterpart, excluded := noChineseEdition[base]
		if excluded && dir == "docs" {
			if counterpart != "" {
				assert.FileExists(t, filepath.Join(root, counterpart), "%s has a Chinese counterpart", en)
			}
			continue
		}
		if !assert.FileExists(t, zh, "%s has no Chinese edition: translate it into %s", en, zh) {
			continue
		}
		enMD, err := os.ReadFile(en)
		require.NoError(t, err)
		zhMD, err := os.ReadFile(zh)
		require.NoError(t, err)
		assert.NoError(t, docsnippet.CompareEditions(string(enMD), string(zhMD)),
			"%s and its Chinese edition %s must have the same code blocks and markers, in the same order", en, zh)
		compared++
	}
	chinese, err := filepath.Glob(filepath.Join(zhDir, "*.md"))
	require.NoError(t, err)
	for _, zh := range chinese {
		assert.FileExists(t, filepath.Join(root, dir, filepath.Base(zh)), "%s has no English original", zh)
	}
	return compared
}
