// Package solutions_test runs the checks of the exercises whose solutions have no tests of their
// own, the ones `make exercise` runs on the stub a learner edits, against the reference solution.
// cardinality and alerts are tested in their folders, beside the tests that go further.
package solutions_test

import (
	"testing"

	exemplarscheck "github.com/rpc-tracing/workbook/ch05-monitoring/exercises/exemplars/check"
	logscheck "github.com/rpc-tracing/workbook/ch05-monitoring/exercises/logs/check"
	"github.com/rpc-tracing/workbook/ch05-monitoring/solutions/exemplars"
	"github.com/rpc-tracing/workbook/ch05-monitoring/solutions/logs"
)

func TestLogs(t *testing.T) { logscheck.RecordsInASpanNameIt(t, logs.New) }

func TestExemplars(t *testing.T) {
	exemplarscheck.OnlySampledRequests(t, exemplars.Exemplars)
	t.Run("an always-on filter makes exemplars that lead nowhere", func(t *testing.T) {
		exemplarscheck.AlwaysOnFilter(t, exemplars.Exemplars)
	})
}
