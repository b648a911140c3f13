package ch04jaeger_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestDoc fails when a code block of the chapter's doc is not what `make docs` generates from the
// file it names, when a shell block is neither run by a test nor marked not run, or when the doc
// links a file that does not exist, such as a bug lab or a solution that was moved: change the
// code, and the doc must change with it.
func TestDoc(t *testing.T) {
	docsnippet.CheckChapter(t, "..", "../docs/ch04-jaeger.md")
	docsnippet.CheckChapter(t, "..", "../docs/deeper/ch04-jaeger.md")
}

// TestProductionDoc is the same check for docs/production.md, which shows the production/
// configs: change collector.yaml's sampling policies, and the page must change with them.
func TestProductionDoc(t *testing.T) { docsnippet.CheckChapter(t, "..", "../docs/production.md") }
