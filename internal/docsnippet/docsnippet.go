// Package docsnippet keeps the workbook's docs honest: code shown in a chapter's markdown must be
// copied exactly from a real file, and every relative link must point at a file that exists.
//
// Style rule 8 says docs never drift. Code pasted into prose by hand goes stale the day the code
// changes; a test that compares the two fails that same day instead. A snippet is marked with an
// HTML comment naming its source, which markdown renderers do not show:
//
//	<!-- snippet: ch01-netrpc/calc/calculator.go -->
//	```go
//	type Calculator struct{}
//	```
//
// The block must appear verbatim (after removing the fence) in the named file, whose path is
// relative to the module root.
package docsnippet

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Snippet is one marked code block of a markdown file.
type Snippet struct {
	// Source is the file the code is copied from, relative to the module root.
	Source string
	// Code is the block's content without the fence lines.
	Code string
	// Line is where the block's marker is in the markdown file, for error messages.
	Line int
}

var markerRE = regexp.MustCompile(`^<!-- snippet: (\S+) -->$`)

// Parse returns the marked snippets of a markdown document. A marker must be followed directly
// by a fenced block; anything else is an error, so a typo cannot hide a snippet from the check.
func Parse(markdown string) ([]Snippet, error) {
	lines := strings.Split(markdown, "\n")
	var snippets []Snippet
	for i := 0; i < len(lines); i++ {
		m := markerRE.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "```") {
			return nil, fmt.Errorf("line %d: snippet marker not followed by a ``` fence", i+1)
		}
		end := i + 2
		for end < len(lines) && lines[end] != "```" {
			end++
		}
		if end == len(lines) {
			return nil, fmt.Errorf("line %d: code block never closed", i+2)
		}
		snippets = append(snippets, Snippet{
			Source: m[1],
			Code:   strings.Join(lines[i+2:end], "\n") + "\n",
			Line:   i + 1,
		})
		i = end
	}
	return snippets, nil
}

// Check compares every snippet of the markdown file docPath with its source file, whose path is
// relative to root (the module root). It returns how many snippets it checked and an error that
// names each one that is not a verbatim part of its source.
func Check(root, docPath string) (checked int, err error) {
	doc, err := os.ReadFile(docPath)
	if err != nil {
		return 0, err
	}
	snippets, err := Parse(string(doc))
	if err != nil {
		return 0, fmt.Errorf("%s: %w", docPath, err)
	}
	var problems []error
	for _, s := range snippets {
		src, err := os.ReadFile(filepath.Join(root, s.Source))
		if err != nil {
			problems = append(problems, fmt.Errorf("%s:%d: %w", docPath, s.Line, err))
			continue
		}
		if !strings.Contains(string(src), s.Code) {
			problems = append(problems, fmt.Errorf("%s:%d: snippet is not a verbatim part of %s:\n%s",
				docPath, s.Line, s.Source, s.Code))
		}
	}
	return len(snippets), errors.Join(problems...)
}

var linkRE = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// BrokenLinks returns the relative link targets of the markdown file docPath that name no
// existing file or directory, or a "#section" that the markdown file they name (docPath itself
// for a bare "#section") has no heading for. Links with a scheme (https:, mailto:) are not checked.
func BrokenLinks(docPath string) ([]string, error) {
	doc, err := os.ReadFile(docPath)
	if err != nil {
		return nil, err
	}
	var broken []string
	for _, m := range linkRE.FindAllStringSubmatch(string(doc), -1) {
		target, anchor, _ := strings.Cut(m[1], "#")
		if strings.Contains(target, ":") {
			continue
		}
		path := docPath
		if target != "" {
			path = filepath.Join(filepath.Dir(docPath), target)
		}
		if _, err := os.Stat(path); err != nil {
			broken = append(broken, m[1])
			continue
		}
		if anchor != "" && strings.HasSuffix(path, ".md") && !hasAnchor(path, anchor) {
			broken = append(broken, m[1])
		}
	}
	return broken, nil
}

func hasAnchor(path, anchor string) bool {
	md, err := os.ReadFile(path)
	return err == nil && Anchors(string(md))[anchor]
}

// CheckChapter runs both checks on one chapter's doc inside a test: every quoted snippet is still
// a verbatim part of its file (root is the repository root, relative to the test's package), and
// every relative link resolves. Each chapter's docs_test.go calls it.
func CheckChapter(t testing.TB, root, doc string) {
	t.Helper()
	checked, err := Check(root, doc)
	assert.NoError(t, err)
	assert.Positive(t, checked, "the doc quotes code, so there must be snippets to check")
	broken, err := BrokenLinks(doc)
	require.NoError(t, err)
	assert.Empty(t, broken, "broken links in %s", doc)
}
