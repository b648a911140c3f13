package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/google/pprof/profile"
)

// Owner is who a share of a profile belongs to: a library, the workbook's code, the benchmark's
// own harness, or the Go runtime and standard library.
type Owner struct {
	Name  string
	Share float64 // of the profile's total, 0 to 1
}

// Profile is a profile summarised by owner.
type Profile struct {
	Owners []Owner // largest share first
}

// Share is owner's share of the profile, 0 if it has none.
func (p Profile) Share(owner string) float64 {
	for _, o := range p.Owners {
		if o.Name == owner {
			return o.Share
		}
	}
	return 0
}

// owners maps a function name's prefix to who owns it; the first match wins.
var owners = []struct{ prefix, name string }{
	{"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc", "otelgrpc"},
	{"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp", "otelhttp"},
	{"go.opentelemetry.io/contrib/processors/baggagecopy", "baggagecopy"},
	{"go.opentelemetry.io/otel/exporters/otlp", "OTLP exporter"},
	{"go.opentelemetry.io/proto/otlp", "OTLP exporter"},
	{"go.opentelemetry.io/otel/sdk", "OpenTelemetry SDK"},
	{"go.opentelemetry.io/otel", "OpenTelemetry API"},
	{"google.golang.org/grpc/stats/opentelemetry", "grpc-go's OpenTelemetry plugin"},
	{"google.golang.org/grpc/experimental/opentelemetry", "grpc-go's OpenTelemetry plugin"},
	{"google.golang.org/grpc", "grpc-go"},
	{"golang.org/x/net/http2", "grpc-go"}, // gRPC's HTTP/2 framing
	{"google.golang.org/protobuf", "protobuf"},
}

// StdOwner owns what no other owner's code led to: the runtime's own work (the garbage
// collector, the scheduler) and the standard library called from the standard library.
const StdOwner = "Go runtime and standard library"

// Harness owns the benchmark's own code (its loop, its load generator).
const Harness = "benchmark harness"

// Workbook owns the workbook's packages.
const Workbook = "the workbook's code"

// ownerOf says who owns a function, or "" for Go's runtime and standard library, whose work is
// charged to whoever called it.
func ownerOf(function string) string {
	for _, o := range owners {
		if strings.HasPrefix(function, o.prefix) {
			return o.name
		}
	}
	if strings.HasPrefix(function, "github.com/rpc-tracing/workbook/") {
		pkg, _, _ := strings.Cut(function[len("github.com/rpc-tracing/workbook/"):], ".")
		if strings.HasSuffix(pkg, "_test") {
			return Harness
		}
		return Workbook
	}
	return ""
}

// chargedTo walks a sample's stack from the innermost frame out (inlined frames first, as pprof
// lists them) and returns the first frame's owner that is not the standard library: an
// allocation in context.WithValue called by otelgrpc is otelgrpc's, a write syscall made by
// grpc-go's transport is grpc-go's.
func chargedTo(s *profile.Sample) string {
	for _, loc := range s.Location {
		for _, line := range loc.Line {
			if line.Function == nil {
				continue
			}
			if o := ownerOf(line.Function.Name); o != "" {
				return o
			}
		}
	}
	return StdOwner
}

// ReadProfile reads a pprof profile (as go test -cpuprofile or -memprofile writes it) and sums
// the values of sampleType ("cpu", "alloc_objects", …) by owner.
func ReadProfile(r io.Reader, sampleType string) (Profile, error) {
	p, err := profile.Parse(r)
	if err != nil {
		return Profile{}, err
	}
	index := -1
	for i, st := range p.SampleType {
		if st.Type == sampleType {
			index = i
		}
	}
	if index < 0 {
		return Profile{}, fmt.Errorf("report: the profile has no %q samples", sampleType)
	}
	sums := map[string]float64{}
	var total float64
	for _, s := range p.Sample {
		v := float64(s.Value[index])
		sums[chargedTo(s)] += v
		total += v
	}
	if total == 0 {
		return Profile{}, fmt.Errorf("report: the profile's %q samples add up to 0", sampleType)
	}
	var out Profile
	for name, v := range sums {
		out.Owners = append(out.Owners, Owner{Name: name, Share: v / total})
	}
	slices.SortFunc(out.Owners, func(a, b Owner) int {
		if a.Share != b.Share {
			if a.Share > b.Share {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}
