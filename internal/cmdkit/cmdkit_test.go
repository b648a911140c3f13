package cmdkit_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/cmdkit"
)

func TestServeRunsOnLoopbackUntilStopped(t *testing.T) {
	addr, stop, err := cmdkit.Serve(context.Background(), func(ctx context.Context, ln net.Listener) error {
		go func() { <-ctx.Done(); ln.Close() }()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return ctx.Err()
			}
			conn.Close()
		}
	})
	require.NoError(t, err)
	host, _, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1", host)
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	conn.Close()
	assert.ErrorIs(t, stop(), context.Canceled, "stop returns what serve returned")
}

func TestLoggerDropsTimeAndLevel(t *testing.T) {
	var buf bytes.Buffer
	cmdkit.Logger(&buf).Error("handled", "trace_id", "abc")
	assert.Equal(t, "msg=handled trace_id=abc\n", buf.String())
}

func TestSidesTagWholeLines(t *testing.T) {
	var buf bytes.Buffer
	sides := cmdkit.Sides(&buf, "client", "server")
	var wg sync.WaitGroup
	for i, w := range sides {
		wg.Go(func() {
			for range 100 {
				fmt.Fprintf(w, "line from %d\n", i)
			}
		})
	}
	wg.Wait()
	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	require.Len(t, lines, 200)
	for _, l := range lines {
		assert.Regexp(t, `^(client line from 0|server line from 1)$`, string(l))
	}
}

func TestOutputWritesTheFileOrStdout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "spans.json")
	w, closeFile, err := cmdkit.Output(path)
	require.NoError(t, err)
	_, err = fmt.Fprint(w, "{}")
	require.NoError(t, err)
	require.NoError(t, closeFile())
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "{}", string(got))

	w, closeStdout, err := cmdkit.Output("")
	require.NoError(t, err)
	assert.Equal(t, os.Stdout, w)
	require.NoError(t, closeStdout())

	_, _, err = cmdkit.Output(filepath.Join(t.TempDir(), "missing", "dir", "spans.json"))
	require.Error(t, err)
}

// TestRunReportsTheErrorAndTheStatus: a body that succeeds gives status 0 and prints nothing; one
// that fails gives 1 and prints "name: error".
func TestRunReportsTheErrorAndTheStatus(t *testing.T) {
	var stderr bytes.Buffer
	ran := false
	assert.Equal(t, 0, cmdkit.Run("prog", &stderr, func(ctx context.Context) error {
		ran = true
		return ctx.Err()
	}))
	assert.True(t, ran)
	assert.Empty(t, stderr.String())
	assert.Equal(t, 1, cmdkit.Run("prog", &stderr, func(context.Context) error { return errors.New("boom") }))
	assert.Equal(t, "prog: boom\n", stderr.String())
}
