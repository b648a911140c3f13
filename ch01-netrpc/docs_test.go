package ch01netrpc_test

import (
	"testing"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

// TestDoc fails when code quoted in the chapter's doc is no longer a verbatim part of the file
// it names (style rule 8), or when the doc links a file or heading that does not exist: change
// the code, and the doc must change with it.
func TestDoc(t *testing.T) { docsnippet.CheckChapter(t, "..", "../docs/ch01-netrpc.md") }
