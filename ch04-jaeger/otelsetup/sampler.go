package otelsetup

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/contrib/samplers/jaegerremote"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// remoteSampler honours OTEL_TRACES_SAMPLER=jaeger_remote or parentbased_jaeger_remote, values
// the OpenTelemetry specification defines but the Go SDK leaves to contrib: the sampling
// decision is then made by a strategy each service polls from Jaeger's remote_sampling
// extension. OTEL_TRACES_SAMPLER_ARG gives
// "endpoint=http://127.0.0.1:5778/sampling,pollingIntervalMs=5000,initialSamplingRate=0.25".
// For any other value it returns nil, and the SDK reads the variable itself. stop ends the
// sampler's polling.
func remoteSampler(service string) (sampler sdktrace.Sampler, stop func(), err error) {
	kind := os.Getenv("OTEL_TRACES_SAMPLER")
	if kind != "jaeger_remote" && kind != "parentbased_jaeger_remote" {
		return nil, func() {}, nil
	}
	args, err := parseSamplerArg(os.Getenv("OTEL_TRACES_SAMPLER_ARG"))
	if err != nil {
		return nil, nil, err
	}
	// region: remote-sampler
	remote := jaegerremote.New(service,
		jaegerremote.WithSamplingServerURL(args.endpoint),
		jaegerremote.WithSamplingRefreshInterval(args.polling),
		jaegerremote.WithInitialSampler(sdktrace.TraceIDRatioBased(args.initialRate)))
	if kind == "parentbased_jaeger_remote" {
		return sdktrace.ParentBased(remote), remote.Close, nil
	}
	// endregion
	return remote, remote.Close, nil
}

type samplerArgs struct {
	endpoint    string
	polling     time.Duration
	initialRate float64
}

// parseSamplerArg reads the specification's key=value list, with its defaults.
func parseSamplerArg(arg string) (samplerArgs, error) {
	a := samplerArgs{endpoint: "http://127.0.0.1:5778/sampling", polling: time.Minute, initialRate: 0.001}
	for _, kv := range strings.Split(arg, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok {
			if strings.TrimSpace(kv) == "" {
				continue
			}
			return a, fmt.Errorf("OTEL_TRACES_SAMPLER_ARG: %q is not key=value", kv)
		}
		switch k {
		case "endpoint":
			a.endpoint = v
		case "pollingIntervalMs":
			ms, err := strconv.Atoi(v)
			if err != nil || ms <= 0 {
				return a, fmt.Errorf("OTEL_TRACES_SAMPLER_ARG: pollingIntervalMs=%q", v)
			}
			a.polling = time.Duration(ms) * time.Millisecond
		case "initialSamplingRate":
			r, err := strconv.ParseFloat(v, 64)
			if err != nil || r < 0 || r > 1 {
				return a, fmt.Errorf("OTEL_TRACES_SAMPLER_ARG: initialSamplingRate=%q", v)
			}
			a.initialRate = r
		default:
			return a, fmt.Errorf("OTEL_TRACES_SAMPLER_ARG: unknown key %q", k)
		}
	}
	return a, nil
}
