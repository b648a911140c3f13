package stack

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

func TestReadJaegerConfig(t *testing.T) {
	f, err := readJaegerConfig("testdata/jaeger.yaml")
	require.NoError(t, err)
	assert.Equal(t, JaegerAddrs{
		OTLPGRPC: "127.0.0.1:4317", OTLPHTTP: "127.0.0.1:4318",
		Query: "127.0.0.1:16686", QueryGRPC: "127.0.0.1:16685",
		Health: "127.0.0.1:13133", Metrics: "127.0.0.1:8888",
	}, f.addrs)
	assert.True(t, f.withQuery)
	assert.Equal(t, "http://127.0.0.1:13133/status", f.addrs.HealthURL())
	assert.Equal(t, "http://127.0.0.1:16686", f.addrs.QueryURL())
	assert.Equal(t, "http://127.0.0.1:4317", f.addrs.OTLPEndpoint())
	assert.Equal(t, "http://127.0.0.1:8888/metrics", f.addrs.MetricsURL())

	f, err = readJaegerConfig("testdata/collector.yaml")
	require.NoError(t, err)
	assert.Equal(t, JaegerAddrs{OTLPGRPC: "127.0.0.1:14317", Health: "127.0.0.1:14133"}, f.addrs)
	assert.False(t, f.withQuery, "a collector tier has no UI to serve")

	_, err = readJaegerConfig("testdata/nohealth.yaml")
	assert.ErrorContains(t, err, "healthcheckv2")
}

// TestFreePortsMoveEveryEndpoint checks that each endpoint the config has gets its own free
// port and a --set flag that moves it there, and that endpoints it lacks get none.
func TestFreePortsMoveEveryEndpoint(t *testing.T) {
	f, err := readJaegerConfig("testdata/jaeger.yaml")
	require.NoError(t, err)
	a, sets, err := f.withFreePorts()
	require.NoError(t, err)
	addrs := []string{a.OTLPGRPC, a.OTLPHTTP, a.Query, a.QueryGRPC, a.Health, a.Metrics}
	seen := map[string]bool{}
	for _, addr := range addrs {
		host, port, err := net.SplitHostPort(addr)
		require.NoError(t, err)
		assert.Equal(t, "127.0.0.1", host)
		assert.NotContains(t, []string{"4317", "4318", "16686", "16685", "13133", "8888"}, port, "a documented port")
		assert.False(t, seen[addr], "%s chosen twice", addr)
		seen[addr] = true
	}
	assert.Len(t, sets, 6)
	assert.Contains(t, sets, "--set=extensions::healthcheckv2::http::endpoint="+a.Health)
	assert.Contains(t, sets, "--set=receivers::otlp::protocols::grpc::endpoint="+a.OTLPGRPC)
	_, port, _ := net.SplitHostPort(a.Metrics)
	assert.Contains(t, sets, "--set=service::telemetry::metrics::readers=[{pull: {exporter: {prometheus: {host: 127.0.0.1, port: "+port+"}}}}]")

	f, err = readJaegerConfig("testdata/collector.yaml")
	require.NoError(t, err)
	_, sets, err = f.withFreePorts()
	require.NoError(t, err)
	assert.Len(t, sets, 2, "only the endpoints the config has: %v", sets)
}

func TestUIFlagOnlyWhenBuilt(t *testing.T) {
	bin := t.TempDir()
	assert.Nil(t, uiFlag(bin))
	assert.False(t, HasUI(bin))
	require.NoError(t, os.MkdirAll(filepath.Join(bin, UIDir), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bin, UIDir, "index.html"), []byte("<title>Jaeger UI</title>"), 0o644))
	assert.Equal(t, []string{"--set=extensions::jaeger_query::ui::assets_path=" + filepath.Join(bin, UIDir)}, uiFlag(bin))
	assert.True(t, HasUI(bin))
}

func TestConfigArg(t *testing.T) {
	assert.Equal(t, "a.yaml", configArg([]string{"--config", "a.yaml", "--set=x=y"}))
	assert.Equal(t, "b.yaml", configArg([]string{"--config=b.yaml"}))
	assert.Equal(t, "", configArg(nil))
}

