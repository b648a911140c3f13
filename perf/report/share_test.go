package report

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
)

// TestBusiestShareIsChapterFoursTree counts the spans of one answered request per service, from
// the tree the chain's tests and Jaeger's are checked against, so the queue sizing on the
// performance page follows the chain if it ever changes: speak makes 3 of the 9.
func TestBusiestShareIsChapterFoursTree(t *testing.T) {
	perService := map[string]int{}
	for _, path := range chain.AnsweredTrace {
		spans := strings.Split(path, " > ")
		service, _, ok := strings.Cut(spans[len(spans)-1], "/")
		require.True(t, ok, "a span is named service/kind: %q", path)
		perService[service]++
	}
	busiest, most := "", 0
	for service, n := range perService {
		if n > most {
			busiest, most = service, n
		}
	}
	assert.Equal(t, "speak", busiest)
	assert.InDelta(t, float64(most)/float64(len(chain.AnsweredTrace)), busiestShare, 1e-12)
}
