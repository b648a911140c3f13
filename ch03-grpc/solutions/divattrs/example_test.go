package divattrs_test

import (
	"context"
	"fmt"
	"net"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/ch03-grpc/solutions/divattrs"
)

// A division by zero, served by divattrs.Service behind otelgrpc: the server span carries the
// operands that caused it. (A simple span processor, so the span is recorded when it ends.)
func ExampleService() {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	srv := grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler(otelgrpc.WithTracerProvider(tp))))
	calculatorv1.RegisterCalculatorServiceServer(srv, divattrs.Service{Service: calcgrpc.NewService(0)})
	lis := bufconn.Listen(1 << 16)
	go func() { _ = srv.Serve(lis) }()
	defer srv.Stop()
	conn, err := grpc.NewClient("passthrough:///bufconn", grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.Close()

	_, err = calculatorv1.NewCalculatorServiceClient(conn).Div(context.Background(), &calculatorv1.Operands{A: 7, B: 0})
	fmt.Println(status.Code(err))
	srv.GracefulStop() // the server span has ended once the server has stopped
	for _, s := range rec.Ended() {
		if s.SpanKind() == trace.SpanKindServer {
			fmt.Println(s.Name())
			for _, kv := range s.Attributes() {
				if kv.Key == divattrs.KeyA || kv.Key == divattrs.KeyB || kv.Key == "rpc.response.status_code" {
					fmt.Printf("  %s = %s\n", kv.Key, kv.Value.String())
				}
			}
		}
	}
	// Output:
	// InvalidArgument
	// calculator.v1.CalculatorService/Div
	//   calc.a = 7
	//   calc.b = 0
	//   rpc.response.status_code = INVALID_ARGUMENT
}
