package chainload

// Sampling is how much of the chain's traffic is traced, set through the standard
// OTEL_TRACES_SAMPLER variables the services honour: no code changes between configurations.
type Sampling struct {
	Name string
	Env  []string
}

// The three configurations docs/performance.md compares.
var (
	// Off keeps the instrumentation in place but records nothing: always_off makes every span
	// a non-recording one, so nothing is exported. It is the baseline: what the services cost
	// with tracing switched off the way a team would switch it off.
	Off = Sampling{Name: "off", Env: []string{"OTEL_TRACES_SAMPLER=always_off"}}
	// OnePercent samples 1% of the traces at the edge; the other services follow the edge's
	// decision (parent-based), so a trace is whole or absent.
	OnePercent = Sampling{Name: "1pct", Env: []string{
		"OTEL_TRACES_SAMPLER=parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG=0.01",
	}}
	// Full records and exports every span.
	Full = Sampling{Name: "100pct", Env: []string{"OTEL_TRACES_SAMPLER=parentbased_always_on"}}
)
