package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"text/template"
	"time"
)

// Render writes the markdown.
func (d Doc) Render() ([]byte, error) {
	var buf bytes.Buffer
	if err := page.Execute(&buf, d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

//go:embed performance.md.tmpl
var pageText string

var page = template.Must(template.New("performance.md").Funcs(funcs).Parse(pageText))

// funcs are the template functions of the page and of the figures quoted elsewhere (quotes.go).
var funcs = template.FuncMap{
	"ratio":  func(s Spread) string { return fmtRatio(s) },
	"us":     func(ns float64) string { return fmt.Sprintf("%.1f µs", ns/1000) },
	"ns":     func(ns float64) string { return fmt.Sprintf("%.0f ns", ns) },
	"f0":     func(v float64) string { return fmt.Sprintf("%.0f", v) },
	"f1":     func(v float64) string { return fmt.Sprintf("%.1f", v) },
	"pct":    func(v float64) string { return fmt.Sprintf("%.0f%%", v*100) },
	"spread": func(s Spread, format string) string { return fmtSpread(s, format) },
	"yes":    func(b bool) string { return map[bool]string{true: "met", false: "**missed**"}[b] },
	"short":  shortName,
	"dur":    func(d time.Duration) string { return d.Round(time.Millisecond).String() },
	"msd":    func(d time.Duration) string { return fmt.Sprintf("%.1f ms", ms(d)) },
	"list":   func(s ...string) []string { return s },
	"owners": fmtOwners,
	"sub":    func(a, b float64) float64 { return a - b },
	"f2":     func(v float64) string { return fmt.Sprintf("%.2f", v) },
	// n is a profile-derived count: below one allocation it is within the profiles' error.
	"n": func(v float64) string {
		if v < 0.5 {
			return "none measurable"
		}
		return fmt.Sprintf("%.0f", v)
	},
	"signed":          func(v float64) string { return fmt.Sprintf("%+.0f", v) },
	"instrumentation": instrumentationOf,
	"verdict":         verdict,
	"float":           func(n int) float64 { return float64(n) },
}

func fmtRatio(s Spread) string {
	if s.N <= 1 || s.Min == s.Max {
		return fmt.Sprintf("%.2f×", s.Median)
	}
	return fmt.Sprintf("%.2f× (%.2f–%.2f)", s.Median, s.Min, s.Max)
}

func fmtSpread(s Spread, format string) string {
	if s.N <= 1 || s.Min == s.Max {
		return fmt.Sprintf(format, s.Median)
	}
	return fmt.Sprintf(format+" ("+format+"–"+format+")", s.Median, s.Min, s.Max)
}

// fmtOwners lists a profile's owners with their shares, the largest first, leaving out those
// under 1%.
func fmtOwners(p Profile) string {
	var parts []string
	for _, o := range p.Owners {
		if o.Share >= 0.01 {
			parts = append(parts, fmt.Sprintf("%s %.0f%%", o.Name, o.Share*100))
		}
	}
	return strings.Join(parts, ", ")
}
