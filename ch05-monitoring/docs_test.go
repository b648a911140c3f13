package ch05monitoring_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	doc    = "../docs/ch05-monitoring.md"
	deeper = "../docs/deeper/ch05-monitoring.md"
	// wordBudget keeps the chapter page a path a newcomer reads in one sitting; the rest belongs
	// on the deeper page.
	wordBudget = 3500
)

// TestDoc fails when a code block of the chapter's pages is not what `make docs` generates from
// the file it names, when a shell block is neither run by a test nor marked not run, or when a
// page links a file that does not exist: change the code, the rules or a solution, and the pages
// must change with it.
func TestDoc(t *testing.T) {
	docsnippet.CheckChapter(t, "..", doc)
	docsnippet.CheckChapter(t, "..", deeper)
}

// TestDocWordBudget counts the chapter page's words as wc -w does (whitespace-separated tokens,
// prose and code alike).
func TestDocWordBudget(t *testing.T) {
	md, err := os.ReadFile(doc)
	require.NoError(t, err)
	words := len(strings.Fields(string(md)))
	assert.LessOrEqual(t, words, wordBudget, "%s has %d words; move detail to %s", doc, words, deeper)
}
