//go:build e2e

package production

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunReportsWhatWasKept runs what `make ch04-production` runs and checks its table: every
// slow and failing trace kept and whole.
func TestRunReportsWhatWasKept(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), testConfig, &out), out.String())
	text := out.String()
	assert.Regexp(t, `(?m)^ +normal +200 +\d+ +\d+% +\d+ +10% of the rest$`, text)
	assert.Regexp(t, `(?m)^ +slow \(read \+500 ms\) +20 +20 +100% +20 +latency > 250 ms$`, text)
	assert.Regexp(t, `(?m)^ +failing \(write\) +20 +20 +100% +20 +status ERROR$`, text)
}
