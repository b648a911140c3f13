package ch02tracingbasics_test

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const doc = "../docs/ch02-tracing-basics.md"

// TestDoc fails when a code block of the chapter's doc is not what `make docs` generates from
// the file it names, when a shell block is neither run by a test nor marked as
// not run, or when the doc links a file or heading that does not exist: change the code, and
// the doc must change with it.
func TestDoc(t *testing.T) { docsnippet.CheckChapter(t, "..", doc) }

// TestDocSolutionDiff runs the exercise's diff exactly as the doc shows it, from the repository's
// root, and compares its last hunks with the doc's: the doc's answer is the solution's code.
func TestDocSolutionDiff(t *testing.T) {
	b := docsnippet.FindBlock(t, doc, "ch02-solution-diff")
	require.Len(t, b.Commands, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", b.Commands[0])
	cmd.Dir = ".."
	out, err := cmd.Output()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "diff exits 1 when the files differ")
	assert.Equal(t, 1, exit.ExitCode())
	docsnippet.CompareOutput(t, doc, "ch02-solution-diff", string(out))
}
