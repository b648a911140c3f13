package tuned

import (
	"bufio"
	"encoding/gob"
	"io"
	"log/slog"
	"net/rpc"
)

// gobRequest is the request header on the wire. Its first two fields are those of rpc.Request,
// and gob matches fields by name, ignoring the ones the receiver lacks: an untraced net/rpc
// server decodes it as an rpc.Request, and a plain rpc.Request decodes here with Meta empty.
type gobRequest struct {
	ServiceMethod string
	Seq           uint64
	Meta          carrier // length-prefixed key, value, key, value…
}

// gobWire holds what both gob codecs share: one gob stream in each direction, buffered writes.
type gobWire struct {
	rwc io.ReadWriteCloser
	dec *gob.Decoder
	enc *gob.Encoder
	buf *bufio.Writer
}

func newGobWire(conn io.ReadWriteCloser) gobWire {
	buf := bufio.NewWriter(conn)
	return gobWire{rwc: conn, dec: gob.NewDecoder(conn), enc: gob.NewEncoder(buf), buf: buf}
}

// writePair encodes a header and a body and sends them in one write.
func (w *gobWire) writePair(header, body any) error {
	if err := w.enc.Encode(header); err != nil {
		return err
	}
	if err := w.enc.Encode(body); err != nil {
		return err
	}
	return w.buf.Flush()
}

// gobClientWire is net/rpc's gob client codec with a Meta field in the request header.
type gobClientWire struct {
	gobWire
	hdr gobRequest // reused: net/rpc's client writes one request at a time
}

func newGobClientWire(conn io.ReadWriteCloser) *gobClientWire {
	return &gobClientWire{gobWire: newGobWire(conn)}
}

func (c *gobClientWire) writeRequest(r *rpc.Request, meta carrier, body any) error {
	c.hdr = gobRequest{ServiceMethod: r.ServiceMethod, Seq: r.Seq, Meta: meta}
	return c.writePair(&c.hdr, body)
}

func (c *gobClientWire) ReadResponseHeader(r *rpc.Response) error { return c.dec.Decode(r) }
func (c *gobClientWire) ReadResponseBody(body any) error          { return c.dec.Decode(body) }
func (c *gobClientWire) Close() error                             { return c.rwc.Close() }

// gobServerWire is net/rpc's gob server codec, returning the header's Meta.
type gobServerWire struct {
	gobWire
	hdr    gobRequest // reused: headers are read one at a time
	closed bool
}

func newGobServerWire(conn io.ReadWriteCloser) *gobServerWire {
	return &gobServerWire{gobWire: newGobWire(conn)}
}

// readRequestHeader decodes a header into r and its metadata into meta, reusing meta's storage.
func (c *gobServerWire) readRequestHeader(r *rpc.Request, meta *carrier) error {
	c.hdr = gobRequest{Meta: (*meta)[:0]}
	if err := c.dec.Decode(&c.hdr); err != nil {
		return err
	}
	r.ServiceMethod, r.Seq = c.hdr.ServiceMethod, c.hdr.Seq
	*meta = c.hdr.Meta
	return nil
}

func (c *gobServerWire) ReadRequestBody(body any) error { return c.dec.Decode(body) }

// WriteResponse sends a reply. As in net/rpc, a reply that gob cannot encode leaves the stream
// in an unknown state, so the connection is closed.
func (c *gobServerWire) WriteResponse(r *rpc.Response, body any) error {
	err := c.writePair(r, body)
	if err != nil && c.buf.Flush() == nil {
		slog.Error("otelnetrpc: gob cannot encode response, closing connection", "err", err)
		_ = c.Close()
	}
	return err
}

// Close closes the connection once; net/rpc may call it more than once.
func (c *gobServerWire) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	return c.rwc.Close()
}
