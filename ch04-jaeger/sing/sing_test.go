package sing_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
)

func TestSong(t *testing.T) {
	assert.Equal(t, "la-la la la la-la", sing.Song("Ada reads the notes."))
	assert.Equal(t, "", sing.Song("tsk 123"), "no vowels, no song")
}

func TestClientGetsTheHandlersSong(t *testing.T) {
	p := otelsetup.Providers{Tracer: noop.NewTracerProvider(), Propagator: propagation.TraceContext{}}
	srv := httptest.NewServer(sing.NewHandler(p, faults.Knob{Service: sing.Name}))
	defer srv.Close()
	song, err := sing.NewClient(srv.URL, p).Sing(context.Background(), "Ada reads")
	require.NoError(t, err)
	assert.Equal(t, "la-la la", song)
}

func ExampleSong() {
	fmt.Println(sing.Song("Ada reads the notes."))
	// Output: la-la la la la-la
}
