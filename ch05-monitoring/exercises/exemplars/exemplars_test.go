//go:build exercise

package exemplars_test

import (
	"testing"

	"github.com/rpc-tracing/workbook/ch05-monitoring/exercises/exemplars"
	"github.com/rpc-tracing/workbook/ch05-monitoring/exercises/exemplars/check"
)

func TestOnlySampledRequestsBecomeExemplars(t *testing.T) {
	check.OnlySampledRequests(t, exemplars.Exemplars)
}

func TestAlwaysOnFilterMakesExemplarsThatLeadNowhere(t *testing.T) {
	check.AlwaysOnFilter(t, exemplars.Exemplars)
}
