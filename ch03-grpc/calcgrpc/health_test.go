package calcgrpc_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/internal/spantest"
)

func TestHealthAnswersAndIsNotTraced(t *testing.T) {
	h := newHarness(t, calcgrpc.ServerConfig{})
	health := healthpb.NewHealthClient(h.conn)
	for _, service := range []string{"", "calculator.v1.CalculatorService"} {
		resp, err := health.Check(context.Background(), &healthpb.HealthCheckRequest{Service: service})
		require.NoError(t, err)
		assert.Equal(t, healthpb.HealthCheckResponse_SERVING, resp.GetStatus(), "service %q", service)
	}
	// A traced call afterwards: its two spans are the only ones recorded.
	_, err := h.client.Add(context.Background(), &calculatorv1.Operands{A: 1, B: 1})
	require.NoError(t, err)
	for _, s := range spantest.Wait(t, h.rec, 2) {
		assert.NotContains(t, s.Name(), "grpc.health")
	}
	assert.NotContains(t, h.logs.String(), "grpc.health", "health checks are not logged either")
}

func TestReflectionListsTheService(t *testing.T) {
	h := newHarness(t, calcgrpc.ServerConfig{})
	stream, err := reflectionpb.NewServerReflectionClient(h.conn).ServerReflectionInfo(context.Background())
	require.NoError(t, err)
	require.NoError(t, stream.Send(&reflectionpb.ServerReflectionRequest{
		MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{},
	}))
	resp, err := stream.Recv()
	require.NoError(t, err)
	require.NoError(t, stream.CloseSend())
	var names []string
	for _, s := range resp.GetListServicesResponse().GetService() {
		names = append(names, s.GetName())
	}
	assert.Contains(t, names, "calculator.v1.CalculatorService")
	assert.Contains(t, names, "grpc.health.v1.Health")
}

func TestOversizedMessageIsRefusedAndTheServerKeepsServing(t *testing.T) {
	h := newHarness(t, calcgrpc.ServerConfig{})
	// Any message will do: the size check comes before decoding. Operands cannot be this big.
	huge := wrapperspb.Bytes(make([]byte, calcgrpc.MaxMessageSize+1))
	err := h.conn.Invoke(context.Background(), "/calculator.v1.CalculatorService/Add", huge, &calculatorv1.Result{})
	require.Equal(t, codes.ResourceExhausted, status.Code(err))
	assert.True(t, strings.Contains(status.Convert(err).Message(), "larger than max"), status.Convert(err).Message())

	got, err := h.client.Add(context.Background(), &calculatorv1.Operands{A: 2, B: 2})
	require.NoError(t, err)
	assert.Equal(t, int64(4), got.GetValue())
}

func TestBadDelayIsAnInvalidArgument(t *testing.T) {
	h := newHarness(t, calcgrpc.ServerConfig{})
	_, err := h.client.Add(calcgrpc.WithDelay(context.Background(), calcgrpc.MaxDelay+1), &calculatorv1.Operands{A: 1, B: 1})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	assert.Contains(t, status.Convert(err).Message(), "x-calc-delay")
}
