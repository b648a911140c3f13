package launch_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/launch"
)

// sh starts a shell script as the process under test.
func sh(t *testing.T, script string) *launch.Proc {
	t.Helper()
	p, err := launch.Start("script", "/bin/sh", []string{"-c", script}, nil, nil)
	require.NoError(t, err)
	return p
}

// ready starts a script and waits for its "ready" line.
func ready(t *testing.T, script string) *launch.Proc {
	t.Helper()
	p := sh(t, script)
	_, err := p.WaitForLog(withTimeout(t), regexp.MustCompile(`ready`))
	require.NoError(t, err)
	return p
}

func withTimeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestWaitForLogThenStopGracefully(t *testing.T) {
	p := sh(t, `trap 'echo bye; exit 0' TERM; echo "msg=serving addr=127.0.0.1:1234"; while :; do sleep 0.05; done`)
	m, err := p.WaitForLog(withTimeout(t), regexp.MustCompile(`addr=(\S+)`))
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:1234", m[1])
	require.NoError(t, p.Stop(5*time.Second))
	assert.Contains(t, p.Logs(), "bye")
}

func TestWaitForLogFailsWhenTheProcessExitsFirst(t *testing.T) {
	p := sh(t, `echo "address already in use" >&2; exit 1`)
	_, err := p.WaitForLog(withTimeout(t), regexp.MustCompile(`serving`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "address already in use")
	assert.Error(t, p.Stop(time.Second), "it exited with status 1")
}

func TestStopKillsAProcessThatIgnoresSIGTERM(t *testing.T) {
	p := ready(t, `trap '' TERM; echo ready; while :; do sleep 0.05; done`)
	err := p.Stop(200 * time.Millisecond)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "killed")
}

func TestWaitHealthy(t *testing.T) {
	healthy := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if !healthy {
			healthy = true // the second poll succeeds
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	p := ready(t, `trap 'exit 0' TERM; echo ready; while :; do sleep 0.05; done`)
	require.NoError(t, p.WaitHealthy(withTimeout(t), srv.URL))
	require.NoError(t, p.Stop(5*time.Second))
}

func TestGroupStopsEverything(t *testing.T) {
	var g launch.Group
	for range 3 {
		// Each script must have installed its trap before SIGTERM arrives, or the shell dies
		// of the signal instead of exiting 0: wait for the line it prints after the trap.
		g.Add(ready(t, `trap 'exit 0' TERM; echo ready; while :; do sleep 0.05; done`))
	}
	require.NoError(t, g.StopAll(5*time.Second))
}

func TestPauseFreezesUntilResume(t *testing.T) {
	// The script counts every 50 ms: from tick 1 to tick 20 takes it most of a second of
	// running, which it does not get while paused.
	p := ready(t, `trap 'exit 0' TERM; echo ready; i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.05; done`)
	_, err := p.WaitForLog(withTimeout(t), regexp.MustCompile(`tick 1\b`))
	require.NoError(t, err)
	require.NoError(t, p.Pause())
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = p.WaitForLog(ctx, regexp.MustCompile(`tick 20\b`))
	require.ErrorIs(t, err, context.DeadlineExceeded, "a paused process writes nothing")
	require.NoError(t, p.Resume())
	_, err = p.WaitForLog(withTimeout(t), regexp.MustCompile(`tick 20\b`))
	require.NoError(t, err)
	require.NoError(t, p.Stop(5*time.Second))
}
