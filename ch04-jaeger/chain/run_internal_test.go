package chain

import (
	"bytes"
	"flag"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFlagsKeepsTheDefaultsWithoutFlags(t *testing.T) {
	cfg, err := Program{Name: "all"}.parseFlags(nil, &bytes.Buffer{})
	require.NoError(t, err)
	require.NotNil(t, cfg)
	want := DefaultConfig()
	assert.Equal(t, want.Addrs, cfg.Addrs, "the documented ports")
	assert.Equal(t, want.Delay, cfg.Delay)
	assert.Equal(t, want.Timeout, cfg.Timeout)
	assert.Equal(t, want.Grace, cfg.Grace)
	assert.False(t, cfg.PublicEndpoint, "the edge continues a caller's trace unless told otherwise")
}

func TestParseFlagsSetsEveryField(t *testing.T) {
	var logs bytes.Buffer
	cfg, err := Program{Name: "all"}.parseFlags([]string{
		"-listen", "127.0.0.1:1", "-speak", "127.0.0.1:2", "-read", "127.0.0.1:3", "-write", "127.0.0.1:4", "-sing", "127.0.0.1:5",
		"-delay", "7ms", "-timeout", "8s", "-shutdown-timeout", "9s", "-public-endpoint",
	}, &logs)
	require.NoError(t, err)
	require.NotNil(t, cfg)
	assert.Equal(t, Addrs{Listen: "127.0.0.1:1", Speak: "127.0.0.1:2", Read: "127.0.0.1:3", Write: "127.0.0.1:4", Sing: "127.0.0.1:5"}, cfg.Addrs)
	assert.Equal(t, 7*time.Millisecond, cfg.Delay)
	assert.Equal(t, 8*time.Second, cfg.Timeout)
	assert.Equal(t, 9*time.Second, cfg.Grace)
	assert.True(t, cfg.PublicEndpoint, "-public-endpoint reaches the config the edge is built from")

	cfg.Logger.Info("hello")
	assert.Contains(t, logs.String(), "msg=hello", "the services log where the program was told to")
}

func TestParseFlagsRejectsBadFlagsClearly(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"-color", "blue"}, "flag provided but not defined: -color"},
		{"not a duration", []string{"-timeout", "soon"}, `invalid value "soon" for flag -timeout`},
		{"missing value", []string{"-read"}, "flag needs an argument: -read"},
		{"not a bool", []string{"-public-endpoint=maybe"}, `invalid boolean value "maybe" for -public-endpoint`},
		{"a stray argument", []string{"-delay", "1s", "extra"}, `unexpected arguments ["extra"]: everything is set with flags`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			cfg, err := Program{Name: "read"}.parseFlags(tc.args, &logs)
			require.Error(t, err)
			assert.Nil(t, cfg)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestParseFlagsHelpPrintsTheUsageAndStops(t *testing.T) {
	var logs bytes.Buffer
	cfg, err := Program{Name: "read"}.parseFlags([]string{"-h"}, &logs)
	require.NoError(t, err, "-h is not a failure")
	assert.Nil(t, cfg, "nothing to run")
	assert.Contains(t, logs.String(), "Usage of read:")
	assert.Contains(t, logs.String(), "-public-endpoint")
}

func TestParseFlagsTakesTheProgramsOwnFlags(t *testing.T) {
	var rate float64
	p := Program{Name: "read", Flags: func(fs *flag.FlagSet) { fs.Float64Var(&rate, "rate", 1, "a flag of the program's own") }}
	cfg, err := p.parseFlags([]string{"-rate", "0.25", "-read", "127.0.0.1:3"}, &bytes.Buffer{})
	require.NoError(t, err)
	assert.Equal(t, 0.25, rate)
	assert.Equal(t, "127.0.0.1:3", cfg.Addrs.Read, "alongside the common ones")
}
