package main

import (
	"bytes"
	"context"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var traceHeader = regexp.MustCompile(`(?m)^trace [0-9a-f]{32}  \S+  (\d+) spans?$`)

func TestDemoPrintsResultsAndThreeWaterfalls(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), nil, &out))
	text := out.String()

	assert.Contains(t, text, "2 + 3 = 5\n7 / 0: division by zero\nmean(4, 8) = 6\n")
	var counts []string
	for _, m := range traceHeader.FindAllStringSubmatch(text, -1) {
		counts = append(counts, m[1])
	}
	assert.Equal(t, []string{"3", "3", "7"}, counts, "Add, Div, mean: spans per trace\n%s", text)
	assert.Regexp(t, `(?m)^└─ Calculator.Div  calc-server  server .* ERROR division by zero$`, text)
	assert.Regexp(t, `(?m)^   └─ calc.Add     calc-server  internal `, text)
}

func TestUnknownFlagIsAnError(t *testing.T) {
	require.Error(t, run(context.Background(), []string{"-codec", "json"}, &bytes.Buffer{}))
}

func TestWithoutPropagationEachTraceSplitsInTwo(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-break-propagation"}, &out))
	var counts []string
	for _, m := range traceHeader.FindAllStringSubmatch(out.String(), -1) {
		counts = append(counts, m[1])
	}
	// Add: client 1 + server 2; Div: 1 + 2; mean: mean and its two client spans, then two servers.
	assert.ElementsMatch(t, []string{"1", "2", "1", "2", "3", "2", "2"}, counts, out.String())
}
