package ch05monitoring_test

import (
	"testing"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

// TestDoc fails when a code block of the chapter's pages (the core page and the deeper one, in
// both editions) is not what `make docs` generates from the file it names, when a shell block is
// neither run by a test nor marked as not run, or when a page links a file or heading that does
// not exist: change the code, and the pages must change with it.
func TestDoc(t *testing.T) { docsnippet.CheckChapter(t, "..", "ch05-monitoring") }
