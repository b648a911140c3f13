package docsnippet

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// normalizers replace what differs from run to run with a placeholder, in this order.
var normalizers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\b[0-9a-f]{32}\b`), "<trace-id>"},
	{regexp.MustCompile(`\b[0-9a-f]{16}\b`), "<span-id>"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?`), "<time>"},
	{regexp.MustCompile(`(127\.0\.0\.1|localhost|\[::1?\]|0\.0\.0\.0):\d+`), "$1:<port>"},
	{regexp.MustCompile(`\b\d+m\d+(\.\d+)?s\b`), "<duration>"},
	{regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|us|ms|s|m|h)\b`), "<duration>"},
	{regexp.MustCompile(`█+`), "█"},
	{regexp.MustCompile(`[ \t]+`), " "},
}

// Normalize returns output with trace IDs, span IDs, timestamps, loopback ports and durations
// replaced by placeholders, runs of bar characters (a waterfall's) and of blanks collapsed to
// one, trailing blanks and trailing empty lines removed: what a reader may see differ between
// two runs of the same command.
func Normalize(output string) string {
	lines := strings.Split(output, "\n")
	for i, line := range lines {
		for _, n := range normalizers {
			line = n.re.ReplaceAllString(line, n.with)
		}
		lines[i] = strings.TrimRight(line, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// Matches reports whether output, normalised, is what the doc shows, normalised. A line of the
// doc that is "…" or starts with "… " (a note such as "… (trimmed)") stands for any number of
// lines, so a doc can shorten long output honestly.
func Matches(doc, output string) bool {
	return matchLines(strings.Split(Normalize(doc), "\n"), strings.Split(Normalize(output), "\n"))
}

func matchLines(want, got []string) bool {
	for len(want) > 0 {
		w := strings.TrimLeft(want[0], " ")
		if w == "…" || strings.HasPrefix(w, "… ") {
			for skip := 0; skip <= len(got); skip++ {
				if matchLines(want[1:], got[skip:]) {
					return true
				}
			}
			return false
		}
		if len(got) == 0 || want[0] != got[0] {
			return false
		}
		want, got = want[1:], got[1:]
	}
	return len(got) == 0
}

// FindBlock returns the block named name by a run or output marker of the markdown file doc.
func FindBlock(t testing.TB, doc, name string) Block {
	t.Helper()
	md, err := os.ReadFile(doc)
	require.NoError(t, err)
	blocks, _ := Blocks(string(md)) // a missing marker elsewhere is the doc test's business
	for _, b := range blocks {
		if b.Name == name {
			return b
		}
	}
	require.FailNow(t, "no such block", "%s has no <!-- run: %s --> or <!-- output: %s --> block", doc, name, name)
	return Block{}
}

// CompareOutput checks that got, the output a test just produced by running what the block
// named name shows, matches the block of the doc (after Normalize, with "…" lines skipping any
// number of lines), and the same block of the doc's Chinese edition in docs/zh/ if it exists.
// It returns the block, whose Commands a test may run.
func CompareOutput(t testing.TB, doc, name, got string) Block {
	t.Helper()
	b := FindBlock(t, doc, name)
	docs := []string{doc}
	if zh := ChineseEdition(doc); fileExists(zh) {
		docs = append(docs, zh)
	}
	for _, d := range docs {
		b := FindBlock(t, d, name)
		if !Matches(b.Output, got) {
			assert.Fail(t, "the doc's output is not what the command prints",
				"%s:%d (%s block %q)\n--- the doc shows (normalised):\n%s\n--- the command printed (normalised):\n%s\n--- the command printed:\n%s",
				d, b.Line, b.Kind, name, Normalize(b.Output), Normalize(got), got)
		}
	}
	return b
}

// Transcript formats commands and what they printed the way a console block shows them: each
// command after a "$ " prompt, its output below.
func Transcript(steps ...[2]string) string {
	var b strings.Builder
	for _, s := range steps {
		fmt.Fprintf(&b, "$ %s\n%s", s[0], s[1])
		if s[1] != "" && !strings.HasSuffix(s[1], "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
