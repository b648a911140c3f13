// Command client is the source article's net/rpc client as the article shows it: it asks the
// Calculator on localhost:1234 for 4 + 5 and prints "Result: 9". It declares its own Args and
// Reply, which gob matches to the server's by field name, and it ignores the dial's error.
//
// One change makes it testable: the address comes from serverAddr (addr.go).
package main

import (
	"fmt"
	"net/rpc"
)

type Args struct {
	A, B int
}

type Reply struct {
	Result int
}

func main() {
	client, _ := rpc.Dial("tcp", serverAddr())
	args := &Args{4, 5}
	reply := new(Reply)
	err := client.Call("Calculator.Add", args, reply)
	if err != nil {
		fmt.Println("RPC call failed:", err)
		return
	}
	fmt.Println("Result:", reply.Result)
}
