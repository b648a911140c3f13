package docsnippet_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

// TestParse checks which blocks count as snippets and that a malformed marker is an error
// rather than a snippet silently skipped.
func TestParse(t *testing.T) {
	type got struct {
		Ref, Code string
		Line      int
	}
	tests := []struct {
		name    string
		doc     string
		want    []got
		wantErr string
	}{
		{"no markers", "# Title\n\n```go\nx := 1\n```\n", nil, ""},
		{"two snippets", "text\n<!-- snippet: a.go#A -->\n```go\nA\n\nB\n```\nmore\n<!-- snippet: dir/b.go -->\n```\nC\n```\n",
			[]got{{"a.go#A", "A\n\nB\n", 2}, {"dir/b.go", "C\n", 9}}, ""},
		{"marker without a block", "<!-- snippet: a.go -->\ntext\n", nil, "line 1: marker not followed by a ``` fence"},
		{"block never closed", "<!-- snippet: a.go -->\n```go\nA\n", nil, "line 2: code block never closed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snippets, err := docsnippet.Parse(tc.doc)
			if tc.wantErr != "" {
				assert.EqualError(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			var gots []got
			for _, s := range snippets {
				gots = append(gots, got{s.Ref, s.Code, s.Line})
			}
			assert.Equal(t, tc.want, gots)
		})
	}
}

const source = `package x

// region: adder

// Add adds.
func Add(a, b int) int {
	// region: body
	return a + b
	// endregion
}

// endregion

// T is a type.
type T struct{}

// Get returns nothing.
func (*T) Get() {}

// Group documents a group.
const (
	A = 1
	B = 2
)
`

// TestExtract checks each form of marker against one Go file: the whole file, a declaration
// with its doc comment, a method, a const group, and regions (whose tag lines never show, and
// whose indentation is kept).
func TestExtract(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "x.go"), source)
	write(t, filepath.Join(dir, "c.yaml"), "a: 1\n# region: b\nb:\n  c: 2\n# endregion\n")
	tests := []struct{ ref, want, wantErr string }{
		{"x.go#Add", "// Add adds.\nfunc Add(a, b int) int {\n\treturn a + b\n}\n", ""},
		{"x.go#adder", "// Add adds.\nfunc Add(a, b int) int {\n\treturn a + b\n}\n", ""},
		{"x.go#body", "\treturn a + b\n", ""},
		{"x.go#T", "// T is a type.\ntype T struct{}\n", ""},
		{"x.go#T.Get", "// Get returns nothing.\nfunc (*T) Get() {}\n", ""},
		{"x.go#B", "// Group documents a group.\nconst (\n\tA = 1\n\tB = 2\n)\n", ""},
		{"c.yaml#b", "b:\n  c: 2\n", ""},
		{"c.yaml", "a: 1\nb:\n  c: 2\n", ""},
		{"x.go#Missing", "", `x.go has no region or top-level declaration "Missing"`},
		{"c.yaml#missing", "", `c.yaml has no region "missing"`},
		{"gone.go", "", "no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			got, err := docsnippet.Extract(dir, tc.ref)
			if tc.wantErr != "" {
				assert.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestGenerateAndCheck checks the generator's round trip: a stale block is named by Check and
// rewritten by Generate, with the header under the title; the result checks clean.
func TestGenerateAndCheck(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "x.go"), source)
	doc := filepath.Join(dir, "doc.md")
	write(t, doc, "# Doc\n\ntext\n<!-- snippet: x.go#body -->\n```go\n\treturn a - b\n```\n")

	n, err := docsnippet.Check(dir, doc)
	assert.Equal(t, 1, n)
	assert.ErrorContains(t, err, "doc.md:4: the block of snippet x.go#body differs from its source")

	md, err := os.ReadFile(doc)
	require.NoError(t, err)
	generated, changes, err := docsnippet.Generate(dir, string(md))
	require.NoError(t, err)
	assert.Len(t, changes, 1)
	assert.Equal(t, "# Doc\n\n"+docsnippet.Header+"\n\ntext\n<!-- snippet: x.go#body -->\n```go\n\treturn a + b\n```\n", generated)
	write(t, doc, generated)
	_, err = docsnippet.Check(dir, doc)
	assert.NoError(t, err)

	_, _, err = docsnippet.Generate(dir, "# Doc\n<!-- snippet: x.go#nope -->\n```go\n```\n")
	assert.ErrorContains(t, err, "line 2: x.go has no region or top-level declaration")
}

// TestBlocks checks the shell-block markers: a run block's commands and output are split at the
// prompt lines, an output block is all output, and an unmarked shell block is an error.
func TestBlocks(t *testing.T) {
	doc := "<!-- run: hello -->\n```console\n$ echo a \\\n  b\na b\n```\n" +
		"<!-- output: log -->\n```console\nline\n```\n" +
		"<!-- not run: needs Docker -->\n```sh\ndocker compose up\n```\n" +
		"```go\n// ```sh inside Go is not a shell block\n```\n" +
		"```sh\nmake ch01\n```\n"
	blocks, err := docsnippet.Blocks(doc)
	assert.EqualError(t, err, "line 18: a shell block needs <!-- run: name -->, <!-- output: name --> or <!-- not run: reason --> on the line before it")
	assert.Equal(t, []docsnippet.Block{
		{Kind: "run", Name: "hello", Commands: []string{"echo a b"}, Output: "a b", Line: 1},
		{Kind: "output", Name: "log", Output: "line", Line: 7},
	}, blocks)
}

// TestMatches checks the normaliser and the "…" lines: what differs between two runs of a
// command is ignored, what the command says is not.
func TestMatches(t *testing.T) {
	tests := []struct {
		name      string
		doc, got  string
		wantMatch bool
	}{
		{"ids and times",
			"time=2026-11-25T21:25:21.582Z trace 582a614c1c2907be4ed93aeebdc34c35 span 6412e78a819fe602 took 615µs",
			"time=2027-01-02T03:04:05.6Z trace 0123456789abcdef0123456789abcdef span 0123456789abcdef took 1.5ms", true},
		{"ports and durations", "addr=127.0.0.1:1234 uptime=120ms real\t0m2.095s", "addr=127.0.0.1:39123 uptime=2.676s real\t0m0.5s", true},
		{"waterfall bars and alignment", "Add  client  ██████████   615µs", "Add  client  ████    1.2ms", true},
		{"trailing blank lines", "a\n\n", "a\n", true},
		{"elision", "first\n… (trimmed)\nlast", "first\nx\ny\nlast\n", true},
		{"bare elision matches nothing too", "first\n…\nlast", "first\nlast", true},
		{"a different word", "2 + 3 = 5", "2 + 3 = 6", false},
		{"a missing line", "a\nb", "a", false},
		{"an extra line", "a", "a\nb", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.wantMatch, docsnippet.Matches(tc.doc, tc.got),
				"doc:\n%s\ngot:\n%s", docsnippet.Normalize(tc.doc), docsnippet.Normalize(tc.got))
		})
	}
}

