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

// TestNoLeaksFailsACheckThatLeavesAGoroutine leaves a goroutine blocked in two ways a learner's
// code often does, and expects a failure that names the goroutine and a hint for its state.
func TestNoLeaksFailsACheckThatLeavesAGoroutine(t *testing.T) {
	tests := []struct {
		name string
		// leave starts a goroutine that stays blocked, and returns what unblocks it.
		leave func() (release func())
		hint  string
	}{
		{"a send nobody receives", func() func() {
			results := make(chan int)
			go func() { results <- 1 }()
			return func() { <-results }
		}, "hint: it is blocked sending on a channel that nobody receives from any more"},
		{"a receive nothing wakes", func() func() {
			stop := make(chan struct{})
			go func() { <-stop }()
			return func() { close(stop) }
		}, "hint: it waits on a channel that nothing will send on or close"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &checkT{}
			exercise.NoLeaks(c)
			release := tc.leave()
			defer release()
			c.end()
			require.Len(t, c.errors, 1)
			assert.Contains(t, c.errors[0], "TestNoLeaksFailsACheckThatLeavesAGoroutine")
			assert.Contains(t, c.errors[0], tc.hint)
		})
	}
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
