//go:build e2e

package uitest

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestJaegerUIShowsTheChain loads the Jaeger UI in headless Chromium, as a reader opens it after
// make demo, and checks what a person sees: the trace page of a normal request with its five
// services and nine spans, the failing request's trace with the failing span marked, and the
// edge service's traces in Search. Without Chromium or the built UI it fails, saying how to get
// them.
func TestJaegerUIShowsTheChain(t *testing.T) {
	ctx := context.Background()
	c := started(t, StartChain)

	normal, status, err := c.Study(ctx, "")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status)
	failing, status, err := c.Study(ctx, "?fail=write")
	require.NoError(t, err)
	require.Equal(t, http.StatusBadGateway, status)
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	require.NoError(t, c.WaitForSpans(waitCtx, normal, 9))
	// A failing write may cancel read before it runs: five spans at least (see the demo).
	require.NoError(t, c.WaitForSpans(waitCtx, failing, 5))

	t.Run("the trace page shows five services and nine spans", func(t *testing.T) {
		dom := load(t, c.UI()+"/trace/"+normal)
		text := Text(dom)
		assert.Regexp(t, `\bServices 5\b`, text)
		assert.Regexp(t, `\bTotal Spans 9\b`, text)
		rs := rows(dom)
		assert.Len(t, rs, 9, "one timeline row per span")
		seen := map[string]bool{}
		for _, r := range rs {
			seen[r.service] = true
			assert.False(t, r.failed, "%s's span is marked as an error in a request that succeeded", r.service)
		}
		for _, s := range Services {
			assert.True(t, seen[s], "no row of service %s", s)
		}
	})

	t.Run("the failing trace marks write's span as an error", func(t *testing.T) {
		dom := load(t, c.UI()+"/trace/"+failing)
		var marked []string
		for _, r := range rows(dom) {
			if r.failed {
				marked = append(marked, r.service)
			}
		}
		assert.Contains(t, marked, "write", "the span that failed carries the error icon")
		assert.Contains(t, marked, "listen", "so does every span the error passed through")
		assert.NotContains(t, marked, "sing", "write failed before calling sing")
	})

	t.Run("Search lists the edge service's traces", func(t *testing.T) {
		text := Text(load(t, c.UI()+"/search?service=listen&lookback=1h&limit=20"))
		// The title (service and root span) breaks its path into separate elements.
		assert.Regexp(t, `listen: POST /\s?api/\s?study`, text, "a result's title")
		for _, id := range []string{normal, failing} {
			assert.Contains(t, text, id[:7], "trace %s among the results", id)
		}
	})
}

// A row of the trace timeline: the service of its span, and whether it carries the error icon.
type row struct {
	service string
	failed  bool
}

var rowStart = regexp.MustCompile(`class="[^"]*\bspan-row\b`)

// rows returns the timeline's rows, top to bottom.
func rows(dom string) []row {
	starts := rowStart.FindAllStringIndex(dom, -1)
	var rs []row
	for i, s := range starts {
		end := len(dom)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		html := dom[s[0]:end]
		// The row's text starts with its service name; html starts inside the row's tag, which
		// the added "<" makes whole again.
		service, _, _ := strings.Cut(Text("<"+html), " ")
		rs = append(rs, row{service: service, failed: strings.Contains(html, "SpanBarRow--errorIcon")})
	}
	return rs
}

// load returns the page's DOM once the UI has rendered it.
func load(t *testing.T, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dom, err := DumpDOM(ctx, Page{URL: url})
	require.NoError(t, err)
	require.Contains(t, dom, "Jaeger", "not the Jaeger UI:\n%s", dom)
	return dom
}

// TestMonitorTabShowsListensRED loads Jaeger's Monitor tab with chapter 5's stack (spanmetrics
// scraped by Prometheus, read back by Jaeger) after a minute of requests, one in five failing
// (the tab draws a point a minute), and checks what a person sees: listen selected, its latency,
// error rate and request rate drawn as charts rather than "No Data", and its operation in the
// table.
func TestMonitorTabShowsListensRED(t *testing.T) {
	ctx := context.Background()
	c := started(t, StartMonitoredChain)
	// A request every 100 ms, one in five failing, until the charts have two points.
	err := c.TrafficUntilRED(ctx, func(i int) string {
		if i%5 == 0 {
			return "?fail=write"
		}
		return ""
	}, "listen", 2, 3*time.Minute)
	require.NoError(t, err)

	dom := load(t, c.UI()+"/monitor")
	text := Text(dom)
	assert.NotContains(t, text, "No data yet", "the warning shown when Jaeger has no span metrics")
	assert.Regexp(t, `Service listen\b`, text, "the service selector shows listen (the first in A–Z order)")
	graphs := graphs(dom)
	for _, name := range []string{"Latency", "Error rate", "Request rate"} {
		g, ok := graphs[name]
		if !assert.True(t, ok, "no %q chart among %v", name, graphs) {
			continue
		}
		assert.NotContains(t, Text("<"+g), "No Data", "%s chart", name)
		assert.NotContains(t, Text("<"+g), "Could not fetch data", "%s chart", name)
		assert.Contains(t, g, "recharts-area", "%s chart draws an area of its series", name)
	}
	assert.Contains(t, text, "POST /api/study", "listen's operation in the table")
}

var graphStart = regexp.MustCompile(`class="graph-container\b`)

// graphs returns the Monitor tab's charts' HTML by the start of their title ("Latency (ms)" is
// under "Latency").
func graphs(dom string) map[string]string {
	starts := graphStart.FindAllStringIndex(dom, -1)
	out := map[string]string{}
	for i, s := range starts {
		end := len(dom)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		html := dom[s[0]:end]
		for _, name := range []string{"Latency", "Error rate", "Request rate"} {
			if strings.HasPrefix(Text("<"+html), name) {
				out[name] = html
			}
		}
	}
	return out
}

// started checks that Chromium is there, starts a chain on free ports with start, and stops it
// when the test ends. A missing backend or browser fails the test.
func started(t *testing.T, start func(context.Context, string, bool, io.Writer) (*Chain, error)) *Chain {
	t.Helper()
	_, err := Chromium()
	require.NoError(t, err)
	c, err := start(context.Background(), "../..", true, nil)
	require.NoError(t, err, "an end-to-end test fails without its backends")
	t.Cleanup(func() { assert.NoError(t, c.Stop()) })
	return c
}
