package ch01netrpc_test

import (
	"context"
	"net"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/docsnippet"
	"github.com/rpc-tracing/workbook/internal/proctest"
)

const (
	articleServerPkg = "github.com/rpc-tracing/workbook/ch01-netrpc/article/server"
	articleClientPkg = "github.com/rpc-tracing/workbook/ch01-netrpc/article/client"
)

// TestArticlePrograms runs the source article's server and client with the doc's commands, on a
// free port given in ARTICLE_ADDR instead of 1234: the client prints "Result: 9" and the server
// prints nothing. Once the server is stopped, the client panics, as the doc says. The article's
// client then calls chapter 1's own server and gets the same answer, because the done-properly
// server keeps the article's service name and types.
func TestArticlePrograms(t *testing.T) {
	t.Parallel()
	_, serverPkg, serverArgs, err := docsnippet.GoRun(docsnippet.FindBlock(t, doc, "ch01-article-server").Commands[0])
	require.NoError(t, err)
	assert.Equal(t, "./ch01-netrpc/article/server", serverPkg)
	_, clientPkg, clientArgs, err := docsnippet.GoRun(docsnippet.FindBlock(t, doc, "ch01-article-client").Commands[0])
	require.NoError(t, err)
	assert.Equal(t, "./ch01-netrpc/article/client", clientPkg)
	articleServer, articleClient := proctest.Build(t, articleServerPkg), proctest.Build(t, articleClientPkg)

	// The article's server says nothing when it is ready, and ignores a failed listen, so the
	// test waits until the port answers.
	addr := proctest.FreeAddr(t)
	proc := proctest.Start(t, processTimeout, "env", append([]string{"ARTICLE_ADDR=" + addr, articleServer}, serverArgs...)...)
	waitListening(t, addr)
	res := proctest.Run(t, processTimeout, "env", append([]string{"ARTICLE_ADDR=" + addr, articleClient}, clientArgs...)...)
	assert.Equal(t, 0, res.ExitCode, "stderr: %s", res.Stderr)
	assert.Equal(t, "Result: 9\n", res.Stdout)
	docsnippet.CompareOutput(t, doc, "ch01-article-client", res.Stdout+res.Stderr)

	proc.Signal(t, syscall.SIGTERM) // Ctrl-C in the doc: the article's server has no other way to stop
	stopped := proc.Wait(t)
	docsnippet.CompareOutput(t, doc, "ch01-article-server", stopped.Stdout+stopped.Stderr)

	// With the server gone, the client's ignored dial error comes back as a nil-pointer panic.
	res = proctest.Run(t, processTimeout, "env", "ARTICLE_ADDR="+addr, articleClient)
	assert.Equal(t, 2, res.ExitCode, "a panic exits with status 2")
	assert.Contains(t, res.Stderr, "nil pointer dereference")

	server, _ := build(t)
	_, chapterAddr := startServer(t, server)
	res = proctest.Run(t, processTimeout, "env", "ARTICLE_ADDR="+chapterAddr, articleClient)
	assert.Equal(t, "Result: 9\n", res.Stdout, "the article's client against cmd/server; stderr: %s", res.Stderr)
}

// waitListening waits until something accepts connections on addr.
func waitListening(t *testing.T, addr string) {
	t.Helper()
	require.Eventually(t, func() bool {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return false
		}
		return conn.Close() == nil
	}, processTimeout, 20*time.Millisecond, "nothing listens on %s after %v", addr, processTimeout)
}

// TestDocArticleDiffs runs the diffs the doc shows between the article's programs and chapter 1's
// (diff -u, with the paths as labels instead of the files' times) and compares them with the
// doc's blocks: change either program and the doc must change with it.
func TestDocArticleDiffs(t *testing.T) {
	docsnippet.CompareOutput(t, doc, "ch01-article-server-diff",
		diff(t, "ch01-netrpc/article/server/main.go", "ch01-netrpc/cmd/server/main.go"))
	docsnippet.CompareOutput(t, doc, "ch01-article-client-diff",
		diff(t, "ch01-netrpc/article/client/main.go", "ch01-netrpc/cmd/client/main.go"))
}

// diff returns what diff -u prints for two files of the module, named by their paths.
func diff(t *testing.T, from, to string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), processTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "diff", "-u", "--label", from, "--label", to, from, to)
	cmd.Dir = ".."
	out, err := cmd.Output()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "diff exits 1 when the files differ")
	require.Equal(t, 1, exit.ExitCode(), "diff failed: %s", exit.Stderr)
	return string(out)
}
