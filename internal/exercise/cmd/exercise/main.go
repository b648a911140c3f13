// Command exercise checks the workbook's exercises: `exercise check ch02/operands` runs one
// exercise's check against the learner's stub and says what is left to do; `exercise verify`
// proves every untouched stub fails its check and every reference solution passes it; `exercise
// list` prints the exercises. The Makefile's `make exercise EX=…` and `make exercises-verify` run it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/rpc-tracing/workbook/internal/exercise"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: exercise check chNN/name | verify | list")
	}
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	root, err := filepath.Abs(".")
	if err != nil {
		return err
	}
	all, err := exercise.Discover(root)
	if err != nil {
		return err
	}
	switch flag.Arg(0) {
	case "check":
		if flag.NArg() != 2 {
			return errors.New("usage: exercise check chNN/name (e.g. make exercise EX=ch02/operands)")
		}
		return check(ctx, root, all, flag.Arg(1))
	case "verify":
		return verify(ctx, root, all)
	case "list":
		for _, ex := range all {
			fmt.Printf("%-22s edit %s/, check with: make exercise EX=%s\n", ex.ID, ex.Stub, ex.ID)
		}
		return nil
	default:
		flag.Usage()
		return errors.New("unknown or missing command")
	}
}

// check runs one exercise against the learner's code and ends with one line that says where
// they stand.
func check(ctx context.Context, root string, all []exercise.Exercise, id string) error {
	ex, err := exercise.Find(all, id)
	if err != nil {
		return err
	}
	fmt.Printf("# checking %s: go test -tags %s %s\n", ex.ID, exercise.Tag, ex.Package())
	outcome, _, err := exercise.Run(ctx, root, ex, false, os.Stdout)
	if err != nil {
		return err
	}
	switch outcome {
	case exercise.Passed:
		fmt.Printf("\n✓ %s is done. Next: %s\n", ex.ID, exercise.Next(all, ex))
		return nil
	case exercise.Failed:
		return fmt.Errorf("\n✗ %s is not done yet: each message above says what the check expected and gives a hint.\n"+
			"  Edit the files in %s/ and run make exercise EX=%s again. (The answer is in %s/, when you want it.)",
			ex.ID, ex.Stub, ex.ID, ex.Solution)
	case exercise.Panicked:
		return fmt.Errorf("\n✗ %s crashed: your code panicked. The line after \"panic:\" above says what, and the first\n"+
			"  stack line in %s/ says where. Return an error for that case instead (a panic in a server's\n"+
			"  method stops the whole server), then run make exercise EX=%s again", ex.ID, ex.Stub, ex.ID)
	default:
		return fmt.Errorf("\n✗ %s could not be checked: the code in %s/ does not compile (see above); fix that first", ex.ID, ex.Stub)
	}
}

// verify proves the exercises honest: an untouched stub must fail its check (else the exercise
// can be passed by doing nothing), and the stub with the solution's files in its place must pass
// (else the check or the solution is wrong).
func verify(ctx context.Context, root string, all []exercise.Exercise) error {
	if len(all) == 0 {
		return errors.New("no exercises found under ch*/exercises/")
	}
	var problems []error
	for _, ex := range all {
		stub, stubOut, err := exercise.Run(ctx, root, ex, false, io.Discard)
		if err != nil {
			return err
		}
		solved, solvedOut, err := exercise.Run(ctx, root, ex, true, io.Discard)
		if err != nil {
			return err
		}
		fmt.Printf("%-22s untouched stub: %-6s  with the solution: %s\n", ex.ID, stub, solved)
		if stub != exercise.Failed {
			problems = append(problems, fmt.Errorf("%s: the untouched stub must compile and fail its check, but it %s:\n%s", ex.ID, stub, stubOut))
		}
		if solved != exercise.Passed {
			problems = append(problems, fmt.Errorf("%s: the reference solution in %s must pass the learner's check, but it %s:\n%s", ex.ID, ex.Solution, solved, solvedOut))
		}
	}
	if len(problems) > 0 {
		return errors.Join(problems...)
	}
	fmt.Printf("all %d exercises are honest: every stub fails, every solution passes\n", len(all))
	return nil
}
