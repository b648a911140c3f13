package read

import (
	"google.golang.org/grpc"

	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// Client is what read's callers use: the generated gRPC client on a traced connection.
type Client struct {
	studyv1.ReadServiceClient
	conn *grpc.ClientConn
}

// NewClient returns a client of read at target.
func NewClient(target string, p otelsetup.Providers) (*Client, error) {
	conn, err := otelsetup.DialGRPC(target, p)
	if err != nil {
		return nil, err
	}
	return &Client{ReadServiceClient: studyv1.NewReadServiceClient(conn), conn: conn}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }
