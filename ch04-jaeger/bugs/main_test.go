package bugs_test

import (
	"context"
	"log"
	"os"
	"testing"

	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch04-jaeger/bugs"
)

// programEnv makes the test binary run one of the lost-spans labs' programs instead of the tests:
// a real process, which really ends, taking whatever it has not exported with it.
const programEnv = "BUGS_PROGRAM"

// TestMain runs a lab program when asked to, and the tests with a goroutine-leak check otherwise.
func TestMain(m *testing.M) {
	if name := os.Getenv(programEnv); name != "" {
		os.Exit(program(name, os.Args[1:]))
	}
	goleak.VerifyTestMain(m)
}

// program is main for the child process: it runs the named program against sing at args[0],
// singing args[1], with its spans exported as JSON lines on stdout, and exits as that program
// does. The broken log.Fatal lab really exits from inside log.Fatal.
func program(name string, args []string) int {
	if len(args) != 2 {
		log.Printf("usage: %s=NAME %s SING_URL TEXT", programEnv, os.Args[0])
		return 2
	}
	ctx := context.Background()
	p := bugs.Program{SingURL: args[0], Text: args[1], Exporter: newLineExporter(os.Stdout)}
	exitOn := func(err error) int {
		if err != nil {
			log.Print(err)
			return 1
		}
		return 0
	}
	switch name {
	case "noshutdown/broken":
		return exitOn(bugs.BrokenNoShutdown(ctx, p))
	case "noshutdown/fixed":
		return exitOn(bugs.FixedNoShutdown(ctx, p))
	case "fatalexit/broken":
		bugs.BrokenFatalExit(ctx, p, log.Fatal)
	case "fatalexit/fixed":
		bugs.FixedFatalExit(ctx, p, os.Exit)
	default:
		log.Printf("no program %q", name)
		return 2
	}
	return 0
}
