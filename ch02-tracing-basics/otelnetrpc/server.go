package otelnetrpc

import (
	"bufio"
	"context"
	"encoding/gob"
	"io"
	"log/slog"
	"net"
	"net/rpc"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// ServerCodecs returns a function that wraps each accepted connection with NewServerCodec, in the
// shape servers take as a hook (for example chapter 1's calc.WithServerCodec).
func ServerCodecs(opts ...Option) func(io.ReadWriteCloser) rpc.ServerCodec {
	return func(conn io.ReadWriteCloser) rpc.ServerCodec { return NewServerCodec(conn, opts...) }
}

// NewServerCodec wraps one accepted connection in a traced server codec: each request gets a
// SERVER span whose parent is the context the client sent (a new trace if it sent none, or one
// that does not parse). Serve it with rpc.Server.ServeCodec.
func NewServerCodec(conn io.ReadWriteCloser, opts ...Option) rpc.ServerCodec {
	cfg := newConfig(opts)
	c := &serverCodec{
		conn:        conn,
		dec:         gob.NewDecoder(conn),
		buf:         bufio.NewWriter(conn),
		propagators: cfg.propagators,
		tracer:      cfg.provider.Tracer(ScopeName),
		calls:       make(map[uint64]*serverCall),
	}
	c.enc = gob.NewEncoder(c.buf)
	if nc, ok := conn.(net.Conn); ok {
		c.peer = peerAttributes(nc.RemoteAddr(), semconv.NetworkPeerAddressKey, semconv.NetworkPeerPortKey)
	}
	return c
}

// serverCall is one request between its header and its response.
type serverCall struct {
	ctx  context.Context // carries the SERVER span
	span trace.Span
	args any // the pointer net/rpc decoded the args into, the key of ContextFromArgs
}

// serverCodec is net/rpc's gob server codec, with a SERVER span for every request.
type serverCodec struct {
	conn        io.ReadWriteCloser
	dec         *gob.Decoder
	enc         *gob.Encoder
	buf         *bufio.Writer
	closed      bool
	propagators propagation.TextMapPropagator
	tracer      trace.Tracer
	peer        []attribute.KeyValue

	// next is the call whose header was read last. net/rpc reads a header and then its body on
	// one goroutine, so ReadRequestBody always belongs to it.
	next *serverCall
	// calls holds each request from its header to its response, by net/rpc's sequence number.
	// Responses are written from the methods' goroutines, hence the lock.
	mu    sync.Mutex
	calls map[uint64]*serverCall
}

// region: read-request-header

// ReadRequestHeader reads a request's header, extracts the caller's context from its Meta and
// starts the SERVER span as its child.
func (c *serverCodec) ReadRequestHeader(r *rpc.Request) error {
	c.next = nil
	var header requestHeader
	if err := c.dec.Decode(&header); err != nil {
		return err
	}
	r.ServiceMethod, r.Seq = header.ServiceMethod, header.Seq
	ctx := c.propagators.Extract(context.Background(), header.Meta)
	ctx, span := startSpan(ctx, c.tracer, trace.SpanKindServer, header.ServiceMethod, c.peer)
	call := &serverCall{ctx: ctx, span: span}
	c.mu.Lock()
	c.calls[header.Seq] = call
	c.mu.Unlock()
	c.next = call
	return nil
}

// endregion

// ReadRequestBody reads the args and records the request's context under their pointer, for
// ContextFromArgs. net/rpc passes nil to discard the body of a request it will refuse.
func (c *serverCodec) ReadRequestBody(body any) error {
	err := c.dec.Decode(body)
	if body != nil && c.next != nil {
		c.mu.Lock()
		c.next.args = body
		c.mu.Unlock()
		contexts.Store(body, c.next.ctx)
	}
	return err
}

// region: write-response

// WriteResponse sends the reply and ends the call's span with the outcome net/rpc reports.
func (c *serverCodec) WriteResponse(r *rpc.Response, body any) error {
	c.mu.Lock()
	call := c.calls[r.Seq]
	delete(c.calls, r.Seq)
	c.mu.Unlock()
	err := c.write(r, body)
	if call == nil {
		return err
	}
	if call.args != nil {
		contexts.Delete(call.args)
	}
	errText := r.Error
	if errText == "" && err != nil {
		errText = "write response: " + err.Error()
	}
	endSpan(call.span, r.ServiceMethod, errText)
	return err
}

// endregion

// write encodes a response as net/rpc's gob codec does. A reply gob cannot encode leaves the
// stream in an unknown state, so the connection is closed.
func (c *serverCodec) write(r *rpc.Response, body any) error {
	if err := c.enc.Encode(r); err != nil {
		if c.buf.Flush() == nil {
			_ = c.Close()
		}
		return err
	}
	if err := c.enc.Encode(body); err != nil {
		if c.buf.Flush() == nil {
			slog.Error("otelnetrpc: gob cannot encode response, closing connection", "err", err)
			_ = c.Close()
		}
		return err
	}
	return c.buf.Flush()
}

// Close closes the connection once; net/rpc may call it more than once.
func (c *serverCodec) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	return c.conn.Close()
}

// region: context-from-args

// ContextFromArgs returns the context of the request whose arguments are args, carrying its
// server span (and the client's baggage), for a method that wants child spans. net/rpc methods
// take no context; args is the one value both the codec and the method see, and net/rpc
// allocates it fresh for every request. Outside a traced call it returns context.Background().
func ContextFromArgs(args any) context.Context {
	if ctx, ok := contexts.Load(args); ok {
		return ctx.(context.Context)
	}
	return context.Background()
}

// contexts maps the args pointer of each request in flight to its context.
var contexts sync.Map

// endregion
