package tuned

import (
	"fmt"
	"io"
	"net/rpc"
)

// Format is a net/rpc wire format. Both ends of a connection must use the same one.
type Format string

const (
	// Gob is net/rpc's default encoding.
	Gob Format = "gob"
	// JSON is JSON-RPC 1.0 as spoken by net/rpc/jsonrpc.
	JSON Format = "json"
)

// clientWire is a client codec whose requests can carry metadata next to the header.
type clientWire interface {
	writeRequest(r *rpc.Request, meta carrier, body any) error
	ReadResponseHeader(r *rpc.Response) error
	ReadResponseBody(body any) error
	Close() error
}

// serverWire is a server codec that returns the metadata a request carried.
type serverWire interface {
	readRequestHeader(r *rpc.Request, meta *carrier) error
	ReadRequestBody(body any) error
	WriteResponse(r *rpc.Response, body any) error
	Close() error
}

func (f Format) check() error {
	if f != Gob && f != JSON {
		return fmt.Errorf("otelnetrpc: unknown format %q: want %q or %q", f, Gob, JSON)
	}
	return nil
}

func (f Format) clientWire(conn io.ReadWriteCloser) (clientWire, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	if f == JSON {
		return newJSONClientWire(conn), nil
	}
	return newGobClientWire(conn), nil
}

func (f Format) serverWire(conn io.ReadWriteCloser) (serverWire, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	if f == JSON {
		return newJSONServerWire(conn), nil
	}
	return newGobServerWire(conn), nil
}
