package cardinality_test

import (
	"testing"

	"github.com/rpc-tracing/workbook/ch05-monitoring/exercises/cardinality/check"
	"github.com/rpc-tracing/workbook/ch05-monitoring/solutions/cardinality"
)

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
