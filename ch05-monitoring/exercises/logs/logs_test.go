//go:build exercise

package logs_test

import (
	"testing"

	"github.com/rpc-tracing/workbook/ch05-monitoring/exercises/logs"
	"github.com/rpc-tracing/workbook/ch05-monitoring/exercises/logs/check"
)

func TestRecordsInASpanNameIt(t *testing.T) { check.RecordsInASpanNameIt(t, logs.New) }
