package docsnippet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every shell block of a doc (```console, ```sh, ```bash, ```shell) carries one of three markers
// on the line before it:
//
//	<!-- run: name -->       a test runs the block's commands (its leading "$ " lines) and
//	                         compares what they print with the rest of the block
//	<!-- output: name -->    the whole block is output that a test compares (for a command
//	                         shown in a block of its own, or a log another terminal prints)
//	<!-- not run: reason --> no test runs it, and the reason says why (Docker, a real backend
//	                         only the e2e tests start, a benchmark, go test itself)
//
// The comparison is CompareOutput's, after Normalize; a test file must call
// docsnippet.CompareOutput with the name as a string literal, which CheckCommands verifies, so
// a block named by a marker and checked by no test fails the doc's test.
var (
	runRE    = regexp.MustCompile(`^<!-- (run|output): (\S+) -->$`)
	notRunRE = regexp.MustCompile(`^<!-- not run: \S.* -->$`)
	shellRE  = regexp.MustCompile("^```(console|sh|bash|shell)\\s*$")
)

// Block is a shell or output block named by a run or output marker.
type Block struct {
	// Kind is "run" or "output".
	Kind, Name string
	// Commands are a run block's leading command lines, without the "$ " prompt.
	Commands []string
	// Output is what the commands print as the doc shows it: a run block after its command
	// lines, an output block whole.
	Output string
	// Line is the marker's line, for messages.
	Line int
}

// Blocks returns the named blocks of markdown and an error for each shell block without a
// marker.
func Blocks(markdown string) ([]Block, error) {
	lines := strings.Split(markdown, "\n")
	var blocks []Block
	var problems []error
	inFence := false
	for i, line := range lines {
		if strings.HasPrefix(line, "```") && inFence {
			inFence = line != "```"
			continue
		}
		if strings.HasPrefix(line, "```") {
			inFence = true
		}
		if m := runRE.FindStringSubmatch(line); m != nil {
			end, err := closingFence(lines, i)
			if err != nil {
				problems = append(problems, err)
				continue
			}
			blocks = append(blocks, newBlock(m[1], m[2], lines[i+2:end], i+1))
			continue
		}
		if shellRE.MatchString(line) {
			prev := ""
			if i > 0 {
				prev = lines[i-1]
			}
			if !runRE.MatchString(prev) && !notRunRE.MatchString(prev) {
				problems = append(problems, fmt.Errorf("line %d: a shell block needs <!-- run: name -->, <!-- output: name --> or <!-- not run: reason --> on the line before it", i+1))
			}
		}
	}
	return blocks, errors.Join(problems...)
}

func newBlock(kind, name string, lines []string, line int) Block {
	b := Block{Kind: kind, Name: name, Line: line}
	if kind == "run" {
		for len(lines) > 0 && strings.HasPrefix(lines[0], "$ ") {
			cmd := strings.TrimPrefix(lines[0], "$ ")
			lines = lines[1:]
			for strings.HasSuffix(cmd, `\`) && len(lines) > 0 {
				cmd = strings.TrimRight(strings.TrimSuffix(cmd, `\`), " ") + " " + strings.TrimSpace(lines[0])
				lines = lines[1:]
			}
			b.Commands = append(b.Commands, cmd)
		}
	}
	b.Output = strings.Join(lines, "\n")
	return b
}

// CheckCommands returns an error for each shell block of the markdown file docPath without a
// marker, for a name used twice, and for each run or output block that no test compares: a
// test file under root must call docsnippet.CompareOutput with its name as a string literal.
func CheckCommands(root, docPath string) error {
	doc, err := os.ReadFile(docPath)
	if err != nil {
		return err
	}
	blocks, err := Blocks(string(doc))
	problems := []error{err}
	checked, err := comparedNames(root)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, b := range blocks {
		if seen[b.Name] {
			problems = append(problems, fmt.Errorf("line %d: the name %q is used twice", b.Line, b.Name))
		}
		seen[b.Name] = true
		if !checked[b.Name] {
			problems = append(problems, fmt.Errorf("line %d: no test calls docsnippet.CompareOutput(t, …, %q, …): run the block's command in a test, or mark it <!-- not run: reason -->", b.Line, b.Name))
		}
	}
	if err := errors.Join(problems...); err != nil {
		return fmt.Errorf("%s: %w", docPath, err)
	}
	return nil
}

// comparers are the functions whose third argument names a block they compare with real output.
var comparers = map[string]bool{"CompareOutput": true, "RunLikeTheDoc": true}

// comparedNames returns the names that the test files under root pass to CompareOutput (or
// RunLikeTheDoc), whatever
// their build tags (the e2e tests count: they are the ones that can reach the real backends).
func comparedNames(root string) (map[string]bool, error) {
	names := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "tools" || d.Name() == "bin") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) < 3 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || !comparers[sel.Sel.Name] {
				return true
			}
			if lit, ok := call.Args[2].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if name, err := strconv.Unquote(lit.Value); err == nil {
					names[name] = true
				}
			}
			return true
		})
		return nil
	})
	return names, err
}

// GoRun splits a doc's "go run" command line, such as
// "OTEL_TRACES_SAMPLER=always_off go run ./ch02-tracing-basics/cmd/otelsdk -a 4", into its
// environment assignments, its package and the program's arguments, so a test can run exactly
// what the doc shows, in process or as a built binary. Arguments are split at blanks: the
// commands it is used on quote nothing.
func GoRun(command string) (env []string, pkg string, args []string, err error) {
	fields := strings.Fields(command)
	for len(fields) > 0 && strings.Contains(fields[0], "=") {
		env, fields = append(env, fields[0]), fields[1:]
	}
	if len(fields) < 3 || fields[0] != "go" || fields[1] != "run" {
		return nil, "", nil, fmt.Errorf("%q is not a go run command", command)
	}
	return env, fields[2], fields[3:], nil
}

// RunLikeTheDoc runs a program's run function the way the doc's "go run" block name shows it —
// the block must run pkg; the environment it sets is set for the test, its arguments are
// passed — and compares what run prints with the block (see CompareOutput).
func RunLikeTheDoc(t *testing.T, doc, name, pkg string, run func(ctx context.Context, args []string, out io.Writer) error) {
	t.Helper()
	env, gotPkg, args, err := GoRun(FindBlock(t, doc, name).Commands[0])
	require.NoError(t, err)
	require.Equal(t, pkg, gotPkg, "the block runs another program")
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), args, &out))
	CompareOutput(t, doc, name, out.String())
}
