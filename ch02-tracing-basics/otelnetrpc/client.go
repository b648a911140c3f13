package otelnetrpc

import (
	"bufio"
	"context"
	"encoding/gob"
	"fmt"
	"io"
	"net"
	"net/rpc"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
)

// Client is a traced net/rpc client. Every Call gets a CLIENT span, child of the span in the
// caller's context, and the call carries that span's context to the server.
type Client struct {
	rpc    *rpc.Client
	tracer trace.Tracer
	peer   []attribute.KeyValue
}

// NewClient starts a traced client over conn. Any net/rpc server understands it; only a traced
// one continues the trace.
func NewClient(conn net.Conn, opts ...Option) *Client {
	cfg := newConfig(opts)
	codec := &clientCodec{
		conn:        conn,
		dec:         gob.NewDecoder(conn),
		buf:         bufio.NewWriter(conn),
		propagators: cfg.propagators,
	}
	codec.enc = gob.NewEncoder(codec.buf)
	return &Client{
		rpc:    rpc.NewClientWithCodec(codec),
		tracer: cfg.provider.Tracer(ScopeName),
		peer:   peerAttributes(conn.RemoteAddr(), semconv.ServerAddressKey, semconv.ServerPortKey),
	}
}

// Dial connects to addr and returns a traced client; ctx bounds the connection attempt.
func Dial(ctx context.Context, addr string, opts ...Option) (*Client, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	return NewClient(conn, opts...), nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.rpc.Close() }

// region: call

// Call invokes serviceMethod and waits for the reply or for ctx to end. The span ends when the
// call does, with status Error and the error's text if it failed.
func (c *Client) Call(ctx context.Context, serviceMethod string, args, reply any) error {
	ctx, span := startSpan(ctx, c.tracer, trace.SpanKindClient, serviceMethod, c.peer)
	err := c.call(ctx, serviceMethod, args, reply)
	errText := ""
	if err != nil {
		errText = err.Error()
	}
	endSpan(span, serviceMethod, errText)
	return err
}

// endregion

// call has chapter 1's safeguards: nothing is sent once ctx has ended, and a reply that arrives
// after the caller gave up never lands in the caller's variable.
func (c *Client) call(ctx context.Context, serviceMethod string, args, reply any) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", serviceMethod, context.Cause(ctx))
	}
	private, commit := calc.DetachReply(reply)
	// region: outgoing
	// net/rpc hands the codec only what is passed here as args, so the context rides along.
	call := c.rpc.Go(serviceMethod, &outgoing{ctx: ctx, args: args}, private, make(chan *rpc.Call, 1))
	// endregion
	select {
	case <-call.Done:
		if call.Error == nil {
			commit()
		}
		return call.Error
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", serviceMethod, context.Cause(ctx))
	}
}

// outgoing is a call's args with the caller's context, on their way to the codec.
type outgoing struct {
	ctx  context.Context
	args any
}

// region: request-header

// requestHeader is the request header on the wire: net/rpc's rpc.Request plus Meta, the
// propagator's fields (traceparent, baggage). Gob matches fields by name and skips those the
// receiver lacks: an untraced net/rpc server decodes it as an rpc.Request, and a plain
// rpc.Request decodes here with Meta empty.
type requestHeader struct {
	ServiceMethod string
	Seq           uint64
	Meta          propagation.MapCarrier // a map[string]string that propagators read and write
}

// endregion

// clientCodec is net/rpc's gob client codec, with the trace context injected into each request.
type clientCodec struct {
	conn        io.ReadWriteCloser
	dec         *gob.Decoder
	enc         *gob.Encoder
	buf         *bufio.Writer
	propagators propagation.TextMapPropagator
}

// region: write-request

// WriteRequest sends one request. net/rpc calls it with what Call passed as args: the outgoing
// value, whose context the propagator injects into the header.
func (c *clientCodec) WriteRequest(r *rpc.Request, body any) error {
	out := body.(*outgoing)
	header := requestHeader{ServiceMethod: r.ServiceMethod, Seq: r.Seq, Meta: propagation.MapCarrier{}}
	c.propagators.Inject(out.ctx, header.Meta)
	if err := c.enc.Encode(&header); err != nil {
		return err
	}
	if err := c.enc.Encode(out.args); err != nil {
		return err
	}
	return c.buf.Flush()
}

// endregion

func (c *clientCodec) ReadResponseHeader(r *rpc.Response) error { return c.dec.Decode(r) }
func (c *clientCodec) ReadResponseBody(body any) error          { return c.dec.Decode(body) }
func (c *clientCodec) Close() error                             { return c.conn.Close() }
