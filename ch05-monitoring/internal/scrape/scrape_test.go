package scrape_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/scrape"
)

func TestProtobufDecodesWhatTheHandlerServes(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "study_words_total", Help: "words"})
	reg.MustRegister(c)
	c.Add(3)
	families := scrape.ByName(scrape.Protobuf(t, promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	require.Contains(t, families, "study_words_total")
	assert.InDelta(t, 3, families["study_words_total"].GetMetric()[0].GetCounter().GetValue(), 0)
}
