// Command perfdoc writes docs/performance.md and its charts from a `make bench` run's results
// (perf/results): the benchmarks' output, chainbench's report, benchstat's comparison and the
// profiles' summaries; and it rewrites the figures other pages of docs/ quote from the run
// (written <!--perf: EXPR -->figure<!--/perf-->). With -check it writes nothing and fails if
// the page, a chart or a quoted figure would change.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/rpc-tracing/workbook/perf/report"
)

func main() {
	results := flag.String("results", "perf/results", "directory with the run's results")
	docs := flag.String("docs", "docs", "directory the page goes to (its charts go to DOCS/perf)")
	check := flag.Bool("check", false, "write nothing; fail if anything would change")
	flag.Parse()
	if err := run(*results, *docs, *check); err != nil {
		fmt.Fprintln(os.Stderr, "perfdoc:", err)
		os.Exit(1)
	}
}

func run(results, docs string, check bool) error {
	files, err := report.Generate(results, docs)
	if err != nil {
		return err
	}
	if check {
		return report.Check(docs, files)
	}
	return report.Write(docs, files)
}
