// Package dialpercall is speak's client of read as the original go-jaeger-demo wrote its
// clients, with its defect fixed. Every call is traced and every call works.
package dialpercall

import (
	"context"

	"google.golang.org/grpc"

	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// Client calls read. Speak makes one at startup, uses it for every request it serves, and closes
// it when it shuts down.
type Client struct {
	conn *grpc.ClientConn
	read studyv1.ReadServiceClient
}

// New returns a client of read at target; opts say how to reach it and how to trace the calls.
// A grpc.ClientConn is made once: it connects when first used, keeps its connection open, and is
// safe for any number of calls at once, so every call shares it. Making one per call costs a
// connection (and its TCP and HTTP/2 handshakes) per call.
func New(target string, opts ...grpc.DialOption) (*Client, error) {
	conn, err := grpc.NewClient(target, opts...)
	if err != nil {
		return nil, err
	}
	return &Client{conn: conn, read: studyv1.NewReadServiceClient(conn)}, nil
}

// Read asks read how many words text has, on the client's one connection.
func (c *Client) Read(ctx context.Context, text string) (int64, error) {
	resp, err := c.read.Read(ctx, &studyv1.ReadRequest{Text: text})
	if err != nil {
		return 0, err
	}
	return resp.GetWords(), nil
}

// Close closes the connection and stops the goroutines that kept it, which a ClientConn runs
// until it is closed.
func (c *Client) Close() error {
	return c.conn.Close()
}
