//go:build e2e

package alerts_test

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const promtool = "../../../bin/promtool"

// TestPromtool checks the rules and runs their unit tests, as a reader does by hand: promtool's
// verdict is the test's, and its output is in the failure message.
func TestPromtool(t *testing.T) {
	_, err := os.Stat(promtool)
	require.NoError(t, err, "bin/promtool is missing: run `make backends` (a test that needs a backend fails without it, never skips)")
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
			require.NoError(t, err, "promtool %v:\n%s", tt.args, out)
			assert.Contains(t, string(out), tt.want)
		})
	}
}

// TestEveryAlertIsTestedBothWays checks that extra_test.yml has, for each alert of
// extra.rules.yml, a case where it fires and one where it does not: promtool passes a test file
// that never mentions an alert, so this is the check that a new alert cannot go untested.
func TestEveryAlertIsTestedBothWays(t *testing.T) {
	rules, err := os.ReadFile("extra.rules.yml")
	require.NoError(t, err)
	tests, err := os.ReadFile("extra_test.yml")
	require.NoError(t, err)
	alerts := regexp.MustCompile(`(?m)^\s*- alert: (\w+)$`).FindAllSubmatch(rules, -1)
	require.Len(t, alerts, 2)
	for _, a := range alerts {
		name := string(a[1])
		t.Run(name, func(t *testing.T) {
			fires := regexp.MustCompile(`alertname: ` + name + `\n\s*exp_alerts:\n\s*- exp_labels:`)
			silent := regexp.MustCompile(`alertname: ` + name + `\n\s*exp_alerts: \[\]`)
			assert.True(t, fires.Match(tests), "no case where %s fires", name)
			assert.True(t, silent.Match(tests), "no case where %s does not fire", name)
		})
	}
}
