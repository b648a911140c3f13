package chain

import (
	"flag"
	"log/slog"
	"time"

	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch04-jaeger/read"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
	"github.com/rpc-tracing/workbook/ch04-jaeger/speak"
	"github.com/rpc-tracing/workbook/ch04-jaeger/write"
)

// Addrs are where the five services listen. The defaults are on loopback; docs/ch04-jaeger.md
// lists them.
type Addrs struct {
	Listen, Speak, Read, Write, Sing string
}

// DefaultAddrs are the documented ports.
var DefaultAddrs = Addrs{
	Listen: "127.0.0.1:8080",
	Speak:  "127.0.0.1:8061",
	Read:   "127.0.0.1:8062",
	Write:  "127.0.0.1:8063",
	Sing:   "127.0.0.1:8081",
}

// Of returns the address of the named service.
func (a Addrs) Of(service string) string {
	return map[string]string{listen.Name: a.Listen, speak.Name: a.Speak, read.Name: a.Read, write.Name: a.Write, sing.Name: a.Sing}[service]
}

// AddrsOf is the inverse of Addrs.Of: the Addrs that put each service at addrs[service].
func AddrsOf(addrs map[string]string) Addrs {
	return Addrs{Listen: addrs[listen.Name], Speak: addrs[speak.Name], Read: addrs[read.Name], Write: addrs[write.Name], Sing: addrs[sing.Name]}
}

// Flags returns the command-line flags that set these addresses (see Config.RegisterFlags): a
// service started with them finds every other one where a says.
func (a Addrs) Flags() []string {
	return []string{"-listen", a.Listen, "-speak", a.Speak, "-read", a.Read, "-write", a.Write, "-sing", a.Sing}
}

// Config is what every service needs besides its telemetry.
type Config struct {
	Addrs Addrs
	// Delay is how long a service waits when a request's baggage asks it to be slow.
	Delay time.Duration
	// Timeout bounds each request at the edge, end to end.
	Timeout time.Duration
	// Grace is how long in-flight requests get to finish at shutdown.
	Grace time.Duration
	// PublicEndpoint makes the edge start a new trace for every request (see listen.Config).
	PublicEndpoint bool
	Logger         *slog.Logger
}

// DefaultConfig is what the programs start with before their flags.
func DefaultConfig() Config {
	return Config{Addrs: DefaultAddrs, Delay: 500 * time.Millisecond, Timeout: 3 * time.Second, Grace: 5 * time.Second, Logger: slog.Default()}
}

// RegisterFlags adds the flags that change cfg to fs: every service's address, the fault knobs'
// delay, the edge's timeout, the shutdown grace and the edge's public-endpoint mode.
func (cfg *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&cfg.Addrs.Listen, "listen", cfg.Addrs.Listen, "listen's address (HTTP edge)")
	fs.StringVar(&cfg.Addrs.Speak, "speak", cfg.Addrs.Speak, "speak's address (gRPC)")
	fs.StringVar(&cfg.Addrs.Read, "read", cfg.Addrs.Read, "read's address (gRPC)")
	fs.StringVar(&cfg.Addrs.Write, "write", cfg.Addrs.Write, "write's address (gRPC)")
	fs.StringVar(&cfg.Addrs.Sing, "sing", cfg.Addrs.Sing, "sing's address (HTTP)")
	fs.DurationVar(&cfg.Delay, "delay", cfg.Delay, "how long a service waits when a request's ?slow= names it")
	fs.DurationVar(&cfg.Timeout, "timeout", cfg.Timeout, "end-to-end limit of each request at the edge")
	fs.DurationVar(&cfg.Grace, "shutdown-timeout", cfg.Grace, "how long in-flight requests get to finish on shutdown")
	fs.BoolVar(&cfg.PublicEndpoint, "public-endpoint", cfg.PublicEndpoint, "edge: start a new trace per request, linked to the caller's, instead of continuing it")
}
