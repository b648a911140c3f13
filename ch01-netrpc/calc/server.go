package calc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/rpc"
	"sync"
	"time"
)

// ErrShutdownTimeout is returned by Serve when in-flight calls did not finish within the shutdown
// timeout and their connections were closed under them.
var ErrShutdownTimeout = errors.New("shutdown timed out: connections closed with calls in flight")

// DefaultShutdownTimeout bounds how long Serve waits for in-flight calls once its context ends.
const DefaultShutdownTimeout = 5 * time.Second

// Server serves a Calculator over net/rpc. Unlike rpc.Register and rpc.Accept from the source
// article, it owns its own rpc.Server (no global state, so tests can run many side by side) and
// it can stop.
type Server struct {
	rpc             *rpc.Server
	codec           Codec
	newCodec        func(io.ReadWriteCloser) rpc.ServerCodec
	logger          *slog.Logger
	shutdownTimeout time.Duration
	rcvr            any
}

// Option configures a Server.
type Option func(*Server)

// WithCodec selects the wire format (Gob by default).
func WithCodec(c Codec) Option { return func(s *Server) { s.codec = c } }

// WithServerCodec replaces the codec with one built per connection by newCodec. Chapter 2 uses it
// to put a traced wire format under the same server.
func WithServerCodec(newCodec func(io.ReadWriteCloser) rpc.ServerCodec) Option {
	return func(s *Server) { s.newCodec = newCodec }
}

// WithLogger sets where the server logs connections and shutdown (slog.Default() otherwise).
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.logger = l } }

// WithShutdownTimeout sets how long Serve waits for in-flight calls once its context ends.
func WithShutdownTimeout(d time.Duration) Option { return func(s *Server) { s.shutdownTimeout = d } }

// WithReceiver registers rcvr as the "Calculator" service instead of the plain Calculator, for
// example a wrapper that adds tracing to each method.
func WithReceiver(rcvr any) Option {
	return func(s *Server) { s.rcvr = rcvr }
}

// NewServer returns a Server with the Calculator (or the WithReceiver value) registered under
// ServiceName. It fails on an unknown codec and on a receiver without a single method of the
// shape net/rpc requires, the mistakes that would otherwise only show up at the first call.
func NewServer(opts ...Option) (*Server, error) {
	s := &Server{
		rpc:             rpc.NewServer(),
		codec:           Gob,
		logger:          slog.Default(),
		shutdownTimeout: DefaultShutdownTimeout,
		rcvr:            Calculator{},
	}
	for _, opt := range opts {
		opt(s)
	}
	if _, err := ParseCodec(string(s.codec)); err != nil {
		return nil, err
	}
	if err := s.rpc.RegisterName(ServiceName, s.rcvr); err != nil {
		return nil, fmt.Errorf("register %s: %w", ServiceName, err)
	}
	return s, nil
}

// Serve accepts connections on ln and answers calls until ctx ends. Then it closes ln, stops
// reading new requests, waits up to the shutdown timeout for in-flight calls to send their
// replies, and returns. It returns nil after a clean shutdown, ErrShutdownTimeout if calls were
// cut off, or the error that stopped Accept.
//
// After ErrShutdownTimeout the connections are closed, but Go cannot stop a method that is still
// running: its goroutine ends when the method returns, and its reply goes nowhere.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	conns := newConnSet()
	stopClosing := context.AfterFunc(ctx, func() { ln.Close() })
	defer stopClosing()
	var acceptErr error
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() == nil {
				acceptErr = fmt.Errorf("accept: %w", err)
			}
			break
		}
		conns.add(conn)
		s.logger.Debug("connection opened", "remote", conn.RemoteAddr().String())
		conns.wg.Go(func() {
			defer conns.remove(conn)
			s.serveConn(conn)
			s.logger.Debug("connection closed", "remote", conn.RemoteAddr().String())
		})
	}
	ln.Close()
	return errors.Join(acceptErr, s.drain(conns))
}

func (s *Server) serveConn(conn net.Conn) {
	if s.newCodec != nil {
		s.rpc.ServeCodec(s.newCodec(conn))
		return
	}
	s.codec.serveConn(s.rpc, conn)
}

// region: drain

// drain ends every connection gracefully. A read deadline in the past makes each connection's
// read loop stop; net/rpc then waits for the calls it already started, writes their replies and
// closes the connection.
func (s *Server) drain(conns *connSet) error {
	n := conns.each(func(c net.Conn) { _ = c.SetReadDeadline(time.Now()) })
	// endregion
	s.logger.Info("draining", "connections", n, "timeout", s.shutdownTimeout)
	done := make(chan struct{})
	go func() {
		conns.wg.Wait()
		close(done)
	}()
	timer := time.NewTimer(s.shutdownTimeout)
	defer timer.Stop()
	select {
	case <-done:
		return nil
	case <-timer.C:
		conns.each(func(c net.Conn) { _ = c.Close() })
		return ErrShutdownTimeout
	}
}

// connSet tracks the open connections of one Serve call.
type connSet struct {
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

func newConnSet() *connSet { return &connSet{conns: make(map[net.Conn]struct{})} }

func (cs *connSet) add(c net.Conn) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.conns[c] = struct{}{}
}

func (cs *connSet) remove(c net.Conn) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	delete(cs.conns, c)
}

// each calls f on every open connection and returns how many there were.
func (cs *connSet) each(f func(net.Conn)) int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for c := range cs.conns {
		f(c)
	}
	return len(cs.conns)
}