// TestCompareOutputFindsTheBlock checks CompareOutput against a doc of its own; the chapters'
// tests are its real users.
func TestCompareOutputFindsTheBlock(t *testing.T) {
	doc := filepath.Join(t.TempDir(), "doc.md")
	write(t, doc, "<!-- run: greet -->\n```console\n$ greet -name Go\nhello, Go (took 3ms)\n```\n")
	b := docsnippet.CompareOutput(t, doc, "greet", "hello, Go (took 12µs)\n")
	assert.Equal(t, []string{"greet -name Go"}, b.Commands)
	assert.Equal(t, "$ a\n1\n$ b\n", docsnippet.Transcript([2]string{"a", "1"}, [2]string{"b", ""}))
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

// TestAnchors checks headings as GitHub turns them into anchors, Chinese ones included: letters
// of every script kept, punctuation (full-width too) dropped, spaces turned into hyphens.
func TestAnchors(t *testing.T) {
	zh := docsnippet.Anchors("# 第 4 章：Jaeger\n## 试一试（Try it）\n## `make demo` 做了什么？\n")
	assert.Equal(t, map[string]bool{"第-4-章jaeger": true, "试一试try-it": true, "make-demo-做了什么": true}, zh)

	got := docsnippet.Anchors("# Chapter 4: Jaeger\n## What `make demo` does\n## Try it\n## Try it\n```\n# comment\n```\n### Bug 1: a context captured at startup\n")
	assert.Equal(t, map[string]bool{
		"chapter-4-jaeger": true, "what-make-demo-does": true, "try-it": true, "try-it-1": true,
		"bug-1-a-context-captured-at-startup": true,
	}, got)
}
