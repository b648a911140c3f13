//go:build e2e

package alerts_test

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch05-monitoring/exercises/alerts/check"
	"github.com/rpc-tracing/workbook/ch05-monitoring/solutions/alerts"
)

// TestTheFanOutAlerts runs the exercise's check on the reference rules.
func TestTheFanOutAlerts(t *testing.T) { check.Rules(t, alerts.Rules) }

// TestPromtool checks the rules and runs their own unit tests, extra_test.yml, as a reader does by
// hand: promtool's verdict is the test's, and its output is in the failure message.
func TestPromtool(t *testing.T) {
	const promtool = "../../../bin/promtool"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"check rules", []string{"check", "rules", "extra.rules.yml"}, "SUCCESS: 6 rules found"},
		{"test rules", []string{"test", "rules", "extra_test.yml"}, "SUCCESS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			out, err := exec.CommandContext(ctx, promtool, tt.args...).CombinedOutput()
			require.NoError(t, err, "promtool %v (build it with `make promtool`):\n%s", tt.args, out)
			assert.Contains(t, string(out), tt.want)
		})
	}
}
