package production

import (
	"testing"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
)

// TestDoc fails when configuration or code quoted in docs/production.md is no longer a verbatim
// part of the file it names (style rule 8), or when the page links a file that does not exist:
// change collector.yaml's sampling policies, and the page must change with them. It runs with
// and without the e2e build tag.
func TestDoc(t *testing.T) { docsnippet.CheckChapter(t, "../..", "../../docs/production.md") }
