// Package waterfall forwards to internal/waterfall, where the terminal trace renderer now lives:
// it is tooling shared by the chapters' demos, not part of chapter 2's lesson. It remains only
// until chapters 3 to 5 import github.com/rpc-tracing/workbook/internal/waterfall directly, and
// then goes away.
package waterfall

import (
	"io"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/rpc-tracing/workbook/internal/waterfall"
)

// DefaultWidth is waterfall.DefaultWidth.
const DefaultWidth = waterfall.DefaultWidth

// Span is waterfall.Span.
type Span = waterfall.Span

// Renderer is waterfall.Renderer.
type Renderer = waterfall.Renderer

// Render is waterfall.Render.
func Render(w io.Writer, spans []Span) error { return waterfall.Render(w, spans) }

// FromSDK is waterfall.FromSDK.
func FromSDK(spans []sdktrace.ReadOnlySpan) []Span { return waterfall.FromSDK(spans) }

// ReadStdout is waterfall.ReadStdout.
func ReadStdout(r io.Reader) ([]Span, error) { return waterfall.ReadStdout(r) }
