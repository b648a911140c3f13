package bugs_test

import (
	"context"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
	"github.com/rpc-tracing/workbook/ch04-jaeger/bugs"
	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/ch04-jaeger/internal/bugcheck"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	"github.com/rpc-tracing/workbook/ch04-jaeger/read"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
	"github.com/rpc-tracing/workbook/ch04-jaeger/speak"
	"github.com/rpc-tracing/workbook/ch04-jaeger/write"
	"github.com/rpc-tracing/workbook/internal/proctest"
	"github.com/rpc-tracing/workbook/internal/waterfall"
)

// variant produces the spans of one run of a lab.
type variant func(t *testing.T) []sdktrace.ReadOnlySpan

// bugLabs are the six labs: for each, how to run both variants, what a whole trace of its
// request looks like, and the problems Check must find in the broken one (their rule, and
// their text with the random IDs and the durations left open).
var bugLabs = []struct {
	name          string
	broken, fixed variant
	expect        bugcheck.Expect
	want          []bugcheck.Problem // among the problems of the broken trace; ID and DURATION match any
	also          func(t *testing.T, fixed []sdktrace.ReadOnlySpan)
}{
	{
		name:   "1 context captured at startup",
		broken: inProcess(bugs.BrokenCtxCapture), fixed: inProcess(bugs.FixedCtxCapture),
		expect: bugcheck.Expect{Spans: map[string]int{speak.Name: 2, read.Name: 1}},
		want:   []bugcheck.Problem{{Rule: bugcheck.SplitTrace, Text: `trace split in 2: ID has speak "study"; ID has speak "study.v1.ReadService/Read", read "study.v1.ReadService/Read"`}},
	},
	{
		name:   "2 span ended before its request",
		broken: inProcess(bugs.BrokenSpanEnd), fixed: inProcess(bugs.FixedSpanEnd),
		expect: bugcheck.Expect{Spans: map[string]int{write.Name: 2, sing.Name: 1}},
		want:   []bugcheck.Problem{{Rule: bugcheck.ParentEndedFirst, Text: `span write "call sing" ended DURATION before its child sing "POST /sing" started`}},
	},
	{
		name:   "3 a TracerProvider per request",
		broken: inProcess(bugs.BrokenTracerPerRequest), fixed: inProcess(bugs.FixedTracerPerRequest),
		expect: bugcheck.Expect{Spans: map[string]int{write.Name: 3, sing.Name: 2}, OneProviderPerService: true},
		want:   []bugcheck.Problem{{Rule: bugcheck.ManyProviders, Text: `sing: 2 spans from 2 TracerProviders (service.instance.id ID, ID) where one process has one`}},
	},
	{
		name:   "4 provider never shut down",
		broken: inChild("noshutdown/broken", "Ada reads the notes.", 0), fixed: inChild("noshutdown/fixed", "Ada reads the notes.", 0),
		expect: bugcheck.Expect{Spans: map[string]int{bugs.Student: 2, sing.Name: 1}},
		want: []bugcheck.Problem{
			{Rule: bugcheck.MissingParent, Text: `span sing "POST /sing" has parent ID, which is not in the trace: lost, or never exported`},
			{Rule: bugcheck.SpanCount, Text: `student: 2 spans expected, 0 arrived`},
		},
	},
	{
		name:   "5 no propagator set",
		broken: noGlobalPropagator(inProcess(bugs.BrokenNoPropagator)), fixed: inProcess(bugs.FixedNoPropagator),
		expect: bugcheck.Expect{Spans: map[string]int{write.Name: 2, sing.Name: 1}},
		want:   []bugcheck.Problem{{Rule: bugcheck.SplitTrace, Text: `trace split in 2: ID has write "study", write "HTTP POST"; ID has sing "POST /sing"`}},
	},
	{
		name:   "6 log.Fatal after the provider exists",
		broken: inChild("fatalexit/broken", "Psst! Hmm.", 1), fixed: inChild("fatalexit/fixed", "Psst! Hmm.", 1),
		expect: bugcheck.Expect{Spans: map[string]int{bugs.Student: 2, sing.Name: 1}},
		want: []bugcheck.Problem{
			{Rule: bugcheck.MissingParent, Text: `span sing "POST /sing" has parent ID, which is not in the trace: lost, or never exported`},
			{Rule: bugcheck.SpanCount, Text: `student: 2 spans expected, 0 arrived`},
		},
		also: func(t *testing.T, fixed []sdktrace.ReadOnlySpan) {
			var failed []string
			for _, s := range fixed {
				if s.Status().Code == codes.Error {
					failed = append(failed, s.Name()+": "+s.Status().Description)
				}
			}
			assert.Equal(t, []string{`study: no song in "Psst! Hmm."`}, failed, "the fixed trace keeps the failure")
		},
	},
}

