package production

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/rpc-tracing/workbook/internal/jaegerapi"
	"github.com/rpc-tracing/workbook/internal/waterfall"
)

// chainTrace builds the spans of one request through the chain, as Jaeger returns them; drop
// removes spans by ID and failedRead marks speak's read call as failed.
func chainTrace(drop []string, failedRead bool) []jaegerapi.Span {
	type def struct{ id, parent, service, kind, name string }
	defs := []def{
		{"1", "caller", "listen", "server", "POST /api/study"},
		{"2", "1", "listen", "client", "study.v1.SpeakService/Speak"},
		{"3", "2", "speak", "server", "study.v1.SpeakService/Speak"},
		{"4", "3", "speak", "client", "study.v1.ReadService/Read"},
		{"5", "4", "read", "server", "study.v1.ReadService/Read"},
		{"6", "3", "speak", "client", "study.v1.WriteService/Write"},
		{"7", "6", "write", "server", "study.v1.WriteService/Write"},
		{"8", "7", "write", "client", "HTTP POST"},
		{"9", "8", "sing", "server", "POST /sing"},
	}
	var spans []jaegerapi.Span
	for _, d := range defs {
		if slices.Contains(drop, d.id) {
			continue
		}
		s := waterfall.Span{SpanID: d.id, ParentSpanID: d.parent, Service: d.service, Kind: d.kind, Name: d.name}
		s.Error = failedRead && d.id == "4"
		spans = append(spans, jaegerapi.Span{Span: s})
	}
	return spans
}

func TestWholeKnowsEveryTraceTheChainMakes(t *testing.T) {
	for _, tc := range []struct {
		name       string
		drop       []string
		failedRead bool
		failing    bool
		whole      bool
	}{
		{"an answered request, nine spans", nil, false, false, true},
		{"an answered request missing sing's span", []string{"9"}, false, false, false},
		{"an answered request missing speak's server span (orphans below it)", []string{"3"}, false, false, false},
		{"a failing request whose read call ran", []string{"8", "9"}, false, true, true},
		{"a failing request whose read call was cancelled on its way", []string{"5", "8", "9"}, true, true, true},
		{"a failing request whose read call never started", []string{"4", "5", "8", "9"}, false, true, true},
		{"a failing request whose answered read call lost read's span", []string{"5", "8", "9"}, false, true, false},
		{"a failing request missing write's server span", []string{"7", "8", "9"}, false, true, false},
		{"a failing request missing the edge's client span", []string{"2", "8", "9"}, false, true, false},
		{"a failing request with spans it cannot have", nil, false, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.whole, Whole(chainTrace(tc.drop, tc.failedRead), tc.failing))
		})
	}
}
