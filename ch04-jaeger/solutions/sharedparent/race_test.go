package sharedparent_test

import (
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/exercise"
)

// TestTheRaceDetectorSeesTheSharedParent runs the learner's check the way `make exercise` does,
// with the race detector on: the untouched stub, whose handler writes a package-level context
// while another request's handler writes and reads it, must be reported as a data race; the stub
// with this solution's files in its place must not. The check's barriers make the two handlers
// run at once on every run, so the race is there to see each time, not by chance.
//
// It builds the exercise with -race twice, which takes a while the first time.
func TestTheRaceDetectorSeesTheSharedParent(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	require.NoError(t, err)
	ex := exercise.Exercise{
		ID:       "ch04/sharedparent",
		Chapter:  "ch04-jaeger",
		Name:     "sharedparent",
		Stub:     filepath.Join("ch04-jaeger", "exercises", "sharedparent"),
		Solution: filepath.Join("ch04-jaeger", "solutions", "sharedparent"),
	}
	// exercise.Run passes its environment on to go test, and GOFLAGS is how to add a flag to it;
	// go env's value keeps whatever flags the machine already sets.
	flags, err := exec.Command("go", "env", "GOFLAGS").Output()
	require.NoError(t, err)
	t.Setenv("GOFLAGS", strings.TrimSpace(string(flags)+" -race"))

	t.Run("stub", func(t *testing.T) {
		outcome, out, err := exercise.Run(t.Context(), root, ex, false, io.Discard)
		require.NoError(t, err)
		assert.Equal(t, exercise.Failed, outcome, out)
		assert.Contains(t, out, "WARNING: DATA RACE", "the race detector did not report the shared parent:\n%s", out)
	})
	t.Run("solution", func(t *testing.T) {
		outcome, out, err := exercise.Run(t.Context(), root, ex, true, io.Discard)
		require.NoError(t, err)
		assert.Equal(t, exercise.Passed, outcome, out)
		assert.NotContains(t, out, "WARNING: DATA RACE", out)
	})
}
