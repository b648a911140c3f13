package stack

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// JaegerAddrs are where a Jaeger listens, each as host:port, read from its config (or chosen
// free, see Config.FreePorts). An endpoint its config does not have is "".
type JaegerAddrs struct {
	// OTLPGRPC and OTLPHTTP are the OTLP receiver's endpoints: where services send spans.
	OTLPGRPC, OTLPHTTP string
	// Query is the HTTP query API and web UI (jaeger_query's http endpoint); QueryGRPC its gRPC API.
	Query, QueryGRPC string
	// Health answers GET /status with 200 once Jaeger is ready (healthcheckv2).
	Health string
	// Metrics serves Jaeger's own metrics at /metrics (service.telemetry's Prometheus reader).
	Metrics string
	// Sampling serves remote sampling strategies at /sampling (remote_sampling's http endpoint).
	Sampling string
	// SpanMetrics serves, at /metrics, the RED that a spanmetrics connector computes from the
	// spans (the prometheus exporter's endpoint), for Prometheus to scrape.
	SpanMetrics string
}

// QueryURL is the base URL of the query API and the UI, e.g. http://127.0.0.1:16686.
func (a JaegerAddrs) QueryURL() string { return "http://" + a.Query }

// HealthURL answers 200 once Jaeger is ready.
func (a JaegerAddrs) HealthURL() string { return "http://" + a.Health + "/status" }

// MetricsURL is Jaeger's own /metrics.
func (a JaegerAddrs) MetricsURL() string { return "http://" + a.Metrics + "/metrics" }

// OTLPEndpoint is the OTLP gRPC receiver as OTEL_EXPORTER_OTLP_ENDPOINT wants it.
func (a JaegerAddrs) OTLPEndpoint() string { return "http://" + a.OTLPGRPC }

// SamplingURL is where the services' jaeger_remote sampler polls for strategies.
func (a JaegerAddrs) SamplingURL() string { return "http://" + a.Sampling + "/sampling" }

// jaegerFile is what the stack needs to know of a Jaeger config: its endpoints, and whether it
// runs the query extension (and so can serve the UI).
type jaegerFile struct {
	addrs     JaegerAddrs
	withQuery bool
	// promBackend names the metric backend that reads RED from a Prometheus (the Monitor tab), if
	// the config has one.
	promBackend string
}

// The keys of the endpoints in a Jaeger config, as --set names them.
const (
	keyOTLPGRPC    = "receivers::otlp::protocols::grpc::endpoint"
	keyOTLPHTTP    = "receivers::otlp::protocols::http::endpoint"
	keyQuery       = "extensions::jaeger_query::http::endpoint"
	keyQueryGRPC   = "extensions::jaeger_query::grpc::endpoint"
	keyHealth      = "extensions::healthcheckv2::http::endpoint"
	keySampling    = "extensions::remote_sampling::http::endpoint"
	keyMetrics     = "service::telemetry::metrics::readers"
	keyUI          = "extensions::jaeger_query::ui::assets_path"
	keySpanMetrics = "exporters::prometheus::endpoint"
	// keyMetricBackends + <name> + keyPromEndpoint is the Prometheus a metric backend queries.
	keyMetricBackends = "extensions::jaeger_storage::metric_backends::"
	keyPromEndpoint   = "::prometheus::endpoint"
)

