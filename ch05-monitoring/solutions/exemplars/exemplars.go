// Package exemplars is the solution to chapter 5's exemplars exercise: which requests can be an
// exemplar when traces are sampled?
//
// The SDK offers a measurement to its exemplar reservoir only when the context it is recorded
// with holds a sampled span (exemplar.TraceBasedFilter, the default). So only sampled requests
// become exemplars, and every exemplar's trace_id names a trace the tracing backend was sent.
// OTEL_METRICS_EXEMPLAR_FILTER=always_on offers every measurement: an unsampled request's trace
// ID then becomes an exemplar that leads nowhere, because nobody recorded its trace.
package exemplars

import dto "github.com/prometheus/client_model/go"

// Exemplars returns every exemplar of a scrape, decoded into metric families (what expfmt
// decodes from the protobuf exposition format).
func Exemplars(families []*dto.MetricFamily) []*dto.Exemplar {
	var out []*dto.Exemplar
	for _, family := range families {
		for _, m := range family.GetMetric() {
			if ex := m.GetCounter().GetExemplar(); ex != nil {
				out = append(out, ex)
			}
			for _, bucket := range m.GetHistogram().GetBucket() {
				if ex := bucket.GetExemplar(); ex != nil {
					out = append(out, ex)
				}
			}
			// A native histogram has no fixed buckets: its exemplars are kept in a list.
			out = append(out, m.GetHistogram().GetExemplars()...)
		}
	}
	return out
}
