//go:build exercise

package alerts_test

import (
	"testing"

	"github.com/rpc-tracing/workbook/ch05-monitoring/exercises/alerts"
	"github.com/rpc-tracing/workbook/ch05-monitoring/exercises/alerts/check"
)

func TestTheFanOutAlerts(t *testing.T) { check.Rules(t, alerts.Rules) }
