package load_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/load"
)

// TestCheckTargetRefuses: anything but plain http to a loopback address or "localhost" is
// refused, hostnames included, without a lookup.
func TestCheckTargetRefuses(t *testing.T) {
	for _, tc := range []struct{ name, url, says string }{
		{"private IP", "http://10.0.0.1:8080/api/study", "not on loopback"},
		{"public IP", "http://93.184.215.14/api/study", "not on loopback"},
		{"all interfaces", "http://0.0.0.0:8080/api/study", "not on loopback"},
		{"IPv6 not loopback", "http://[2001:db8::1]:8080/api/study", "not on loopback"},
		{"IPv6 unspecified", "http://[::]:8080/api/study", "not on loopback"},
		{"IPv6 with zone", "http://[::1%25lo]:8080/api/study", "not on loopback"},
		{"hostname", "http://example.com/api/study", "not on loopback"},
		{"hostname that looks local", "http://localhost.example.com/api/study", "not on loopback"},
		{"localhost with a trailing dot", "http://localhost./api/study", "not on loopback"},
		{"short IPv4 form", "http://127.1/api/study", "not on loopback"},
		{"decimal IPv4", "http://2130706433/api/study", "not on loopback"},
		{"loopback as user info", "http://127.0.0.1:80@example.com/api/study", "not on loopback"},
		{"https", "https://127.0.0.1/api/study", `scheme "https"`},
		{"file", "file:///etc/passwd", `scheme "file"`},
		{"no scheme", "127.0.0.1:8080/api/study", "127.0.0.1:8080"},
		{"scheme-relative", "//127.0.0.1:8080/api/study", `scheme ""`},
		{"no host", "http:///api/study", "no host"},
		{"opaque", "http:127.0.0.1", "no host"},
		{"not a URL", "http://[::1/api", "missing ']'"},
		{"empty", "", `scheme ""`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load.CheckTarget(tc.url)
			require.Error(t, err)
			assert.ErrorContains(t, err, tc.says)
		})
	}
}

func TestCheckTargetAccepts(t *testing.T) {
	for _, raw := range []string{
		"http://127.0.0.1:8080/api/study",
		"http://127.0.0.1/api/study?slow=read",
		"http://127.255.255.254:1/api/study",
		"http://[::1]:8080/api/study",
		"http://[::ffff:127.0.0.1]:8080/api/study",
		"http://localhost:8080/api/study",
		"http://LocalHost:8080/api/study",
	} {
		t.Run(raw, func(t *testing.T) {
			u, err := load.CheckTarget(raw)
			require.NoError(t, err)
			assert.Equal(t, raw, u.String())
		})
	}
}

// TestRunRefusesBeforeSending: a target off the machine, a bound exceeded or a broken mix is
// an error before the first request; the edge never hears of it.
func TestRunRefusesBeforeSending(t *testing.T) {
	e := startEdge(t, edgeOptions{})
	for _, tc := range []struct {
		name string
		cfg  load.Config
		says string
	}{
		{"not loopback", load.Config{Target: "http://192.0.2.1/api/study"}, "not on loopback"},
		{"hostname", load.Config{Target: "http://example.com/api/study"}, "not on loopback"},
		{"too many requests", load.Config{Target: e.url, Requests: load.MaxRequests + 1}, "requests 10001 is above the limit of 10000"},
		{"negative requests", load.Config{Target: e.url, Requests: -1}, "requests -1 is negative"},
		{"too long", load.Config{Target: e.url, Duration: load.MaxDuration + time.Second}, "duration 2m1s is above the limit of 2m0s"},
		{"negative duration", load.Config{Target: e.url, Duration: -time.Second}, "duration -1s is negative"},
		{"too many workers", load.Config{Target: e.url, Concurrency: load.MaxConcurrency + 1}, "concurrency 33 is above"},
		{"timeout too long", load.Config{Target: e.url, Timeout: time.Hour}, "timeout 1h0m0s is above"},
		{"empty mix", load.Config{Target: e.url, Mix: []load.Kind{}}, "the mix has 0 kinds"},
		{"zero weight", load.Config{Target: e.url, Mix: []load.Kind{{Name: "a"}}}, `kind "a": weight 0`},
		{"weight too big", load.Config{Target: e.url, Mix: []load.Kind{{Name: "a", Weight: load.MaxWeight + 1}}}, `kind "a": weight 1001`},
		{"kind twice", load.Config{Target: e.url, Mix: []load.Kind{{Name: "a", Weight: 1}, {Name: "a", Weight: 1}}}, `kind "a" appears twice`},
		{"kind without a name", load.Config{Target: e.url, Mix: []load.Kind{{Weight: 1}}}, "kind 0 has no name"},
		{"bad query", load.Config{Target: e.url, Mix: []load.Kind{{Name: "a", Query: "?slow=%zz", Weight: 1}}}, `query "?slow=%zz"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load.Run(t.Context(), tc.cfg)
			require.Error(t, err)
			assert.ErrorContains(t, err, tc.says)
		})
	}
	assert.Zero(t, e.hits.Load(), "no request was sent")
}
