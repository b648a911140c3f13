package docsnippet_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestParse checks which blocks count as snippets and that a malformed marker is an error
// rather than a snippet silently skipped.
func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		want    []docsnippet.Snippet
		wantErr string
	}{
		{"no markers", "# Title\n\n```go\nx := 1\n```\n", nil, ""},
		{"two snippets", "text\n<!-- snippet: a.go -->\n```go\nA\n\nB\n```\nmore\n<!-- snippet: dir/b.go -->\n```\nC\n```\n",
			[]docsnippet.Snippet{{Source: "a.go", Code: "A\n\nB\n", Line: 2}, {Source: "dir/b.go", Code: "C\n", Line: 9}}, ""},
		{"marker without a block", "<!-- snippet: a.go -->\ntext\n", nil, "line 1: snippet marker not followed by a ``` fence"},
		{"block never closed", "<!-- snippet: a.go -->\n```go\nA\n", nil, "line 2: code block never closed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := docsnippet.Parse(tc.doc)
			if tc.wantErr != "" {
				assert.EqualError(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestCheck checks a doc against a source file: a verbatim copy passes, an edited one and a
// missing source fail with the doc's line in the message.
func TestCheck(t *testing.T) {
	const source = "package x\n\n// Add adds.\nfunc Add(a, b int) int {\n\treturn a + b\n}\n"
	tests := []struct {
		name    string
		code    string
		source  string
		wantErr string
	}{
		{"verbatim", "func Add(a, b int) int {\n\treturn a + b\n}", "x.go", ""},
		{"edited", "func Add(a, b int) int {\n\treturn a - b\n}", "x.go", "doc.md:3: snippet is not a verbatim part of x.go"},
		{"indentation changed", "func Add(a, b int) int {\n    return a + b\n}", "x.go", "not a verbatim part"},
		{"source missing", "func Add", "gone.go", "doc.md:3: open"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "x.go"), source)
			doc := filepath.Join(dir, "doc.md")
			write(t, doc, "# Doc\n\n<!-- snippet: "+tc.source+" -->\n```go\n"+tc.code+"\n```\n")

			checked, err := docsnippet.Check(dir, doc)
			assert.Equal(t, 1, checked)
			if tc.wantErr == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tc.wantErr)
			}
		})
	}
}

// TestBrokenLinks checks that only relative links to missing files are reported.
func TestBrokenLinks(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "docs", "there.md"), "# There\n\n## The `part`, again!\n\n```sh\n# not a heading\n```\n## Part\n")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "code", "pkg"), 0o755))
	doc := filepath.Join(dir, "docs", "doc.md")
	write(t, doc, "# Top\n[a](there.md) [b](there.md#the-part-again) [c](../code/pkg) [d](https://go.dev/x) [e](#top)\n"+
		"[f](missing.md) [g](../code/gone/) [h](missing.md#part) [i](there.md#not-a-heading) [j](#nowhere) [k](there.md#part)\n")

	broken, err := docsnippet.BrokenLinks(doc)
	require.NoError(t, err)
	assert.Equal(t, []string{"missing.md", "../code/gone/", "missing.md#part", "there.md#not-a-heading", "#nowhere"}, broken)
}

func write(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func TestAnchors(t *testing.T) {
	got := docsnippet.Anchors("# Chapter 4: Jaeger\n## What `make demo` does\n## Try it\n## Try it\n```\n# comment\n```\n### Bug 1: a context captured at startup\n")
	assert.Equal(t, map[string]bool{
		"chapter-4-jaeger": true, "what-make-demo-does": true, "try-it": true, "try-it-1": true,
		"bug-1-a-context-captured-at-startup": true,
	}, got)
}
