package listen_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.uber.org/goleak"
	"google.golang.org/grpc"

	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// speakStub answers for speak without a network.
type speakStub struct{}

func (speakStub) Speak(context.Context, *studyv1.SpeakRequest, ...grpc.CallOption) (*studyv1.SpeakResponse, error) {
	return &studyv1.SpeakResponse{Reply: "well read", Read: &studyv1.ReadResponse{Words: 2}}, nil
}

func TestClientGetsTheEdgesAnswerOrItsError(t *testing.T) {
	tp := sdktrace.NewTracerProvider()
	defer func() { require.NoError(t, tp.Shutdown(context.Background())) }()
	p := otelsetup.Providers{Tracer: tp, Propagator: propagation.TraceContext{}}
	srv := httptest.NewServer(listen.NewHandler(listen.Config{Providers: p, Speak: speakStub{},
		Faults: faults.Knob{Service: listen.Name}, Timeout: 10 * time.Second}))
	defer srv.Close()
	c := listen.Client{URL: srv.URL + "/api/study"}

	cases := []struct {
		query     string
		status    int
		reply     string
		errorText string
	}{
		{"", http.StatusOK, "well read", ""},
		{"?fail=listen", http.StatusInternalServerError, "", "listen: injected failure"},
		{"?slow=nobody", http.StatusBadRequest, "", `slow="nobody": want one of [listen speak read write sing]`},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			a, err := c.Study(context.Background(), tc.query, listen.StudyRequest{Student: "Ada", Text: "Ada reads."})
			require.NoError(t, err)
			assert.Equal(t, tc.status, a.Status)
			assert.Equal(t, tc.reply, a.Reply)
			assert.Equal(t, tc.errorText, a.Error)
			assert.Len(t, a.TraceID, 32, "every answer names its trace")
		})
	}
}
