package report

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"
)

// A figure another page quotes from the run is written between two comments, the first holding
// the template expression (the page template's, evaluated on the same Doc) that makes it:
//
//	| untraced | <!--perf: us (.Row "BenchmarkUnary/mode=untraced").Time.Median -->52.2 µs<!--/perf--> |
//
// Markdown shows only the figure. perfdoc rewrites every such figure in docs/ (the Chinese
// edition too) from the run, and its check fails when one differs, so a quoted figure cannot go
// stale.
var quoteRE = regexp.MustCompile(`<!--perf: (.+?) -->(.*?)<!--/perf-->`)

// quoted returns markdown with every quoted figure made from d, and how many there are.
func (d Doc) quoted(markdown string) (string, int, error) {
	var errs []error
	n := 0
	out := quoteRE.ReplaceAllStringFunc(markdown, func(m string) string {
		n++
		expr := quoteRE.FindStringSubmatch(m)[1]
		t, err := template.New("quote").Funcs(funcs).Parse("{{" + expr + "}}")
		if err != nil {
			errs = append(errs, err)
			return m
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, d); err != nil {
			errs = append(errs, err)
			return m
		}
		if strings.Contains(buf.String(), "<no value>") || buf.Len() == 0 {
			errs = append(errs, fmt.Errorf("report: %q makes nothing", expr))
			return m
		}
		return "<!--perf: " + expr + " -->" + buf.String() + "<!--/perf-->"
	})
	if len(errs) > 0 {
		return "", 0, fmt.Errorf("%v", errs)
	}
	return out, n, nil
}

// Quotes returns the pages under docs (their paths relative to it) that quote figures of the
// run, with the figures made from d.
func (d Doc) Quotes(docs string) (Files, error) {
	files := Files{}
	err := filepath.WalkDir(docs, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, ".md") || filepath.Base(path) == "performance.md" {
			return err
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out, n, err := d.quoted(string(text))
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if n > 0 {
			rel, _ := filepath.Rel(docs, path)
			files[rel] = []byte(out)
		}
		return nil
	})
	return files, err
}
