package write

import (
	"google.golang.org/grpc"

	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// Client is what write's callers use: the generated gRPC client on a traced connection.
type Client struct {
	studyv1.WriteServiceClient
	conn *grpc.ClientConn
}

// NewClient returns a client of write at target.
func NewClient(target string, p otelsetup.Providers) (*Client, error) {
	conn, err := otelsetup.DialGRPC(target, p)
	if err != nil {
		return nil, err
	}
	return &Client{WriteServiceClient: studyv1.NewWriteServiceClient(conn), conn: conn}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }
