// Package stack starts chapter 4's (and later chapters') real stack as separate processes: Jaeger
// built from Go modules, then the five services, each waited on until it is ready, all stopped in
// reverse order. The demo and the end-to-end tests share it. It is plumbing, not a lesson.
package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rpc-tracing/workbook/internal/launch"
)

// Jaeger needs ~10 s to exit after SIGTERM (it drains its pipelines first), and has needed more
// than 30 s under load.
const jaegerStopTimeout = 90 * time.Second

// Config says where things are.
type Config struct {
	// Bin is the directory with jaeger and the services' program (the Makefile's bin/).
	Bin string
	// Program is the file in Bin that runs the services, one per process: StartService runs
	// `<Program> <service> [args]`, e.g. bin/ch04-chain read.
	Program string
	// JaegerConfig is the Jaeger config file to start with.
	JaegerConfig string
	// Env is added to every service's environment, e.g. OTEL_BSP_SCHEDULE_DELAY=500.
	Env []string
	// Echo, if set, receives every process's output as it comes.
	Echo io.Writer
	// WithPrometheus says the stack will run Prometheus too (chapter 5).
	WithPrometheus bool
	// JaegerCPUs and ServiceCPUs, if set, pin Jaeger and the services to those CPUs (a taskset
	// list such as "1" or "0-1"), so a benchmark can keep them from competing for one core.
	JaegerCPUs, ServiceCPUs string
	// FreePorts starts Jaeger and Prometheus on ports free at the time instead of the ones their
	// configs document, points the services' OTLP exporters at that Jaeger, and Jaeger's
	// Prometheus metric backend (if its config has one) at that Prometheus: tests set it, so
	// they run while a demo holds the documented ports. Read the addresses from
	// Stack.JaegerAddrs and Stack.PrometheusAddr.
	FreePorts bool
	// JaegerSets are more --set flags for Jaeger, e.g. to move an endpoint the stack does not
	// know of (a second receiver) to a free port.
	JaegerSets []string
	// ScrapeTargets, if set, replaces the targets of these Prometheus jobs (job name to
	// host:port) in the config Prometheus starts with. With FreePorts the "jaeger" job is
	// pointed at the started Jaeger's metrics, and the "spanmetrics" job at its spanmetrics
	// exporter, without being named here.
	ScrapeTargets map[string]string
}

// Stack is the running processes.
type Stack struct {
	cfg    Config
	Jaeger *launch.Proc
	// JaegerAddrs are where Jaeger listens, once StartJaeger has been called.
	JaegerAddrs JaegerAddrs
	// jaegerFlags are the --set flags that move Jaeger's endpoints to JaegerAddrs (FreePorts);
	// a restarted Jaeger keeps them, so the services find it where they sent to before.
	jaegerFlags []string
	jaegerQuery bool // its config runs the query extension, which can serve the UI
	Prometheus  *launch.Proc
	// PrometheusAddr is where Prometheus listens, once StartPrometheus has been called.
	PrometheusAddr string
	promDir        string
	Services       map[string]*launch.Proc
	group          launch.Group
	backends       launch.Group // extra backends (StartBackend)
}

// New returns a stack that has started nothing yet. It fails, with the command to fix it, when a
// binary is missing: a missing backend is a failure, never a reason to skip. Prometheus is
// needed only if it will be started (cfg.WithPrometheus), the services' program only if it is
// named (cfg.Program).
func New(cfg Config) (*Stack, error) {
	need := []string{"jaeger"}
	if cfg.WithPrometheus {
		need = append(need, "prometheus")
	}
	if cfg.Program != "" {
		need = append(need, cfg.Program)
	}
	for _, b := range need {
		if _, err := os.Stat(filepath.Join(cfg.Bin, b)); err != nil {
			return nil, fmt.Errorf("%s is missing: run `make backends` and the chapter's bins target first (%w)", filepath.Join(cfg.Bin, b), err)
		}
	}
	return &Stack{cfg: cfg, Services: map[string]*launch.Proc{}}, nil
}

// StartJaeger starts Jaeger with cfg.JaegerConfig, serving the UI if bin/jaeger-ui holds it, and
// waits until its health check answers. The first call settles the addresses (JaegerAddrs); a
// Jaeger started again after StopJaeger or KillJaeger listens on the same ones.
func (s *Stack) StartJaeger(ctx context.Context) error {
	if s.JaegerAddrs.Health == "" {
		if err := s.settleJaegerAddrs(); err != nil {
			return err
		}
	}
	if err := ensureFree(s.JaegerAddrs.HealthURL()); err != nil {
		return err
	}
	flags := append([]string{"--config", s.cfg.JaegerConfig}, s.jaegerFlags...)
	flags = append(flags, s.cfg.JaegerSets...)
	if s.jaegerQuery {
		flags = append(flags, uiFlag(s.cfg.Bin)...)
	}
	bin, args := Pinned(s.cfg.JaegerCPUs, filepath.Join(s.cfg.Bin, "jaeger"), flags...)
	p, err := launch.Start("jaeger", bin, args, nil, s.cfg.Echo)
	if err != nil {
		return err
	}
	s.Jaeger = p
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := p.WaitHealthy(ctx, s.JaegerAddrs.HealthURL()); err != nil {
		p.Kill()
		s.Jaeger = nil
		return err
	}
	return nil
}

