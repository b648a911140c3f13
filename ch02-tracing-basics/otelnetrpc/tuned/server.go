package tuned

import (
	"context"
	"io"
	"net"
	"net/rpc"
	"sync"

	"go.opentelemetry.io/otel/trace"
)

// NewServerCodec wraps one accepted connection in a traced server codec: each request gets a
// SERVER span whose parent is the context the client sent (a new trace if it sent none, or one
// that does not parse). Serve it with rpc.Server.ServeCodec.
func NewServerCodec(conn io.ReadWriteCloser, format Format, opts ...Option) (rpc.ServerCodec, error) {
	wire, err := format.serverWire(conn)
	if err != nil {
		return nil, err
	}
	cfg := newConfig(opts)
	var peer net.Addr
	if c, ok := conn.(net.Conn); ok {
		peer = c.RemoteAddr()
	}
	return &serverCodec{
		wire:     wire,
		cfg:      cfg,
		tracer:   cfg.tracer(),
		starts:   newStartCache(trace.SpanKindServer, format, peer, serverPeer),
		inflight: make(map[uint64]serverCall),
	}, nil
}

// region: context-from-args

// ContextFromArgs returns the context of the request whose arguments are args, carrying its
// server span (and the client's baggage), for a method that wants child spans. net/rpc methods
// take no context; args is the one value both the codec and the method see. Outside a traced
// call it returns context.Background().
func ContextFromArgs(args any) context.Context {
	contexts.RLock()
	ctx, ok := contexts.m[args]
	contexts.RUnlock()
	if ok {
		return ctx
	}
	return context.Background()
}

// contexts maps the args pointer of each in-flight traced request to its context. net/rpc
// allocates fresh args for every request, so a pointer names exactly one call while it runs.
// A plain map under a lock, not a sync.Map: its slots are reused as calls come and go, so
// registering a call allocates nothing.
var contexts = struct {
	sync.RWMutex
	m map[any]context.Context
}{m: make(map[any]context.Context)}

func registerContext(args any, ctx context.Context) {
	contexts.Lock()
	contexts.m[args] = ctx
	contexts.Unlock()
}

func forgetContext(args any) {
	contexts.Lock()
	delete(contexts.m, args)
	contexts.Unlock()
}

// endregion

type serverCall struct {
	ctx  context.Context
	span trace.Span // nil when the filter skipped the call
	args any
}

type serverCodec struct {
	wire   serverWire
	cfg    *config
	tracer trace.Tracer
	starts *startCache

	mu sync.Mutex
	// inflight holds each request between its header and its response, by value: a record per
	// call would be one more allocation per call.
	inflight map[uint64]serverCall
	// meta is reused for every request: headers are read one at a time.
	meta carrier
	// lastSeq names the request whose header was read most recently (hasLast is false after a
	// failed read). net/rpc reads a header and then its body on one goroutine, so
	// ReadRequestBody always belongs to it.
	lastSeq uint64
	hasLast bool
}

// maxKeptMeta bounds the metadata buffer a connection keeps between requests, so that one
// oversized request does not pin its memory for the connection's lifetime.
const maxKeptMeta = 4 << 10

func (c *serverCodec) ReadRequestHeader(r *rpc.Request) error {
	c.hasLast = false
	if err := c.wire.readRequestHeader(r, &c.meta); err != nil {
		return err
	}
	call := serverCall{ctx: c.cfg.propagators.Extract(context.Background(), &c.meta)}
	if cap(c.meta) > maxKeptMeta {
		c.meta = nil
	}
	if c.cfg.filter(r.ServiceMethod) {
		call.ctx, call.span = c.starts.start(call.ctx, c.tracer, r.ServiceMethod)
	}
	c.mu.Lock()
	c.inflight[r.Seq] = call
	c.mu.Unlock()
	c.lastSeq, c.hasLast = r.Seq, true
	return nil
}

func (c *serverCodec) ReadRequestBody(body any) error {
	err := c.wire.ReadRequestBody(body)
	if body == nil || !c.hasLast {
		return err
	}
	c.mu.Lock()
	call, ok := c.inflight[c.lastSeq]
	if ok {
		call.args = body
		c.inflight[c.lastSeq] = call
	}
	c.mu.Unlock()
	if ok {
		registerContext(body, call.ctx)
	}
	return err
}

// WriteResponse sends the reply and ends the call's span with the outcome net/rpc reports.
func (c *serverCodec) WriteResponse(r *rpc.Response, body any) error {
	c.mu.Lock()
	call, ok := c.inflight[r.Seq]
	delete(c.inflight, r.Seq)
	c.mu.Unlock()
	err := c.wire.WriteResponse(r, body)
	if !ok {
		return err
	}
	if call.args != nil {
		forgetContext(call.args)
	}
	if call.span != nil {
		errText := r.Error
		if errText == "" && err != nil {
			errText = "write response: " + err.Error()
		}
		endSpan(call.span, r.ServiceMethod, errText)
	}
	return err
}

func (c *serverCodec) Close() error { return c.wire.Close() }

// ServerCodecs returns a function that wraps each accepted connection with NewServerCodec, in the
// shape servers take as a hook (for example chapter 1's calc.WithServerCodec). The format is
// checked once, here, so the returned function cannot fail.
func ServerCodecs(format Format, opts ...Option) (func(io.ReadWriteCloser) rpc.ServerCodec, error) {
	if err := format.check(); err != nil {
		return nil, err
	}
	return func(conn io.ReadWriteCloser) rpc.ServerCodec {
		codec, _ := NewServerCodec(conn, format, opts...) // the format was checked above
		return codec
	}, nil
}
