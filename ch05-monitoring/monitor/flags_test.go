package monitor_test

import (
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch05-monitoring/monitor"
)

// TestFlagsAreWhatRegisterFlagsReads: a program given Flags(addrs) serves each /metrics where
// addrs says.
func TestFlagsAreWhatRegisterFlagsReads(t *testing.T) {
	want := map[string]string{"listen": "127.0.0.1:1", "speak": "127.0.0.1:2", "read": "127.0.0.1:3", "write": "127.0.0.1:4", "sing": "127.0.0.1:5"}
	got := monitor.MetricsAddrs()
	fs := flag.NewFlagSet("chain", flag.ContinueOnError)
	monitor.RegisterFlags(fs, got)
	require.NoError(t, fs.Parse(monitor.Flags(want)))
	assert.Equal(t, want, got)
}
