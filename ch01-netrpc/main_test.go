package ch01netrpc_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves a goroutine behind, such as the one that waits
// for a process to exit.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