func TestRetarget(t *testing.T) {
	out := filepath.Join(t.TempDir(), "prometheus.yml")
	got, err := retarget("testdata/prometheus/prometheus.yml", out, map[string]string{"jaeger": "127.0.0.1:40001"})
	require.NoError(t, err)
	assert.Equal(t, out, got)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	var c struct {
		Global struct {
			ScrapeInterval string `yaml:"scrape_interval"`
		}
		RuleFiles     []string `yaml:"rule_files"`
		ScrapeConfigs []struct {
			JobName       string                       `yaml:"job_name"`
			StaticConfigs []struct{ Targets []string } `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	require.NoError(t, yaml.Unmarshal(data, &c), "%s", data)
	assert.Equal(t, "1s", c.Global.ScrapeInterval, "the rest is kept")
	require.Len(t, c.RuleFiles, 1)
	assert.True(t, filepath.IsAbs(c.RuleFiles[0]), "rule files must still be found from the new file's directory: %s", c.RuleFiles[0])
	assert.FileExists(t, c.RuleFiles[0])
	require.Len(t, c.ScrapeConfigs, 2)
	assert.Equal(t, []string{"127.0.0.1:9101"}, c.ScrapeConfigs[0].StaticConfigs[0].Targets, "other jobs are kept")
	assert.Equal(t, []string{"127.0.0.1:40001"}, c.ScrapeConfigs[1].StaticConfigs[0].Targets)
	assert.True(t, strings.Contains(string(data), "# kept as it is"), "comments survive:\n%s", data)

	_, err = retarget("testdata/prometheus/prometheus.yml", out, map[string]string{"nosuchjob": "127.0.0.1:1"})
	assert.ErrorContains(t, err, `no scrape job "nosuchjob"`)
}

// TestJaegerBackendArgs checks the arguments a second Jaeger starts with: its config alone, at
// the documented ports; with FreePorts, every endpoint moved, remote sampling's among them.
func TestJaegerBackendArgs(t *testing.T) {
	const storage = "../../ch04-jaeger/production/storage.yaml"
	documented := &Stack{}
	a, args, err := documented.JaegerBackend(storage)
	require.NoError(t, err)
	assert.Equal(t, []string{"--config", storage}, args)
	assert.Equal(t, JaegerAddrs{OTLPGRPC: "127.0.0.1:24317", Query: "127.0.0.1:26686", QueryGRPC: "127.0.0.1:26685",
		Health: "127.0.0.1:24133", Sampling: "127.0.0.1:25778"}, a)
	assert.Equal(t, "http://127.0.0.1:25778/sampling", a.SamplingURL())

	free := &Stack{cfg: Config{FreePorts: true}}
	moved, args, err := free.JaegerBackend(storage)
	require.NoError(t, err)
	assert.Equal(t, []string{"--config", storage}, args[:2])
	assert.Contains(t, args, "--set=extensions::remote_sampling::http::endpoint="+moved.Sampling)
	assert.Len(t, args, 2+5, "one --set per endpoint: %v", args)
	assert.NotEqual(t, a.Sampling, moved.Sampling)
}

// TestSpanMetricsConfig checks that a config with a spanmetrics exporter and a Prometheus metric
// backend (chapter 5's) gets the exporter moved to a free port, and the backend pointed at a
// given Prometheus; a config without a backend gets no such flag.
func TestSpanMetricsConfig(t *testing.T) {
	f, err := readJaegerConfig("testdata/spm.yaml")
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:8889", f.addrs.SpanMetrics)
	a, sets, err := f.withFreePorts()
	require.NoError(t, err)
	assert.NotEqual(t, "127.0.0.1:8889", a.SpanMetrics)
	assert.Contains(t, sets, "--set=exporters::prometheus::endpoint="+a.SpanMetrics)
	assert.Equal(t, []string{"--set=extensions::jaeger_storage::metric_backends::prom::prometheus::endpoint=http://127.0.0.1:40002"},
		f.promBackendFlag("127.0.0.1:40002"))

	f, err = readJaegerConfig("testdata/jaeger.yaml")
	require.NoError(t, err)
	assert.Nil(t, f.promBackendFlag("127.0.0.1:40002"))
}
