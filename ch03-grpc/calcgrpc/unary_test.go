package calcgrpc_test

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	otelcodes "go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/internal/spantest"
)

type unaryMethod func(context.Context, *calculatorv1.Operands, ...grpc.CallOption) (*calculatorv1.Result, error)

func (h *harness) unary(name string) unaryMethod {
	return map[string]unaryMethod{"Add": h.client.Add, "Sub": h.client.Sub, "Mul": h.client.Mul, "Div": h.client.Div}[name]
}

func TestUnaryCallsMakeOneClientAndOneServerSpanInOneTrace(t *testing.T) {
	cases := []struct {
		method     string
		a, b, want int64
		code       codes.Code
		statusAttr string // rpc.response.status_code as otelgrpc writes it
	}{
		{"Add", 2, 3, 5, codes.OK, "OK"},
		{"Sub", 2, 3, -1, codes.OK, "OK"},
		{"Mul", 6, 7, 42, codes.OK, "OK"},
		{"Div", 7, 2, 3, codes.OK, "OK"},
		{"Add", math.MaxInt64, 1, 0, codes.OutOfRange, "OUT_OF_RANGE"},
		{"Mul", math.MinInt64, -1, 0, codes.OutOfRange, "OUT_OF_RANGE"},
		{"Div", 7, 0, 0, codes.InvalidArgument, "INVALID_ARGUMENT"},
	}
	for _, tc := range cases {
		t.Run(tc.method+"/"+tc.statusAttr, func(t *testing.T) {
			h := newHarness(t, calcgrpc.ServerConfig{})
			got, err := h.unary(tc.method)(context.Background(), &calculatorv1.Operands{A: tc.a, B: tc.b})
			require.Equal(t, tc.code, status.Code(err), "%v", err)
			assert.Equal(t, tc.want, got.GetValue())

			spans := spantest.Wait(t, h.rec, 2)
			cs, ss := spantest.OfKind(t, spans, trace.SpanKindClient), spantest.OfKind(t, spans, trace.SpanKindServer)
			fullName := "calculator.v1.CalculatorService/" + tc.method
			assert.Equal(t, fullName, cs.Name())
			assert.Equal(t, fullName, ss.Name())
			assert.Equal(t, cs.SpanContext().TraceID(), ss.SpanContext().TraceID(), "one trace")
			assert.Equal(t, cs.SpanContext().SpanID(), ss.Parent().SpanID(), "server span is the client span's child")
			assert.True(t, ss.Parent().IsRemote())
			for _, s := range spans {
				assert.Equal(t, "grpc", spantest.Attr(s, "rpc.system.name"))
				assert.Equal(t, fullName, spantest.Attr(s, "rpc.method"))
				assert.Equal(t, tc.statusAttr, spantest.Attr(s, "rpc.response.status_code"))
			}
			replies := 1 // a failed call has no reply message, only a status
			if tc.code != codes.OK {
				replies = 0
			}
			sent, received := messageEvents(cs)
			assert.Equal(t, [2]int{1, replies}, [2]int{sent, received}, "client: request out, reply in")
			sent, received = messageEvents(ss)
			assert.Equal(t, [2]int{replies, 1}, [2]int{sent, received}, "server: reply out, request in")
		})
	}
}

// Division by zero is the caller's mistake. The client span is an error; the server span keeps
// status Unset, because the semantic conventions count only server-side faults (Internal,
// Unavailable, DeadlineExceeded, …) as server errors: a flood of bad requests must not look like
// a broken server. The status code is on both spans either way.
func TestDivisionByZeroIsInvalidArgumentWithABadRequestDetail(t *testing.T) {
	h := newHarness(t, calcgrpc.ServerConfig{})
	_, err := h.client.Div(context.Background(), &calculatorv1.Operands{A: 7, B: 0})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	assert.Equal(t, "b: must not be zero: division by zero", status.Convert(err).Message())
	assert.Equal(t, []string{"b"}, calcgrpc.FieldViolations(err))

	spans := spantest.Wait(t, h.rec, 2)
	cs, ss := spantest.OfKind(t, spans, trace.SpanKindClient), spantest.OfKind(t, spans, trace.SpanKindServer)
	assert.Equal(t, otelcodes.Error, cs.Status().Code)
	assert.Equal(t, "b: must not be zero: division by zero", cs.Status().Description)
	assert.Equal(t, otelcodes.Unset, ss.Status().Code)
	assert.Equal(t, "INVALID_ARGUMENT", spantest.Attr(ss, "rpc.response.status_code"))
}
