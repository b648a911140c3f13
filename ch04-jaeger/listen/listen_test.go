package listen_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/grpc"

	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

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
		{"?slow=read&slow=write", http.StatusBadRequest, "", "slow is given 2 times: name one service, e.g. ?slow=read"},
		{"?fail=", http.StatusBadRequest, "", "fail is empty: want one of [listen speak read write sing]"},
		{"?slow=" + strings.Repeat("x", 500000), http.StatusBadRequest, "",
			`slow="` + strings.Repeat("x", 32) + `…": want one of [listen speak read write sing]`},
	}
	for _, tc := range cases {
		t.Run(tc.query[:min(len(tc.query), 40)], func(t *testing.T) {
			a, err := c.Study(context.Background(), tc.query, listen.StudyRequest{Student: "Ada", Text: "Ada reads."})
			require.NoError(t, err)
			assert.Equal(t, tc.status, a.Status)
			assert.Equal(t, tc.reply, a.Reply)
			assert.Equal(t, tc.errorText, a.Error)
			assert.Len(t, a.TraceID, 32, "every answer names its trace")
		})
	}
}

// TestBodyErrorsSpeakJSON: a body of the wrong shape is refused in the caller's terms (what JSON
// was sent, what was wanted), never with the server's Go type names, and the edge keeps serving.
func TestBodyErrorsSpeakJSON(t *testing.T) {
	tp := sdktrace.NewTracerProvider()
	defer func() { require.NoError(t, tp.Shutdown(context.Background())) }()
	p := otelsetup.Providers{Tracer: tp, Propagator: propagation.TraceContext{}}
	srv := httptest.NewServer(listen.NewHandler(listen.Config{Providers: p, Speak: speakStub{},
		Faults: faults.Knob{Service: listen.Name}, Timeout: 10 * time.Second}))
	defer srv.Close()

	cases := []struct{ body, want string }{
		{`[1, 2]`, "body is not the JSON expected: the body is a JSON array, want an object"},
		{`{"student": 7, "text": "x"}`, `body is not the JSON expected: "student" is a JSON number, want a string`},
	}
	for _, tc := range cases {
		resp, err := http.Post(srv.URL+"/api/study", "application/json", strings.NewReader(tc.body))
		require.NoError(t, err)
		var e struct{ Error string }
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&e))
		require.NoError(t, resp.Body.Close())
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, tc.body)
		assert.Equal(t, tc.want, e.Error, tc.body)
		assert.NotContains(t, e.Error, "listen.", "no Go type names")
	}
	a, err := listen.Client{URL: srv.URL + "/api/study"}.Study(context.Background(), "", listen.StudyRequest{Student: "Ada", Text: "Ada reads."})
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, a.Status, "and the edge still serves")
}