// TestBugs runs every lab's two variants and checks that Check finds the bug in the broken trace
// and nothing in the fixed one. With -v it logs, for the docs, what Check says about the broken
// trace and both traces as waterfalls.
func TestBugs(t *testing.T) {
	for _, lab := range bugLabs {
		t.Run(lab.name, func(t *testing.T) {
			broken, fixed := lab.broken(t), lab.fixed(t)
			problems := bugcheck.Check(broken, lab.expect)
			t.Logf("Check on the broken trace:\n%s", list(problems))
			t.Logf("broken:\n%s", render(t, broken))
			t.Logf("fixed:\n%s", render(t, fixed))

			for _, want := range lab.want {
				assert.Condition(t, func() bool { return hasProblem(problems, want.Rule, pattern(want.Text)) },
					"want a %q problem matching %q, got:\n%s", want.Rule, want.Text, list(problems))
			}
			assert.Empty(t, bugcheck.Check(fixed, lab.expect), "the fixed trace")
			if lab.also != nil {
				lab.also(t, fixed)
			}
		})
	}
}

// inProcess adapts a lab that runs in the test's process.
func inProcess(run func(context.Context) ([]sdktrace.ReadOnlySpan, error)) variant {
	return func(t *testing.T) []sdktrace.ReadOnlySpan {
		t.Helper()
		spans, err := run(t.Context())
		require.NoError(t, err)
		return spans
	}
}

// noGlobalPropagator runs v after checking that nothing has set the global propagator: the no
// propagator lab is only broken while the global is the SDK's default, which carries nothing.
func noGlobalPropagator(v variant) variant {
	return func(t *testing.T) []sdktrace.ReadOnlySpan {
		t.Helper()
		require.Empty(t, otel.GetTextMapPropagator().Fields(), "the global propagator has been set")
		return v(t)
	}
}

// inChild runs a lost-spans lab's program in a child process (this test binary, see TestMain)
// against chapter 4's sing in this process, and returns what a backend would hold: sing's
// spans, recorded here, and the program's, as far as its exporter got before the process ended.
func inChild(name, text string, wantExit int) variant {
	return func(t *testing.T) []sdktrace.ReadOnlySpan {
		t.Helper()
		rec := tracetest.NewSpanRecorder()
		tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec),
			sdktrace.WithResource(resource.NewSchemaless(semconv.ServiceName(sing.Name))))
		sing := httptest.NewServer(sing.NewHandler(
			otelsetup.Providers{Tracer: tp, Propagator: telemetry.Propagator()}, faults.Knob{Service: sing.Name}))

		t.Setenv(programEnv, name)
		t.Setenv("GORACE", "atexit_sleep_ms=0") // a -race child otherwise waits a second to exit
		res := proctest.Run(t, 30*time.Second, os.Args[0], sing.URL, text)
		sing.Close() // waits for sing's handlers: their spans have ended
		require.NoError(t, tp.Shutdown(context.Background()))
		require.Equal(t, wantExit, res.ExitCode, "%s: stdout:\n%s\nstderr:\n%s", name, res.Stdout, res.Stderr)
		if wantExit != 0 {
			assert.Contains(t, res.Stderr, "no song in", "the program says why it failed")
		}
		return append(rec.Ended(), decodeSpans(t, res.Stdout)...)
	}
}

// pattern turns a problem's text with placeholders into a regexp: ID stands for an
// abbreviated ID, DURATION for a duration.
func pattern(text string) *regexp.Regexp {
	quoted := regexp.QuoteMeta(text)
	quoted = strings.ReplaceAll(quoted, "ID", `[0-9a-zA-Z]{8}…`)
	quoted = strings.ReplaceAll(quoted, "DURATION", `[0-9.]+(ns|µs|ms|s)`)
	return regexp.MustCompile("^" + quoted + "$")
}

func hasProblem(problems []bugcheck.Problem, rule bugcheck.Rule, text *regexp.Regexp) bool {
	for _, p := range problems {
		if p.Rule == rule && text.MatchString(p.Text) {
			return true
		}
	}
	return false
}

func list(problems []bugcheck.Problem) string {
	if len(problems) == 0 {
		return "  (none)"
	}
	var b strings.Builder
	for _, p := range problems {
		b.WriteString("  - " + p.Text + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func render(t *testing.T, spans []sdktrace.ReadOnlySpan) string {
	t.Helper()
	var b strings.Builder
	require.NoError(t, waterfall.Render(&b, waterfall.FromSDK(spans)))
	return b.String()
}
