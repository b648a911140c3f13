package ch05monitoring_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestDoc fails when code quoted in the chapter's doc is no longer a verbatim part of the file
// it names (style rule 8), or when the doc links a file that does not exist: change the code,
// the rules or a solution, and the doc must change with it.
func TestDoc(t *testing.T) { docsnippet.CheckChapter(t, "..", "../docs/ch05-monitoring.md") }
