//go:build exercise

package alerts_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch05-monitoring/exercises/alerts"
	"github.com/rpc-tracing/workbook/ch05-monitoring/exercises/alerts/check"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestTheFanOutAlerts(t *testing.T) { check.Rules(t, alerts.Rules) }
