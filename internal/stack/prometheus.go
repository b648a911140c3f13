package stack

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/rpc-tracing/workbook/internal/launch"
)

// PrometheusAddr is where the stack's Prometheus listens.
const PrometheusAddr = "127.0.0.1:9090"

// StartPrometheus starts bin/prometheus with config, exemplar storage on, its data in a fresh
// temporary directory that StopPrometheus removes, and waits until it is ready.
func (s *Stack) StartPrometheus(ctx context.Context, config string) error {
	if err := ensureFree("http://" + PrometheusAddr); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "workbook-prometheus-")
	if err != nil {
		return err
	}
	args := []string{
		"--config.file=" + config,
		"--storage.tsdb.path=" + dir,
		"--storage.tsdb.retention.time=1h", // a demo's worth; keeps memory and disk small
		"--web.listen-address=" + PrometheusAddr,
		"--enable-feature=exemplar-storage",
		"--log.level=warn",
	}
	p, err := launch.Start("prometheus", filepath.Join(s.cfg.Bin, "prometheus"), args, nil, s.cfg.Echo)
	if err != nil {
		return errors.Join(err, os.RemoveAll(dir))
	}
	s.Prometheus, s.promDir = p, dir
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := p.WaitHealthy(ctx, "http://"+PrometheusAddr+"/-/ready"); err != nil {
		p.Kill()
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
