package chain_test

import (
	"bytes"
	"flag"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
)

// parse reads a command line as the programs do, their output going to out.
func parse(args []string, out *bytes.Buffer, own ...func(*flag.FlagSet)) ([]string, chain.Config, error) {
	fs := flag.NewFlagSet("chain", flag.ContinueOnError)
	fs.SetOutput(out)
	for _, f := range own {
		f(fs)
	}
	return chain.ParseCommandLine(fs, args)
}

func TestParseCommandLineNamesOneServiceOrAll(t *testing.T) {
	services, _, err := parse([]string{"all"}, &bytes.Buffer{})
	require.NoError(t, err)
	assert.Equal(t, chain.Services, services, "`all` runs the five")
	services, _, err = parse([]string{"read"}, &bytes.Buffer{})
	require.NoError(t, err)
	assert.Equal(t, []string{"read"}, services)
	_, _, err = parse([]string{"shout"}, &bytes.Buffer{})
	assert.ErrorContains(t, err, `unknown command "shout"; usage: chain all|listen|speak|read|write|sing [flags]`)
	_, _, err = parse(nil, &bytes.Buffer{})
	assert.EqualError(t, err, "usage: chain all|listen|speak|read|write|sing [flags]")
}

func TestParseCommandLineKeepsTheDefaultsWithoutFlags(t *testing.T) {
	_, cfg, err := parse([]string{"all"}, &bytes.Buffer{})
	require.NoError(t, err)
	want := chain.DefaultConfig()
	assert.Equal(t, want.Addrs, cfg.Addrs, "the documented ports")
	assert.Equal(t, want.Delay, cfg.Delay)
	assert.Equal(t, want.Timeout, cfg.Timeout)
	assert.Equal(t, want.Grace, cfg.Grace)
	assert.False(t, cfg.PublicEndpoint, "the edge continues a caller's trace unless told otherwise")
}

func TestParseCommandLineSetsEveryField(t *testing.T) {
	_, cfg, err := parse([]string{"all",
		"-listen", "127.0.0.1:1", "-speak", "127.0.0.1:2", "-read", "127.0.0.1:3", "-write", "127.0.0.1:4", "-sing", "127.0.0.1:5",
		"-delay", "7ms", "-timeout", "8s", "-shutdown-timeout", "9s", "-public-endpoint",
	}, &bytes.Buffer{})
	require.NoError(t, err)
	assert.Equal(t, chain.Addrs{Listen: "127.0.0.1:1", Speak: "127.0.0.1:2", Read: "127.0.0.1:3", Write: "127.0.0.1:4", Sing: "127.0.0.1:5"}, cfg.Addrs)
	assert.Equal(t, 7*time.Millisecond, cfg.Delay)
	assert.Equal(t, 8*time.Second, cfg.Timeout)
	assert.Equal(t, 9*time.Second, cfg.Grace)
	assert.True(t, cfg.PublicEndpoint, "-public-endpoint reaches the config the edge is built from")
}

func TestParseCommandLineRejectsBadFlagsClearly(t *testing.T) {
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
			services, _, err := parse(append([]string{"read"}, tc.args...), &bytes.Buffer{})
			require.Error(t, err)
			assert.Nil(t, services, "nothing to run")
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestParseCommandLineHelpPrintsTheUsageAndStops(t *testing.T) {
	var logs bytes.Buffer
	services, _, err := parse([]string{"read", "-h"}, &logs)
	require.ErrorIs(t, err, flag.ErrHelp, "the program prints the usage and exits 0")
	assert.Nil(t, services, "nothing to run")
	assert.Contains(t, logs.String(), "usage: chain all|listen|speak|read|write|sing [flags]")
	assert.Contains(t, logs.String(), "-public-endpoint")
}

func TestParseCommandLineTakesTheProgramsOwnFlags(t *testing.T) {
	var rate float64
	own := func(fs *flag.FlagSet) { fs.Float64Var(&rate, "rate", 1, "a flag of the program's own") }
	_, cfg, err := parse([]string{"read", "-rate", "0.25", "-read", "127.0.0.1:3"}, &bytes.Buffer{}, own)
	require.NoError(t, err)
	assert.Equal(t, 0.25, rate)
	assert.Equal(t, "127.0.0.1:3", cfg.Addrs.Read, "alongside the common ones")
}

func TestAddrsFlagsAreWhatTheCommandLineReads(t *testing.T) {
	a := chain.Addrs{Listen: "127.0.0.1:1", Speak: "127.0.0.1:2", Read: "127.0.0.1:3", Write: "127.0.0.1:4", Sing: "127.0.0.1:5"}
	_, cfg, err := parse(append([]string{"all"}, a.Flags()...), &bytes.Buffer{})
	require.NoError(t, err)
	assert.Equal(t, a, cfg.Addrs)
}

func TestAddrsOfIsTheInverseOfOf(t *testing.T) {
	byName := map[string]string{}
	for _, s := range chain.Services {
		byName[s] = chain.DefaultAddrs.Of(s)
	}
	assert.Equal(t, chain.DefaultAddrs, chain.AddrsOf(byName))
}
