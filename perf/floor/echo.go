// Package floor is the baseline every RPC figure in docs/performance.md is compared with: a plain
// loopback TCP round trip of a small payload, what any RPC over TCP must pay at least.
package floor

import (
	"errors"
	"io"
	"net"
)

// PayloadSize is about what one net/rpc Calculator.Add call puts on the wire with the gob codec
// once the connection's type information has been sent: a request header and two ints.
const PayloadSize = 64

// Serve echoes every PayloadSize-byte message back on each connection ln accepts, until ln is
// closed. It returns nil when ln was closed, the accept error otherwise.
func Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		switch {
		case errors.Is(err, net.ErrClosed):
			return nil
		case err != nil:
			return err
		}
		go echo(conn)
	}
}

func echo(conn net.Conn) {
	defer conn.Close()
	buf := make([]byte, PayloadSize)
	for {
		if _, err := io.ReadFull(conn, buf); err != nil {
			return // the client hung up
		}
		if _, err := conn.Write(buf); err != nil {
			return
		}
	}
}

// RoundTrip sends msg (PayloadSize bytes) on conn and reads the echo into reply.
func RoundTrip(conn net.Conn, msg, reply []byte) error {
	if _, err := conn.Write(msg); err != nil {
		return err
	}
	_, err := io.ReadFull(conn, reply)
	return err
}
