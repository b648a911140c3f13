//go:build e2e

package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch05-monitoring/monitor"
)

const promtool = bin + "/promtool"

// TestPromtool runs, in ch05-monitoring/prometheus, the checks and the rule unit tests a reader
// runs by hand, as the docs show them: the configuration and the rule files are valid, and every
// test in alerts_test.yml passes. promtool's output is in the failure message.
func TestPromtool(t *testing.T) {
	if _, err := os.Stat(promtool); err != nil {
		t.Fatalf("bin/promtool is missing: run `make backends` (an end-to-end test fails without its backend): %v", err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"check config", []string{"check", "config", "prometheus.yml"}, "is valid prometheus config file syntax"},
		{"check rules", []string{"check", "rules", "rules/red.rules.yml", "rules/alerts.rules.yml"}, "SUCCESS: 3 rules found"},
		{"test rules", []string{"test", "rules", "rules/alerts_test.yml"}, "SUCCESS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := promtoolIn(t, prometheusDir, tt.args...)
			assert.Contains(t, out, tt.want)
		})
	}
}

// promtoolIn runs promtool with args in dir and fails the test, showing the output, if it exits
// non-zero.
func promtoolIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	// promtool is relative to this directory, not to dir, where it runs.
	path, err := filepath.Abs(promtool)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "promtool %v:\n%s", args, out)
	return string(out)
}

// TestConfigScrapesEveryService checks that prometheus.yml has a job named after each service,
// scraping the /metrics address the service listens on (monitor.DefaultMetricsAddrs), one for
// Jaeger and one for the RED Jaeger computes from spans: the rules and alerts take the service's name from the job label.
func TestConfigScrapesEveryService(t *testing.T) {
	jobs := map[string]string{}
	job := regexp.MustCompile(`(?m)^\s*- job_name: (\w+).*\n\s*static_configs:\n\s*- targets: \["([^"]+)"\]`)
	for _, m := range job.FindAllStringSubmatch(read(t, "prometheus.yml"), -1) {
		jobs[m[1]] = m[2]
	}
	want := map[string]string{"jaeger": "127.0.0.1:8888", "spanmetrics": "127.0.0.1:8889"}
	for _, s := range chain.Services {
		want[s] = monitor.DefaultMetricsAddrs[s]
	}
	assert.Equal(t, want, jobs)
}

// TestEveryAlertIsTestedBothWays checks that alerts_test.yml has, for each alert of
// alerts.rules.yml, a case where it fires (a non-empty exp_alerts) and one where it does not
// (exp_alerts: []), so a new alert cannot go untested.
func TestEveryAlertIsTestedBothWays(t *testing.T) {
	alerts := regexp.MustCompile(`(?m)^\s*- alert: (\w+)$`).FindAllStringSubmatch(read(t, "rules/alerts.rules.yml"), -1)
	require.NotEmpty(t, alerts)
	tests := read(t, "rules/alerts_test.yml")
	for _, a := range alerts {
		name := a[1]
		t.Run(name, func(t *testing.T) {
			fires := regexp.MustCompile(`alertname: ` + name + `\n\s*exp_alerts:\n\s*- exp_labels:`)
			silent := regexp.MustCompile(`alertname: ` + name + `\n\s*exp_alerts: \[\]`)
			assert.True(t, fires.MatchString(tests), "alerts_test.yml has no case where %s fires", name)
			assert.True(t, silent.MatchString(tests), "alerts_test.yml has no case where %s does not fire", name)
		})
	}
}

// read returns the content of the file at path, relative to ch05-monitoring/prometheus.
func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(prometheusDir, path))
	require.NoError(t, err)
	return string(b)
}
