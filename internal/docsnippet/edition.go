package docsnippet

import (
	"fmt"
	"strings"
)

// A doc's Chinese edition in docs/zh/ translates the prose and nothing else: its fenced code
// blocks (info string and content) and its snippet, run, output and not-run marker lines are the
// English edition's, in the same order, so the generator and the command tests keep both
// editions equal to the code. CompareEditions checks that.

// editionMarkers start the marker lines that both editions must share.
var editionMarkers = []string{"<!-- snippet: ", "<!-- run: ", "<!-- output: ", "<!-- not run: "}

// skeletonItem is a fenced block (fence lines included) or a marker line of a doc, and the line
// it starts on.
type skeletonItem struct {
	Line int
	Text string
}

// skeleton returns the fenced code blocks and marker lines of markdown, in order. A fence opens
// with a line starting with ``` (after any indentation) and closes with a line that is ``` alone;
// a block never closed runs to the end of the document.
func skeleton(markdown string) []skeletonItem {
	lines := strings.Split(markdown, "\n")
	var items []skeletonItem
	for i := 0; i < len(lines); i++ {
		trimmed := strings.TrimSpace(lines[i])
		if strings.HasPrefix(trimmed, "```") {
			end := i + 1
			for end < len(lines) && strings.TrimSpace(lines[end]) != "```" {
				end++
			}
			last := min(end, len(lines)-1)
			items = append(items, skeletonItem{i + 1, strings.Join(lines[i:last+1], "\n")})
			i = last
			continue
		}
		for _, m := range editionMarkers {
			if strings.HasPrefix(trimmed, m) {
				items = append(items, skeletonItem{i + 1, lines[i]})
				break
			}
		}
	}
	return items
}

// CompareEditions returns nil when the markdown zh, a Chinese edition, has the fenced code
// blocks (info string and content) and the snippet, run, output and not-run marker lines of the
// English markdown en, in the same order. Otherwise its error shows the first block or marker
// that differs, with its line in each edition.
func CompareEditions(en, zh string) error {
	enItems, zhItems := skeleton(en), skeleton(zh)
	for i := 0; i < max(len(enItems), len(zhItems)); i++ {
		switch {
		case i >= len(zhItems):
			return fmt.Errorf("the Chinese edition lacks the block or marker at English line %d (it ends after %d of the English %d):\n%s",
				enItems[i].Line, len(zhItems), len(enItems), head(enItems[i].Text+"\n"))
		case i >= len(enItems):
			return fmt.Errorf("the English edition lacks the block or marker at Chinese line %d (it ends after %d of the Chinese %d):\n%s",
				zhItems[i].Line, len(enItems), len(zhItems), head(zhItems[i].Text+"\n"))
		case enItems[i].Text != zhItems[i].Text:
			e, z := enItems[i], zhItems[i]
			el, zl := strings.Split(e.Text, "\n"), strings.Split(z.Text, "\n")
			n := 0 // the first line that differs inside the block
			for n < min(len(el), len(zl)) && el[n] == zl[n] {
				n++
			}
			return fmt.Errorf("block or marker %d differs: English line %d, Chinese line %d (first difference at English line %d: %q, Chinese line %d: %q)\n--- English:\n%s--- Chinese:\n%s",
				i+1, e.Line, z.Line, e.Line+n, lineAt(el, n), z.Line+n, lineAt(zl, n), head(e.Text+"\n"), head(z.Text+"\n"))
		}
	}
	return nil
}

// lineAt returns lines[n], or "(end of block)" past the end.
func lineAt(lines []string, n int) string {
	if n < len(lines) {
		return lines[n]
	}
	return "(end of block)"
}
