// Command server is the source article's net/rpc server as the article shows it, so chapter 1
// starts from code that runs: it registers a Calculator with net/rpc's default server and
// accepts connections on port 1234 of every interface, forever, ignoring every error.
//
// Two changes make it build and test: the article's unused "errors" import is gone (Go refuses
// to compile a file with one), and the address comes from listenAddr (addr.go).
package main

import (
	"net"
	"net/rpc"
)

type Calculator struct{}

type Args struct {
	A, B int
}

type Reply struct {
	Result int
}

func (c *Calculator) Add(args *Args, reply *Reply) error {
	reply.Result = args.A + args.B
	return nil
}

func main() {
	calculator := new(Calculator)
	rpc.Register(calculator)
	listener, _ := net.Listen("tcp", listenAddr())
	rpc.Accept(listener)
}