// readJaegerConfig reads the endpoints of the Jaeger config at path.
func readJaegerConfig(path string) (jaegerFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return jaegerFile{}, err
	}
	var c struct {
		Receivers struct {
			OTLP struct {
				Protocols struct {
					GRPC, HTTP struct{ Endpoint string }
				}
			} `yaml:"otlp"`
		}
		Extensions struct {
			Query struct {
				HTTP, GRPC struct{ Endpoint string }
			} `yaml:"jaeger_query"`
			Health struct {
				HTTP struct{ Endpoint string }
			} `yaml:"healthcheckv2"`
			Sampling struct {
				HTTP struct{ Endpoint string }
			} `yaml:"remote_sampling"`
			Storage struct {
				MetricBackends map[string]struct {
					Prometheus *struct{ Endpoint string }
				} `yaml:"metric_backends"`
			} `yaml:"jaeger_storage"`
		}
		Exporters struct {
			Prometheus struct{ Endpoint string }
		}
		Service struct {
			Extensions []string
			Telemetry  struct {
				Metrics struct {
					Readers []struct {
						Pull struct {
							Exporter struct {
								Prometheus struct {
									Host string
									Port int
								}
							}
						}
					}
				}
			}
		}
	}
	if err := yaml.Unmarshal(data, &c); err != nil {
		return jaegerFile{}, fmt.Errorf("%s: %w", path, err)
	}
	f := jaegerFile{
		addrs: JaegerAddrs{
			OTLPGRPC:    c.Receivers.OTLP.Protocols.GRPC.Endpoint,
			OTLPHTTP:    c.Receivers.OTLP.Protocols.HTTP.Endpoint,
			Query:       c.Extensions.Query.HTTP.Endpoint,
			QueryGRPC:   c.Extensions.Query.GRPC.Endpoint,
			Health:      c.Extensions.Health.HTTP.Endpoint,
			SpanMetrics: c.Exporters.Prometheus.Endpoint,
			Sampling:    c.Extensions.Sampling.HTTP.Endpoint,
		},
		withQuery: slices.Contains(c.Service.Extensions, "jaeger_query"),
	}
	for name, b := range c.Extensions.Storage.MetricBackends {
		if b.Prometheus != nil {
			f.promBackend = name
		}
	}
	if r := c.Service.Telemetry.Metrics.Readers; len(r) == 1 && r[0].Pull.Exporter.Prometheus.Port != 0 {
		p := r[0].Pull.Exporter.Prometheus
		f.addrs.Metrics = net.JoinHostPort(p.Host, strconv.Itoa(p.Port))
	}
	if f.addrs.Health == "" {
		return jaegerFile{}, fmt.Errorf("%s has no extensions.healthcheckv2.http.endpoint: the stack could not tell when Jaeger is ready", path)
	}
	return f, nil
}

// withFreePorts returns the addresses moved to ports free at this moment, and the --set flags
// that move them. Every port is held until all are chosen, so no two are the same.
func (f jaegerFile) withFreePorts() (JaegerAddrs, []string, error) {
	a := f.addrs
	fields := []struct {
		addr *string
		key  string
	}{
		{&a.OTLPGRPC, keyOTLPGRPC}, {&a.OTLPHTTP, keyOTLPHTTP}, {&a.Query, keyQuery},
		{&a.QueryGRPC, keyQueryGRPC}, {&a.Health, keyHealth}, {&a.Metrics, keyMetrics},
		{&a.Sampling, keySampling},
		{&a.SpanMetrics, keySpanMetrics},
	}
	var moved []*string
	var keys []string
	for _, fl := range fields {
		if *fl.addr != "" {
			moved, keys = append(moved, fl.addr), append(keys, fl.key)
		}
	}
	free, err := FreeAddrs(len(moved))
	if err != nil {
		return JaegerAddrs{}, nil, err
	}
	var sets []string
	for i, addr := range moved {
		*addr = free[i]
		if keys[i] == keyMetrics {
			// The reader is one element of a list, which --set cannot index: replace the list.
			_, port, _ := net.SplitHostPort(free[i])
			sets = append(sets, fmt.Sprintf("--set=%s=[{pull: {exporter: {prometheus: {host: 127.0.0.1, port: %s}}}}]", keys[i], port))
			continue
		}
		sets = append(sets, "--set="+keys[i]+"="+free[i])
	}
	return a, sets, nil
}

// promBackendFlag returns the flag that points the config's Prometheus metric backend at the
// Prometheus at addr (host:port), or nil when the config has none.
func (f jaegerFile) promBackendFlag(addr string) []string {
	if f.promBackend == "" {
		return nil
	}
	return []string{"--set=" + keyMetricBackends + f.promBackend + keyPromEndpoint + "=http://" + addr}
}

// UIDir is where `make jaeger-ui` puts the Jaeger UI, in the stack's bin directory.
const UIDir = "jaeger-ui"

// uiFlag returns the flag that makes a Jaeger serve the UI built into bin/jaeger-ui, or nil when
// it has not been built (Jaeger then serves a placeholder page at / and the API as usual).
func uiFlag(bin string) []string {
	dir, err := filepath.Abs(filepath.Join(bin, UIDir))
	if err != nil {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return nil
	}
	return []string{"--set=" + keyUI + "=" + dir}
}

// HasUI says whether bin holds a built Jaeger UI, which every Jaeger the stack starts serves.
func HasUI(bin string) bool { return uiFlag(bin) != nil }
