// Package dialpercall is speak's client of read as the original go-jaeger-demo wrote its
// clients, cut down to one defect. Every call is traced and every call works.
package dialpercall

import (
	"context"

	"google.golang.org/grpc"

	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// Client calls read. Speak makes one at startup, uses it for every request it serves, and closes
// it when it shuts down.
type Client struct {
	target string
	opts   []grpc.DialOption
}

// New returns a client of read at target; opts say how to reach it and how to trace the calls.
func New(target string, opts ...grpc.DialOption) (*Client, error) {
	return &Client{target: target, opts: opts}, nil
}

// Read asks read how many words text has.
//
// TODO: every call works and is traced, yet read's server sees a new connection for each one,
// and after Close the client's goroutines are still running. Find out why, and fix the client
// so that it connects once, whatever the number of calls, and leaves nothing behind after Close.
func (c *Client) Read(ctx context.Context, text string) (int64, error) {
	conn, err := grpc.NewClient(c.target, c.opts...)
	if err != nil {
		return 0, err
	}
	resp, err := studyv1.NewReadServiceClient(conn).Read(ctx, &studyv1.ReadRequest{Text: text})
	if err != nil {
		return 0, err
	}
	return resp.GetWords(), nil
}

// Close releases what the client holds.
func (c *Client) Close() error {
	return nil
}
