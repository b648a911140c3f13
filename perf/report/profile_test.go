package report

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/pprof/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stack is one sample: its value and its frames, innermost first.
type stack struct {
	value  int64
	frames []string
}

// writeProfile writes a profile with one sample type and the given stacks.
func writeProfile(t *testing.T, path, sampleType string, stacks []stack) {
	t.Helper()
	p := &profile.Profile{SampleType: []*profile.ValueType{{Type: sampleType, Unit: "count"}}}
	funcs := map[string]*profile.Function{}
	for _, s := range stacks {
		sample := &profile.Sample{Value: []int64{s.value}}
		for _, name := range s.frames {
			fn, ok := funcs[name]
			if !ok {
				fn = &profile.Function{ID: uint64(len(funcs) + 1), Name: name}
				funcs[name] = fn
				p.Function = append(p.Function, fn)
			}
			loc := &profile.Location{ID: uint64(len(p.Location) + 1), Line: []profile.Line{{Function: fn}}}
			p.Location = append(p.Location, loc)
			sample.Location = append(sample.Location, loc)
		}
		p.Sample = append(p.Sample, sample)
	}
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	require.NoError(t, p.Write(f))
}

// Stacks of a traced call: who allocates is the runtime or the standard library, whose code led
// there is what counts.
var (
	viaOtelgrpc = []string{"runtime.mallocgc", "context.WithValue", "go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc.(*serverHandler).TagRPC", "google.golang.org/grpc.(*Server).handleStream"}
	viaGRPC     = []string{"runtime.mallocgc", "google.golang.org/grpc/metadata.copyOf", "google.golang.org/grpc.newClientStream"}
	viaSDK      = []string{"go.opentelemetry.io/otel/sdk/trace.(*tracer).newRecordingSpan", "go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc.(*clientHandler).TagRPC"}
	viaWorkbook = []string{"reflect.New", "github.com/rpc-tracing/workbook/ch01-netrpc/calc.DetachReply"}
	viaHarness  = []string{"net/http.(*Client).Do", "github.com/rpc-tracing/workbook/perf/chainload_test.post"}
	viaRuntime  = []string{"runtime.gcBgMarkWorker"}
	viaPlugin   = []string{"runtime.mallocgc", "google.golang.org/grpc/stats/opentelemetry.(*clientTracingHandler).TagRPC", "google.golang.org/grpc.newClientStream"}
)

func TestReadProfileChargesTheFirstFrameThatIsNotTheStandardLibrary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.prof")
	writeProfile(t, path, "alloc_objects", []stack{
		{40, viaGRPC}, {20, viaOtelgrpc}, {5, viaPlugin}, {15, viaSDK}, {10, viaWorkbook}, {5, viaHarness}, {5, viaRuntime},
	})
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	p, err := ReadProfile(f, "alloc_objects")
	require.NoError(t, err)
	assert.Equal(t, []Owner{
		{"grpc-go", 0.40}, {"otelgrpc", 0.20}, {"OpenTelemetry SDK", 0.15}, {Workbook, 0.10},
		{StdOwner, 0.05}, {Harness, 0.05}, {"grpc-go's OpenTelemetry plugin", 0.05},
	}, p.Owners)
}

func TestReadProfileWantsTheSampleType(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.prof")
	writeProfile(t, path, "cpu", []stack{{1, viaGRPC}})
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	_, err = ReadProfile(f, "alloc_objects")
	assert.ErrorContains(t, err, `no "alloc_objects" samples`)
}

// sampleProfiles writes the sample run's profiles into results: every untraced profile is
// grpc-go and the harness only; every traced one adds otelgrpc and the SDK.
func sampleProfiles(t *testing.T, results string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Join(results, ProfileDir), 0o755))
	for _, p := range Profiles {
		stacks := []stack{{60, viaGRPC}, {40, viaHarness}} // untraced: 60% grpc-go, 40% harness
		if p.Bench != grpcUntraced && p.Bench != netrpcTunedBase && p.Bench != chainOff {
			stacks = append(stacks, stack{50, viaOtelgrpc}, stack{50, viaSDK}) // half again, traced
		}
		writeProfile(t, filepath.Join(results, ProfileDir, p.Name+".prof"), p.SampleType, stacks)
	}
}
