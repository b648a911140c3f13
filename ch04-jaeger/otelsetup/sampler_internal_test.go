package otelsetup

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSamplerArg(t *testing.T) {
	a, err := parseSamplerArg("endpoint=http://127.0.0.1:25778/sampling, pollingIntervalMs=500,initialSamplingRate=0")
	require.NoError(t, err)
	assert.Equal(t, samplerArgs{endpoint: "http://127.0.0.1:25778/sampling", polling: 500 * time.Millisecond, initialRate: 0}, a)

	a, err = parseSamplerArg("")
	require.NoError(t, err)
	assert.Equal(t, time.Minute, a.polling, "the specification's defaults")

	for _, bad := range []string{"endpoint", "pollingIntervalMs=0", "initialSamplingRate=2", "color=blue"} {
		_, err := parseSamplerArg(bad)
		assert.Error(t, err, bad)
	}
}

func TestRemoteSamplerOnlyWhenAskedFor(t *testing.T) {
	t.Setenv("OTEL_TRACES_SAMPLER", "always_on")
	s, stop, err := remoteSampler("read")
	require.NoError(t, err)
	assert.Nil(t, s, "the SDK reads the other values itself")
	stop()

	t.Setenv("OTEL_TRACES_SAMPLER", "parentbased_jaeger_remote")
	t.Setenv("OTEL_TRACES_SAMPLER_ARG", "endpoint=http://127.0.0.1:1/sampling,pollingIntervalMs=60000,initialSamplingRate=1")
	s, stop, err = remoteSampler("read")
	require.NoError(t, err)
	defer stop()
	assert.Contains(t, s.Description(), "ParentBased")
}
