package exemplars_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch05-monitoring/exercises/exemplars/check"
	"github.com/rpc-tracing/workbook/ch05-monitoring/solutions/exemplars"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestOnlySampledRequestsBecomeExemplars(t *testing.T) {
	check.OnlySampledRequests(t, exemplars.Exemplars)
}

func TestAlwaysOnFilterMakesExemplarsThatLeadNowhere(t *testing.T) {
	check.AlwaysOnFilter(t, exemplars.Exemplars)
}
