package chain_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/internal/spantest"
)

var ada = listen.StudyRequest{Student: "Ada", Text: "Ada reads the notes. Then she writes a program!"}

func decode(t *testing.T, body []byte) listen.StudyResponse {
	t.Helper()
	var resp listen.StudyResponse
	require.NoError(t, json.Unmarshal(body, &resp), "%s", body)
	return resp
}

func TestOneRequestIsOneTraceThroughAllFiveServices(t *testing.T) {
	c := startChain(t, chain.DefaultConfig())
	status, body := c.post(t, "", ada, nil)
	require.Equal(t, http.StatusOK, status, "%s", body)
	resp := decode(t, body)
	assert.Equal(t, int64(9), resp.Read.GetWords())
	assert.Equal(t, int64(2), resp.Read.GetSentences())
	assert.Equal(t, "Ada reads the notes.", resp.Write.GetSummary())
	assert.Equal(t, "la-la la la la-la", resp.Write.GetSong())

	spans := c.spansOf(t, resp.TraceID, 9)
	index := byID(spans)
	var paths []string
	for _, s := range spans {
		paths = append(paths, path(s, index))
		assert.Equal(t, "Ada", spantest.Attr(s, listen.BaggageStudent), "baggage on %s", path(s, index))
		assert.Equal(t, resp.RequestID, spantest.Attr(s, listen.BaggageRequestID))
		assert.NotEqual(t, codes.Error, s.Status().Code, path(s, index))
	}
	assert.ElementsMatch(t, chain.AnsweredTrace, paths, "one connected tree: HTTP → gRPC → (gRPC ‖ gRPC → HTTP)")
}
