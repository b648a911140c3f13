package speak

import (
	"google.golang.org/grpc"

	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// Client is what speak's callers use: the generated gRPC client on a traced connection.
type Client struct {
	studyv1.SpeakServiceClient
	conn *grpc.ClientConn
}

// NewClient returns a client of speak at target.
func NewClient(target string, p otelsetup.Providers) (*Client, error) {
	conn, err := otelsetup.DialGRPC(target, p)
	if err != nil {
		return nil, err
	}
	return &Client{SpeakServiceClient: studyv1.NewSpeakServiceClient(conn), conn: conn}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }
