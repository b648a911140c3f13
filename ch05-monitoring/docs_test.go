package ch05monitoring_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	doc    = "../docs/ch05-monitoring.md"
	deeper = "../docs/deeper/ch05-monitoring.md"
)

// TestDoc fails when a code block of the chapter's pages is not what `make docs` generates from
// the file it names, when a shell block is neither run by a test nor marked not run, or when a
// page links a file that does not exist: change the code, the rules or a solution, and the pages
// must change with it.
func TestDoc(t *testing.T) {
	docsnippet.CheckChapter(t, "..", doc)
	docsnippet.CheckChapter(t, "..", deeper)
}
