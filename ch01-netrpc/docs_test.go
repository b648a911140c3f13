package ch01netrpc_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
	"github.com/rpc-tracing/workbook/internal/proctest"
)

const doc = "../docs/ch01-netrpc.md"

// TestDoc fails when a code block of the chapter's pages (the core page and the deeper one, in
// both editions) is not what `make docs` generates from the file it names, when a shell block is
// neither run by a test nor marked as not run, or when a page links a file or heading that does
// not exist: change the code, and the pages must change with it.
func TestDoc(t *testing.T) { docsnippet.CheckChapter(t, "..", "ch01-netrpc") }

// TestDocTwoTerminals runs "Try it"'s two terminals: the server as the doc starts it (on a free
// port instead of 1234), the client's division by zero with the doc's arguments, then the
// server's stop; each output is compared with the doc's block, timestamps and ports normalised.
func TestDocTwoTerminals(t *testing.T) {
	t.Parallel()
	server, client := build(t)
	_, _, serverArgs, err := docsnippet.GoRun(docsnippet.FindBlock(t, doc, "ch01-server").Commands[0])
	require.NoError(t, err)
	proc, addr := startServer(t, server, serverArgs...)

	_, pkg, clientArgs, err := docsnippet.GoRun(docsnippet.FindBlock(t, doc, "ch01-client-div-by-zero").Commands[0])
	require.NoError(t, err)
	assert.Equal(t, "./ch01-netrpc/cmd/client", pkg)
	res := proctest.Run(t, processTimeout, client, append([]string{"-addr", addr}, clientArgs...)...)
	assert.Empty(t, res.Stdout)
	// go run reports the program's exit status on a line of its own; the built binary cannot.
	docsnippet.CompareOutput(t, doc, "ch01-client-div-by-zero", fmt.Sprintf("%sexit status %d\n", res.Stderr, res.ExitCode))

	proc.Signal(t, syscall.SIGTERM) // Ctrl-C in the doc; the server treats both alike
	logged := proc.Wait(t).Stderr
	first, rest, _ := strings.Cut(logged, "\n")
	docsnippet.CompareOutput(t, doc, "ch01-server", first)
	// The client has exited, but its connection may still be closing on the server's side when
	// SIGTERM arrives (see TestDemo): then the server drains it. The doc shows the usual 0.
	assert.Regexp(t, `msg=draining connections=[01] `, rest)
	rest = strings.Replace(rest, "msg=draining connections=1 ", "msg=draining connections=0 ", 1)
	docsnippet.CompareOutput(t, doc, "ch01-server-stop", rest)
}
