package exercise_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/exercise"
)

// checkT is the part of a *testing.T that NoLeaks uses, recorded: its cleanups run at end, in
// the order the testing package runs them (last registered, first run).
type checkT struct {
	testing.TB
	cleanups []func()
	errors   []string
}

func (c *checkT) Helper()                   {}
func (c *checkT) Cleanup(f func())          { c.cleanups = append(c.cleanups, f) }
func (c *checkT) Errorf(f string, a ...any) { c.errors = append(c.errors, fmt.Sprintf(f, a...)) }

func (c *checkT) end() {
	for i := len(c.cleanups) - 1; i >= 0; i-- {
		c.cleanups[i]()
	}
}

func TestNoLeaksFailsACheckThatLeavesAGoroutine(t *testing.T) {
	c := &checkT{}
	exercise.NoLeaks(c)
	stop := make(chan struct{})
	defer close(stop)
	go func() { <-stop }()
	c.end()
	require.Len(t, c.errors, 1)
	assert.Contains(t, c.errors[0], "TestNoLeaksFailsACheckThatLeavesAGoroutine")
	assert.Contains(t, c.errors[0], "hint: close what your code opens")
}

func TestNoLeaksRunsAfterTheChecksOwnCleanups(t *testing.T) {
	c := &checkT{}
	exercise.NoLeaks(c)
	stop := make(chan struct{})
	go func() { <-stop }()
	c.Cleanup(func() { close(stop) }) // a check's server, stopped by a cleanup it registered later
	c.end()
	assert.Empty(t, c.errors)
}
