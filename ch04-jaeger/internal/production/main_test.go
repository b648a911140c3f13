//go:build !e2e

package production

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks for leaked goroutines. Built with the e2e tag, production_test.go has the
// package's TestMain instead, so this one exists only without it.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
