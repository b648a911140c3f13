// Package check holds the check of chapter 5's alerts exercise. The learner's rules
// (ch05-monitoring/exercises/alerts/extra.rules.yml) and the reference solution's
// (ch05-monitoring/solutions/alerts) both go through it: `make exercise EX=ch05/alerts` against
// the stub, the solution's e2e test against the reference.
//
// The check is promtool's, not Go's: the rules must load (`promtool check rules`), and their alerts
// must fire where fanout_test.yml says and stay silent where it says (`promtool test rules`).
// promtool is built into bin/promtool by `make promtool` (or `make backends`, and `make exercise`
// when it is missing); without it the check fails and says so.
package check

import (
	"context"
	_ "embed"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rpc-tracing/workbook/internal/exercise"
)

// unitTests is the promtool test file the rules must pass. It names its rules file
// extra.rules.yml, so Rules writes the rules under that name beside it.
//
//go:embed fanout_test.yml
var unitTests []byte

// hints say, for each alert, what the check expects of it, in the words of the exercise.
var hints = map[string]string{
	"FanOutBranchSlow": "FanOutBranchSlow must fire, after 30s and not before, for the branch of a fan-out whose p99 " +
		"(from rpc_client_call_duration_seconds_bucket, per job and rpc_method) is over 250ms, with the labels " +
		"job, rpc_method and severity=\"ticket\" and no others; not for a fast branch, not for listen, which calls one method only " +
		"(count methods, not series: a failed call's status code makes a series of its own), and no longer once the branch has " +
		"been fast for minutes (a p99 of rate()s, not of the counters since the start)",
	"FanOutSaturated": "FanOutSaturated must fire, after 1m and not before, when a fan-out's calls spend more than 50ms on " +
		"average outside the callee's handler: the caller's mean call duration (rate of _sum / rate of _count) minus the " +
		"callee's, matched on rpc_method; labels job, rpc_method, severity=\"ticket\"; not for a branch that is slow only " +
		"because its callee's handler is (write: 62ms against 60ms), nor for listen, which calls one method only",
}

// Rules checks a rules file: it loads, and its two alerts fire, and stay silent, as the exercise
// asks. Each failure says which alert, when, what was expected and what came, and a hint.
func Rules(t *testing.T, rules []byte) {
	t.Helper()
	exercise.NoLeaks(t)
	promtool := findPromtool(t)
	dir := t.TempDir()
	rulesFile := filepath.Join(dir, "extra.rules.yml")
	testFile := filepath.Join(dir, "fanout_test.yml")
	if err := os.WriteFile(rulesFile, rules, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(testFile, unitTests, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := run(promtool, "check", "rules", rulesFile); err != nil {
		out = tidy(out, dir)
		t.Fatalf("your extra.rules.yml does not load in Prometheus (promtool check rules):\n%s\n"+
			"hint: promtool's message says where. A \"parse error\" at line:column is in an expression's PromQL "+
			"(the position counts inside that expr:); anything else is the file's shape: `groups:`, each group a `name:` "+
			"and `rules:`, an alert with `alert:`, `expr:`, `for:` and `labels:` (compare with "+
			"ch05-monitoring/prometheus/rules/alerts.rules.yml)", out)
	}
	out, err := run(promtool, "test", "rules", testFile)
	if err == nil {
		return
	}
	out = tidy(out, dir)
	t.Errorf("the alerts do not fire as expected (promtool test rules):\n%s", out)
	for _, name := range []string{"FanOutBranchSlow", "FanOutSaturated"} {
		if strings.Contains(out, `alertname=\"`+name+`\"`) {
			t.Errorf("%s does not fire as expected: in promtool's lines above, \"exp\" is what should fire and \"got\" what did "+
				"(nil: it never fired then; a series not in exp: it fired where it must not)\nhint: %s", name, hints[name])
		}
	}
}

// run runs promtool and returns what it printed.
func run(promtool string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, promtool, args...).CombinedOutput()
	return string(out), err
}

// tidy makes promtool's output about the reader's file: paths in the check's temporary folder
// lose the folder (extra.rules.yml is the file beside alerts.go), and promtool's warnings, which
// are about how the check runs it rather than about the rules, are dropped, as is a line said
// twice in a row.
func tidy(out, dir string) string {
	out = strings.ReplaceAll(out, dir+string(filepath.Separator), "")
	var kept []string
	for _, line := range strings.Split(out, "\n") {
		repeated := len(kept) > 0 && kept[len(kept)-1] == line
		if !strings.Contains(line, "level=WARN") && !repeated {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}

// findPromtool returns bin/promtool of the module the test runs in, or fails the test saying how
// to build it.
func findPromtool(t *testing.T) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	promtool := filepath.Join(root, "bin", "promtool")
	if _, err := os.Stat(promtool); err != nil {
		t.Fatalf("%s is missing: this exercise is checked by Prometheus's promtool; build it with `make promtool` (a few minutes the first time)", promtool)
	}
	return promtool
}

// moduleRoot walks up from the working directory to the folder holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
