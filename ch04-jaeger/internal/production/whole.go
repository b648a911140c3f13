package production

import (
	"slices"
	"strings"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/speak"
	"github.com/rpc-tracing/workbook/internal/jaegerapi"
)

// failingCore is what the trace of a ?fail=write request always has: the path to write. speak's
// call to read runs beside it and may be cancelled by the failure before it starts (no more
// spans), before it reaches read (speak's client span, in error) or not at all (read's server
// span too).
var failingCore = []string{
	"listen/server",
	"listen/server > listen/client",
	"listen/server > listen/client > speak/server",
	"listen/server > listen/client > speak/server > speak/client",
	"listen/server > listen/client > speak/server > speak/client > write/server",
}

const (
	readClient = "listen/server > listen/client > speak/server > speak/client"
	readServer = readClient + " > read/server"
)

// Whole reports whether a stored trace has every span its request made, each under the parent it
// should have. A trace stored in part (a span lost between a service and storage) is not whole.
func Whole(spans []jaegerapi.Span, failing bool) bool {
	paths := jaegerapi.Paths(spans)
	if !failing {
		return sameElements(paths, chain.AnsweredTrace)
	}
	rest, ok := without(paths, failingCore)
	if !ok || len(rest) > 2 {
		return false
	}
	for _, p := range rest {
		if p != readClient && p != readServer {
			return false
		}
	}
	return readAnsweredOrFailed(spans)
}

// readAnsweredOrFailed checks speak's call to read: a call that ended without an error reached
// read, so read's server span must be there.
func readAnsweredOrFailed(spans []jaegerapi.Span) bool {
	children := map[string]int{}
	for _, s := range spans {
		children[s.ParentSpanID]++
	}
	for _, s := range spans {
		isReadCall := s.Service == speak.Name && s.Kind == "client" && strings.Contains(s.Name, "ReadService")
		if isReadCall && !s.Error && children[s.SpanID] == 0 {
			return false
		}
	}
	return true
}

// without removes one occurrence of each of want from got; ok is false if one is missing.
func without(got, want []string) (rest []string, ok bool) {
	rest = slices.Clone(got)
	for _, w := range want {
		i := slices.Index(rest, w)
		if i < 0 {
			return nil, false
		}
		rest = slices.Delete(rest, i, i+1)
	}
	return rest, true
}

func sameElements(got, want []string) bool {
	rest, ok := without(got, want)
	return ok && len(rest) == 0
}
