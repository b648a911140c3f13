package ch03grpc_test

import (
	"testing"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

// TestDoc fails when a code block of the chapter's doc is not what `make docs` generates from the
// file it names (style rule 8), when a shell block is neither run by a test nor marked not run, or
// when the doc links a file or heading that does not exist: change the code, and the doc must
// change with it.
func TestDoc(t *testing.T) { docsnippet.CheckChapter(t, "..", "../docs/ch03-grpc.md") }
