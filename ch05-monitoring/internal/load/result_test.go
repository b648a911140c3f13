package load_test

import (
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/load"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// TestSummarize: nearest-rank percentiles pick a measured latency, never an average of two.
func TestSummarize(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = ms(100 - i) // 100ms down to 1ms: Summarize sorts a copy
	}
	for _, tc := range []struct {
		name      string
		latencies []time.Duration
		want      load.Percentiles
	}{
		{"none", nil, load.Percentiles{}},
		{"one", []time.Duration{ms(7)}, load.Percentiles{P50: ms(7), P90: ms(7), P99: ms(7), Max: ms(7)}},
		{"1 to 100 ms", hundred, load.Percentiles{P50: ms(50), P90: ms(90), P99: ms(99), Max: ms(100)}},
		{"one slow in ten", []time.Duration{ms(1), ms(1), ms(1), ms(1), ms(1), ms(1), ms(1), ms(1), ms(1), ms(500)},
			load.Percentiles{P50: ms(1), P90: ms(1), P99: ms(500), Max: ms(500)}},
		{"two values", []time.Duration{ms(10), ms(20)}, load.Percentiles{P50: ms(10), P90: ms(20), P99: ms(20), Max: ms(20)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, load.Summarize(tc.latencies))
		})
	}
	assert.Equal(t, ms(100), hundred[0], "the input is left as it was")
}

func TestKindResultCounts(t *testing.T) {
	k := load.KindResult{Sent: 10, NoAnswer: 2, Statuses: map[int]int{200: 5, 204: 1, 502: 2}}
	assert.Equal(t, 8, k.Answered())
	assert.Equal(t, 6, k.OK())
	assert.Equal(t, 4, k.Failed(), "two 502s and two with no answer")
}

// TestProgressOutputIsOneLineOffATerminal: where the bar goes to a pipe or a file (`make ch05 |
// tee log`), it writes its final line once, with no carriage return, whatever the run's length.
func TestProgressOutputIsOneLineOffATerminal(t *testing.T) {
	e := startEdge(t, edgeOptions{})
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	_, err = load.Run(t.Context(), load.Config{Target: e.url, Requests: 40, Concurrency: 4, Progress: w})
	require.NoError(t, err)
	require.NoError(t, w.Close())
	b, err := io.ReadAll(r)
	require.NoError(t, err)

	got := string(b)
	assert.NotContains(t, got, "\r", "no redrawing off a terminal")
	assert.Equal(t, 1, strings.Count(got, "\n"), "one line: %q", got)
	assert.Regexp(t, `^\[████████████████████\] 40/40 requests  ok 38  failed 2  \d+\.\ds\n$`, got,
		"the count ends this run, so the bar counts requests; the default mix fails 1 in 20")
}

// TestProgressCountsSecondsWhenTheDurationEndsTheRun: a run bounded by its duration shows
// seconds out of that duration, and the requests sent, not a count out of the ceiling.
func TestProgressCountsSecondsWhenTheDurationEndsTheRun(t *testing.T) {
	e := startEdge(t, edgeOptions{})
	var out strings.Builder
	res, err := load.Run(t.Context(), load.Config{Target: e.url, Duration: 300 * time.Millisecond, Concurrency: 2, Progress: &out})
	require.NoError(t, err)
	require.Equal(t, load.StoppedByDuration, res.Stopped)
	assert.Regexp(t, `^\[████████████████████\] 0\.\ds/300ms  sent \d+  ok \d+  failed \d+\n$`, out.String())
	assert.NotContains(t, out.String(), "/10000", "the request ceiling is not what ends this run")
}

// ExampleResult_Table shows the table the demo prints after a run.
func ExampleResult_Table() {
	res := load.Result{
		Kinds: []load.KindResult{
			{Name: "normal", Sent: 180, Statuses: map[int]int{200: 180},
				Latency: load.Percentiles{P50: 4200 * time.Microsecond, P90: 6100 * time.Microsecond, P99: 9800 * time.Microsecond},
				Slowest: load.Sample{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", Status: 200}},
			{Name: "slow read", Sent: 10, Statuses: map[int]int{200: 10},
				Latency: load.Percentiles{P50: 304 * time.Millisecond, P90: 311 * time.Millisecond, P99: 1234 * time.Millisecond},
				Slowest: load.Sample{TraceID: "0af7651916cd43dd8448eb211c80319c", Status: 200}},
			{Name: "failing write", Sent: 10, Statuses: map[int]int{502: 9}, NoAnswer: 1,
				Latency: load.Percentiles{P50: 3100 * time.Microsecond, P90: 3900 * time.Microsecond, P99: 3900 * time.Microsecond},
				Slowest: load.Sample{TraceID: "5b8efff798038103d269b633813fc60c", Status: 502}},
		},
		Overall: load.KindResult{Name: "all", Sent: 200, Statuses: map[int]int{200: 190, 502: 9}, NoAnswer: 1,
			Latency: load.Percentiles{P50: 4300 * time.Microsecond, P90: 7 * time.Millisecond, P99: 309 * time.Millisecond},
			Slowest: load.Sample{TraceID: "0af7651916cd43dd8448eb211c80319c", Status: 200}},
	}
	_ = res.Table(os.Stdout)
	// Output:
	// kind           sent   ok  failed  statuses                p50    p90    p99  slowest trace
	// normal          180  180       0  200:180               4.2ms  6.1ms  9.8ms  4bf92f3577b34da6a3ce929d0e0e4736
	// slow read        10   10       0  200:10                304ms  311ms  1.23s  0af7651916cd43dd8448eb211c80319c
	// failing write    10    0      10  502:9 none:1          3.1ms  3.9ms  3.9ms  5b8efff798038103d269b633813fc60c
	// all             200  190      10  200:190 502:9 none:1  4.3ms    7ms  309ms  0af7651916cd43dd8448eb211c80319c
}
