package backgroundctx_test

import (
	"net/http"
	"testing"

	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch04-jaeger/exercises/backgroundctx/check"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
	"github.com/rpc-tracing/workbook/ch04-jaeger/solutions/backgroundctx"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestOneTrace runs the check against the reference solution.
func TestOneTrace(t *testing.T) {
	check.OneTrace(t, func(speak studyv1.SpeakServiceClient) http.Handler {
		return &backgroundctx.Handler{Speak: speak}
	})
}
