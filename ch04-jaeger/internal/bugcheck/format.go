package bugcheck

import (
	"fmt"
	"strings"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// label names a span in a problem: its service and its name, `sing "POST /sing"`.
func label(s sdktrace.ReadOnlySpan) string {
	return fmt.Sprintf("%s %q", service(s), s.Name())
}

// labels names spans in a list: at most three, then how many more.
func labels(spans []sdktrace.ReadOnlySpan) string {
	const shown = 3
	var names []string
	for i, s := range spans {
		if i == shown {
			names = append(names, fmt.Sprintf("%d more", len(spans)-shown))
			break
		}
		names = append(names, label(s))
	}
	return strings.Join(names, ", ")
}

func service(s sdktrace.ReadOnlySpan) string {
	return attr(s, string(semconv.ServiceNameKey))
}

// attr returns a resource attribute of s as a string, or "".
func attr(s sdktrace.ReadOnlySpan, key string) string {
	if s.Resource() == nil {
		return ""
	}
	for _, kv := range s.Resource().Attributes() {
		if string(kv.Key) == key {
			return kv.Value.String()
		}
	}
	return ""
}

func ended(s sdktrace.ReadOnlySpan) bool {
	return !s.EndTime().IsZero()
}

// abbrev shortens an ID to its first eight characters, enough to tell the IDs of one trace apart.
func abbrev(id string) string {
	if len(id) <= 8 {
		return id
	}
	return id[:8] + "…"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// mergeKeys returns a map with the keys of both maps.
func mergeKeys(a, b map[string]int) map[string]bool {
	keys := make(map[string]bool, len(a)+len(b))
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}
