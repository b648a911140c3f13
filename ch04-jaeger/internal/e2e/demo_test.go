//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch04-jaeger/internal/demo"
)

// TestDemo runs what `make demo` runs and checks the story it tells: three requests, three traces
// fetched back from Jaeger, the failing one ending at write.
func TestDemo(t *testing.T) {
	var out bytes.Buffer
	cfg := demo.Config{Bin: "../../../bin", JaegerConfig: "../../jaeger/config.yaml", FreePorts: true}
	require.NoError(t, demo.Run(context.Background(), cfg, &out), out.String())
	text := out.String()
	assert.Regexp(t, `(?m)^200 OK in \S+, trace [0-9a-f]{32}\n.*\n\n.*\?slow=read.*\n200 OK`, text)
	assert.Contains(t, text, "502 Bad Gateway")
	headers := regexp.MustCompile(`(?m)^trace [0-9a-f]{32}  \S+  (\d+) spans$`).FindAllStringSubmatch(text, -1)
	require.Len(t, headers, 3, text)
	assert.Equal(t, []string{"9", "9"}, []string{headers[0][1], headers[1][1]})
	// A failing write may cancel the read branch before read's call starts (5 spans), before it
	// arrives (6) or not at all (7).
	assert.Contains(t, []string{"5", "6", "7"}, headers[2][1], "the failing trace: listen, speak and write, with as much of read as ran")
	assert.Regexp(t, `(?m)study.v1.WriteService/Write +write +server .*ERROR write: injected failure$`, text)
	assert.Contains(t, text, "# stopping the services and Jaeger")
}
