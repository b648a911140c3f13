package speak

import (
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// Client is what speak's callers use: the generated gRPC client on a traced connection.
type Client struct {
	studyv1.SpeakServiceClient
	conn *grpc.ClientConn
}

// NewClient returns a client of speak at target. It connects on first use; the context of each
// call, not one captured here, carries the trace (the original demo's first bug).
func NewClient(target string, p otelsetup.Providers) (*Client, error) {
	conn, err := grpc.NewClient(target,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithStatsHandler(otelgrpc.NewClientHandler(p.GRPC()...)))
	if err != nil {
		return nil, err
	}
	return &Client{SpeakServiceClient: studyv1.NewSpeakServiceClient(conn), conn: conn}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }
