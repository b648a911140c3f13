package ch02tracingbasics_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

const (
	doc    = "../docs/ch02-tracing-basics.md"
	deeper = "../docs/deeper/ch02-tracing-basics.md"
)

// TestDoc fails when a code block of the chapter's pages (the core page and the deeper one, in
// both editions) is not what `make docs` generates from the file it names, when a shell block is
// neither run by a test nor marked as not run, or when a page links a file or heading that does
// not exist: change the code, and the pages must change with it.
func TestDoc(t *testing.T) { docsnippet.CheckChapter(t, "..", "ch02-tracing-basics") }

// TestDocBeforeAfter diffs chapter 1's untraced arithmetic with tracedcalc's traced version and
// compares the diff with the core page's "diff" block: the page's before and after are the code.
func TestDocBeforeAfter(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for _, ref := range []string{
		"ch01-netrpc/calc/calculator.go#apply",
		"ch02-tracing-basics/tracedcalc/tracedcalc.go#Calculator.compute",
	} {
		code, err := docsnippet.Extract("..", ref)
		require.NoError(t, err)
		f := filepath.Join(dir, filepath.Base(strings.ReplaceAll(ref, "#", "_")))
		require.NoError(t, os.WriteFile(f, []byte(code), 0o600))
		files = append(files, f)
	}
	out := runDiff(t, "", "diff", "-u", "--label", "chapter 1: calc/calculator.go", "--label", "chapter 2: tracedcalc/tracedcalc.go", files[0], files[1])
	docsnippet.CompareOutput(t, doc, "ch02-before-after", out)
}

// TestDocSolutionDiff runs the exercise's diff exactly as the deeper page shows it, from the
// repository's root, and compares its last hunks with the page's: the page's answer is the
// solution's code.
func TestDocSolutionDiff(t *testing.T) {
	b := docsnippet.FindBlock(t, deeper, "ch02-solution-diff")
	require.Len(t, b.Commands, 1)
	out := runDiff(t, "..", "sh", "-c", b.Commands[0])
	docsnippet.CompareOutput(t, deeper, "ch02-solution-diff", out)
}

// runDiff runs a diff command in dir and returns what it printed; diff exits 1 when the files
// differ, which they must.
func runDiff(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "diff exits 1 when the files differ")
	assert.Equal(t, 1, exit.ExitCode())
	return string(out)
}
