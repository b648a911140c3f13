//go:build exercise

package cardinality_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch05-monitoring/exercises/cardinality"
	"github.com/rpc-tracing/workbook/ch05-monitoring/exercises/cardinality/check"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestStudentAttributeCostsADataPointPerStudent(t *testing.T) {
	check.StudentAttribute(t, cardinality.Student)
}

func TestBreakItRequestIDCostsADataPointPerRequest(t *testing.T) {
	check.RequestIDAttribute(t, cardinality.RequestID)
}

func TestDropViewTakesTheStudentAway(t *testing.T) {
	check.DropView(t, cardinality.DropView)
}

func TestPrometheusSeries(t *testing.T) {
	check.PrometheusSeries(t, cardinality.PrometheusSeries)
}
