package calc

import (
	"fmt"
	"io"
	"net/rpc"
	"net/rpc/jsonrpc"
)

// Codec names a net/rpc wire format. Both ends of a connection must use the same one.
type Codec string

const (
	// Gob is net/rpc's default binary encoding, Go-to-Go only.
	Gob Codec = "gob"
	// JSON is JSON-RPC 1.0 from net/rpc/jsonrpc, readable by other languages.
	JSON Codec = "json"
)

// ParseCodec turns a flag value into a Codec.
func ParseCodec(name string) (Codec, error) {
	switch c := Codec(name); c {
	case Gob, JSON:
		return c, nil
	default:
		return "", fmt.Errorf("unknown codec %q: want %q or %q", name, Gob, JSON)
	}
}

// String returns the codec's flag value.
func (c Codec) String() string { return string(c) }

// NewClient starts a net/rpc client speaking the codec over conn.
func (c Codec) NewClient(conn io.ReadWriteCloser) *rpc.Client {
	if c == JSON {
		return jsonrpc.NewClient(conn)
	}
	return rpc.NewClient(conn)
}

// serveConn answers requests on one connection until it closes, in the codec's format.
func (c Codec) serveConn(srv *rpc.Server, conn io.ReadWriteCloser) {
	if c == JSON {
		srv.ServeCodec(jsonrpc.NewServerCodec(conn))
		return
	}
	srv.ServeConn(conn)
}
