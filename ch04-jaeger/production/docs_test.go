package production

import (
	"testing"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

// TestDoc fails when configuration or code shown in docs/production.md is not what `make docs`
// generates from the file it names (style rule 8), when a shell block is not marked, or when the
// page links a file that does not exist: change collector.yaml's sampling policies, and the page
// must change with them. It runs with and without the e2e build tag.
func TestDoc(t *testing.T) { docsnippet.CheckChapter(t, "../..", "../../docs/production.md") }
