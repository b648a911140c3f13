// Command hello is the program proctest's own tests build: it greets its first argument.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("hello,", os.Args[1])
}
