package alerts_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
