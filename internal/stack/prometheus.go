package stack

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rpc-tracing/workbook/internal/launch"
)

// DefaultPrometheusAddr is where the stack's Prometheus listens unless Config.FreePorts.
const DefaultPrometheusAddr = "127.0.0.1:9090"

// PrometheusURL is the base URL of the started Prometheus's API, e.g. http://127.0.0.1:9090.
func (s *Stack) PrometheusURL() string { return "http://" + s.PrometheusAddr }

// StartPrometheus starts bin/prometheus with config, exemplar storage on, its data in a fresh
// temporary directory that StopPrometheus removes, and waits until it is ready. With FreePorts
// it listens on a free port (the one Jaeger's metric backend was given, if any) and scrapes the
// started Jaeger where it listens (see Config.ScrapeTargets).
func (s *Stack) StartPrometheus(ctx context.Context, config string) error {
	addr := DefaultPrometheusAddr
	if s.cfg.FreePorts {
		if addr = s.PrometheusAddr; addr == "" { // not chosen yet for Jaeger's metric backend
			free, err := FreeAddrs(1)
			if err != nil {
				return err
			}
			addr = free[0]
		}
	} else if err := ensureFree("http://" + addr); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "workbook-prometheus-")
	if err != nil {
		return err
	}
	targets := map[string]string{}
	for job, t := range s.cfg.ScrapeTargets {
		targets[job] = t
	}
	if _, named := targets["jaeger"]; !named && s.cfg.FreePorts && s.JaegerAddrs.Metrics != "" {
		targets["jaeger"] = s.JaegerAddrs.Metrics
	}
	if _, named := targets["spanmetrics"]; !named && s.cfg.FreePorts && s.JaegerAddrs.SpanMetrics != "" {
		targets["spanmetrics"] = s.JaegerAddrs.SpanMetrics
	}
	if len(targets) > 0 {
		if config, err = retarget(config, filepath.Join(dir, "prometheus.yml"), targets); err != nil {
			return errors.Join(err, os.RemoveAll(dir))
		}
	}
	args := []string{
		"--config.file=" + config,
		"--storage.tsdb.path=" + filepath.Join(dir, "data"),
		"--storage.tsdb.retention.time=1h", // a demo's worth; keeps memory and disk small
		"--web.listen-address=" + addr,
		"--enable-feature=exemplar-storage",
		"--log.level=warn",
	}
	p, err := launch.Start("prometheus", filepath.Join(s.cfg.Bin, "prometheus"), args, nil, s.cfg.Echo)
	if err != nil {
		return errors.Join(err, os.RemoveAll(dir))
	}
	s.Prometheus, s.PrometheusAddr, s.promDir = p, addr, dir
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := p.WaitHealthy(ctx, s.PrometheusURL()+"/-/ready"); err != nil {
		p.Kill()
		s.Prometheus = nil
		return errors.Join(err, os.RemoveAll(dir))
	}
	return nil
}

// StopPrometheus stops Prometheus and removes its data.
func (s *Stack) StopPrometheus() error {
	if s.Prometheus == nil {
		return nil
	}
	err := errors.Join(s.Prometheus.Stop(30*time.Second), os.RemoveAll(s.promDir))
	s.Prometheus = nil
	return err
}

// retarget writes to out the Prometheus config at path with the static targets of the jobs in
// targets (job name to host:port) replaced, and its rule files made absolute so they are still
// found from out's directory. Everything else is kept as it is. It returns out.
func retarget(path, out string, targets map[string]string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return "", fmt.Errorf("%s: not a Prometheus config", path)
	}
	root := doc.Content[0]
	base, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return "", err
	}
	if rules := value(root, "rule_files"); rules != nil {
		for _, r := range rules.Content {
			if !filepath.IsAbs(r.Value) {
				r.Value = filepath.Join(base, r.Value)
			}
		}
	}
	found := map[string]bool{}
	if jobs := value(root, "scrape_configs"); jobs != nil {
		for _, job := range jobs.Content {
			name := value(job, "job_name")
			if name == nil {
				continue
			}
			target, ok := targets[name.Value]
			if !ok {
				continue
			}
			static := value(job, "static_configs")
			if static == nil {
				return "", fmt.Errorf("%s: job %q has no static_configs to point at %s", path, name.Value, target)
			}
			static.Content = []*yaml.Node{{Kind: yaml.MappingNode, Content: []*yaml.Node{
				{Kind: yaml.ScalarNode, Value: "targets"},
				{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Content: []*yaml.Node{
					{Kind: yaml.ScalarNode, Style: yaml.DoubleQuotedStyle, Value: target},
				}},
			}}}
			found[name.Value] = true
		}
	}
	for job := range targets {
		if !found[job] {
			return "", fmt.Errorf("%s has no scrape job %q", path, job)
		}
	}
	data, err = yaml.Marshal(&doc)
	if err != nil {
		return "", err
	}
	return out, os.WriteFile(out, data, 0o644)
}

// value returns the value of key in the mapping node m, or nil.
func value(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}
