package check

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestEveryAlertIsCheckedBothWays: promtool passes a test file that never mentions an alert, so
// this is what keeps the check from passing rules that leave one alert out or fire it too early.
func TestEveryAlertIsCheckedBothWays(t *testing.T) {
	for name := range hints {
		t.Run(name, func(t *testing.T) {
			query := `expr: ALERTS\{alertname="` + name + `", alertstate="firing"\}\n\s*eval_time: \w+\n\s*exp_samples:`
			fires := regexp.MustCompile(query + `\n\s*- labels: 'ALERTS\{alertname="` + name + `",alertstate="firing",job="speak",`)
			silent := regexp.MustCompile(query + ` \[\]`)
			assert.True(t, fires.Match(unitTests), "no case where %s must fire", name)
			assert.True(t, silent.Match(unitTests), "no case where %s must not fire yet", name)
		})
	}
}
