package solutions_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves a goroutine behind, such as an old connection's
// reader that nobody closed after a redial.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
