package stack

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPinnedRunsThroughTasksetOnlyWhenAsked(t *testing.T) {
	bin, args := Pinned("", "bin/jaeger", "--config", "c.yaml")
	assert.Equal(t, "bin/jaeger", bin)
	assert.Equal(t, []string{"--config", "c.yaml"}, args)

	bin, args = Pinned("1", "bin/jaeger", "--config", "c.yaml")
	assert.Equal(t, "taskset", bin)
	assert.Equal(t, []string{"--cpu-list", "1", "bin/jaeger", "--config", "c.yaml"}, args)
}
