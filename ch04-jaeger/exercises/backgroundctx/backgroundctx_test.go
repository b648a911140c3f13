//go:build exercise

package backgroundctx_test

import (
	"net/http"
	"testing"

	"github.com/rpc-tracing/workbook/ch04-jaeger/exercises/backgroundctx"
	"github.com/rpc-tracing/workbook/ch04-jaeger/exercises/backgroundctx/check"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// TestOneTrace runs the check against the Handler in this folder, the one you edit.
func TestOneTrace(t *testing.T) {
	check.OneTrace(t, func(speak studyv1.SpeakServiceClient) http.Handler {
		return &backgroundctx.Handler{Speak: speak}
	})
}
