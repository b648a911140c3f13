package exercise

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
)

// Outcome is what running an exercise's check came to.
type Outcome int

const (
	// Passed: every assertion of the check held.
	Passed Outcome = iota
	// Failed: the code compiled and the check found something missing or wrong.
	Failed
	// Broken: the check could not run (the code does not compile, or no test ran).
	Broken
	// Panicked: the code compiled and crashed the check; the panic's stack says where.
	Panicked
)

func (o Outcome) String() string {
	return [...]string{"passed", "failed", "broken", "panicked"}[o]
}

// Run runs ex's check with go test from root (the module root, absolute), with the solution's
// files in place of the stub's when withSolution is set. go test's output goes to out as it comes
// and is returned too.
func Run(ctx context.Context, root string, ex Exercise, withSolution bool, out io.Writer) (Outcome, string, error) {
	args := []string{"test", "-tags", Tag, "-count=1"}
	if withSolution {
		overlay, err := Overlay(root, ex)
		if err != nil {
			return Broken, "", err
		}
		f, err := os.CreateTemp("", "exercise-overlay-*.json")
		if err != nil {
			return Broken, "", err
		}
		defer os.Remove(f.Name())
		if _, err := f.Write(overlay); err != nil {
			f.Close()
			return Broken, "", err
		}
		if err := f.Close(); err != nil {
			return Broken, "", err
		}
		args = append(args, "-overlay", f.Name())
	}
	args = append(args, ex.Package())
	var buf bytes.Buffer
	cmd := exec.CommandContext(ctx, goCommand(), args...)
	cmd.Dir = root
	cmd.Stdout = io.MultiWriter(&buf, out)
	cmd.Stderr = cmd.Stdout
	err := cmd.Run()
	return classify(buf.String(), err), buf.String(), nil
}

// classify tells a check that ran and failed from one that crashed and from one that never ran: a
// learner who broke the build, or whose code panics, needs a different next step from one whose
// span lacks an attribute.
func classify(output string, runErr error) Outcome {
	switch {
	case strings.Contains(output, "[build failed]"), strings.Contains(output, "[setup failed]"),
		strings.Contains(output, "no test files"), strings.Contains(output, "[no tests to run]"):
		return Broken
	case runErr == nil:
		return Passed
	case strings.Contains(output, "panic: "):
		return Panicked
	case strings.Contains(output, "--- FAIL"):
		return Failed
	default:
		return Broken
	}
}

// goCommand is the go command to run: $GO when set (make passes its own), else go on the PATH.
func goCommand() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}
