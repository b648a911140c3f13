package logs_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch05-monitoring/exercises/logs/check"
	"github.com/rpc-tracing/workbook/ch05-monitoring/solutions/logs"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRecordsInASpanNameIt(t *testing.T) { check.RecordsInASpanNameIt(t, logs.New) }