// settleJaegerAddrs reads the endpoints from Jaeger's config and, with FreePorts, moves them to
// free ports and tells the services (started later) where the OTLP receiver is.
func (s *Stack) settleJaegerAddrs() error {
	f, err := readJaegerConfig(s.cfg.JaegerConfig)
	if err != nil {
		return err
	}
	s.JaegerAddrs, s.jaegerQuery = f.addrs, f.withQuery
	if !s.cfg.FreePorts {
		return nil
	}
	if s.JaegerAddrs, s.jaegerFlags, err = f.withFreePorts(); err != nil {
		return err
	}
	if f.promBackend != "" && s.cfg.WithPrometheus {
		// Jaeger queries the stack's Prometheus, which starts later: choose its port now.
		free, err := FreeAddrs(1)
		if err != nil {
			return err
		}
		s.PrometheusAddr = free[0]
		s.jaegerFlags = append(s.jaegerFlags, f.promBackendFlag(s.PrometheusAddr)...)
	}
	if s.JaegerAddrs.OTLPGRPC != "" {
		s.cfg.Env = append(slices.Clip(s.cfg.Env), "OTEL_EXPORTER_OTLP_ENDPOINT="+s.JaegerAddrs.OTLPEndpoint())
	}
	return nil
}

// StopJaeger stops Jaeger gracefully and waits for it.
func (s *Stack) StopJaeger() error {
	if s.Jaeger == nil {
		return nil
	}
	err := s.Jaeger.Stop(jaegerStopTimeout)
	s.Jaeger = nil
	return err
}

// KillJaeger ends Jaeger at once, as a crash would.
func (s *Stack) KillJaeger() {
	if s.Jaeger != nil {
		s.Jaeger.Kill()
		s.Jaeger = nil
	}
}

var serving = regexp.MustCompile(`msg=serving`)

// StartService starts the service name in a process of its own, `bin/<Program> <name> args…`,
// and waits for its "serving" log line.
func (s *Stack) StartService(ctx context.Context, name string, args ...string) error {
	return s.StartServiceWithEnv(ctx, name, nil, args...)
}

// StartServiceWithEnv is StartService with env added to Config.Env, later entries winning.
func (s *Stack) StartServiceWithEnv(ctx context.Context, name string, env []string, args ...string) error {
	bin, args := Pinned(s.cfg.ServiceCPUs, filepath.Join(s.cfg.Bin, s.cfg.Program), append([]string{name}, args...)...)
	p, err := launch.Start(name, bin, args, append(slices.Clip(s.cfg.Env), env...), s.cfg.Echo)
	if err != nil {
		return err
	}
	s.group.Add(p)
	s.Services[name] = p
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err = p.WaitForLog(ctx, serving)
	return err
}

// StopServices sends SIGTERM to every service, the last started first, and waits for each.
func (s *Stack) StopServices(timeout time.Duration) error {
	err := s.group.StopAll(timeout)
	s.Services = map[string]*launch.Proc{}
	return err
}

// Stop stops the services, then Prometheus and Jaeger.
func (s *Stack) Stop() error {
	return errors.Join(s.StopServices(15*time.Second), s.backends.StopAll(jaegerStopTimeout), s.StopPrometheus(), s.StopJaeger())
}

// JaegerBackend returns where a Jaeger started with the config at path listens, and the
// arguments to start it with for StartBackend: `--config path`, and with Config.FreePorts the
// --set flags that move every endpoint to a port free at this moment. Start it again with the
// same arguments and it listens on the same addresses.
func (s *Stack) JaegerBackend(path string) (JaegerAddrs, []string, error) {
	f, err := readJaegerConfig(path)
	if err != nil {
		return JaegerAddrs{}, nil, err
	}
	args := []string{"--config", path}
	if !s.cfg.FreePorts {
		return f.addrs, args, nil
	}
	addrs, sets, err := f.withFreePorts()
	if err != nil {
		return JaegerAddrs{}, nil, err
	}
	return addrs, append(args, sets...), nil
}

// StartBackend starts one more backend process from bin/ (e.g. a second Jaeger in another
// role), waits until healthURL answers, and stops it with the rest: the last started first. A
// Jaeger (bin "jaeger") whose config runs the query extension serves the UI, as StartJaeger's does.
func (s *Stack) StartBackend(ctx context.Context, name, bin string, args, env []string, healthURL string) (*launch.Proc, error) {
	if err := ensureFree(healthURL); err != nil {
		return nil, err
	}
	if bin == "jaeger" {
		if f, err := readJaegerConfig(configArg(args)); err == nil && f.withQuery {
			args = append(slices.Clip(args), uiFlag(s.cfg.Bin)...)
		}
	}
	p, err := launch.Start(name, filepath.Join(s.cfg.Bin, bin), args, env, s.cfg.Echo)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := p.WaitHealthy(ctx, healthURL); err != nil {
		p.Kill()
		return nil, err
	}
	s.backends.Add(p)
	return p, nil
}

// configArg returns the file named by --config in a Jaeger command line.
func configArg(args []string) string {
	for i, a := range args {
		if a == "--config" && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, "--config="); ok {
			return v
		}
	}
	return ""
}

// Pinned returns the command line that runs bin with args on cpus: through taskset, which
// sets the CPU affinity and then execs bin (so signals still reach bin itself), or bin as it is
// when cpus is empty.
func Pinned(cpus, bin string, args ...string) (string, []string) {
	if cpus == "" {
		return bin, args
	}
	return "taskset", append([]string{"--cpu-list", cpus, bin}, args...)
}
