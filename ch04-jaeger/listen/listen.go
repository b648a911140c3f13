// Package listen is the chain's HTTP edge, POST /api/study: it puts the student, a request ID and
// the fault knobs in the request's baggage, then calls speak over gRPC.
//
//	client ─HTTP─▶ listen ─gRPC─▶ speak ─┬─gRPC─▶ read
//	                                     └─gRPC─▶ write ─HTTP─▶ sing
package listen

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/ch04-jaeger/httpjson"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
	"github.com/rpc-tracing/workbook/ch04-jaeger/read"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
	"github.com/rpc-tracing/workbook/ch04-jaeger/speak"
	"github.com/rpc-tracing/workbook/ch04-jaeger/write"
)

// Name is the service's service.name in traces, and the value the fault knobs take for it.
const Name = "listen"

// Services are the names ?slow= and ?fail= accept: the five services of the chain, in the order
// a request reaches them.
var Services = []string{Name, speak.Name, read.Name, write.Name, sing.Name}

// The baggage members the edge sets besides the fault knobs'. Every span of the request carries
// them as attributes.
const (
	BaggageStudent   = "study.student"
	BaggageRequestID = "study.request_id"
)

// StudyRequest is the body of POST /api/study.
type StudyRequest struct {
	Student string `json:"student"`
	Text    string `json:"text"`
}

// StudyResponse is its answer: every service's result, and the trace to look the request up by.
type StudyResponse struct {
	TraceID   string                 `json:"trace_id"`
	RequestID string                 `json:"request_id"`
	Student   string                 `json:"student"`
	Reply     string                 `json:"reply"`
	Read      *studyv1.ReadResponse  `json:"read"`
	Write     *studyv1.WriteResponse `json:"write"`
}

// MaxStudentLength bounds the student's name, which travels in baggage to every service.
const MaxStudentLength = 64

// Config configures the edge.
type Config struct {
	Providers otelsetup.Providers
	Speak     studyv1.SpeakServiceClient
	Faults    faults.Knob
	// Timeout bounds each request end to end; it reaches speak, read and write as their gRPC deadline.
	Timeout time.Duration
	// PublicEndpoint makes the edge distrust an incoming traceparent: each request starts a new
	// trace, linked to the caller's. Right for an endpoint the internet can reach, where a caller
	// could otherwise pick trace IDs, or force sampling, for your whole system.
	PublicEndpoint bool
	// Logger gets one line per request, logged with the request's context. Nil logs nothing.
	Logger *slog.Logger
}

// NewHandler is the listen service: the HTTP edge, POST /api/study.
func NewHandler(cfg Config) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/study", cfg.study)
	opts := cfg.Providers.HTTP()
	if cfg.PublicEndpoint {
		opts = append(opts, otelhttp.WithPublicEndpointFn(func(*http.Request) bool { return true }))
	}
	return otelhttp.NewHandler(mux, Name, opts...)
}

func (cfg Config) study(w http.ResponseWriter, r *http.Request) {
	var req StudyRequest
	if !httpjson.Decode(w, r, &req) {
		return
	}
	if err := req.validate(); err != nil {
		httpjson.Error(w, r, http.StatusBadRequest, err)
		return
	}
	// region: timeout
	ctx, cancel := context.WithTimeout(r.Context(), cfg.Timeout)
	defer cancel()
	requestID := rand.Text()[:16]
	ctx, err := withStudyBaggage(ctx, req.Student, requestID, r.URL.Query())
	if err != nil {
		httpjson.Error(w, r, http.StatusBadRequest, err)
		return
	}
	// The server span started before the baggage existed, so it gets the attributes by hand;
	// every span after this one gets them from the baggage-copying processor.
	trace.SpanFromContext(ctx).SetAttributes(
		attribute.String(BaggageStudent, req.Student), attribute.String(BaggageRequestID, requestID))
	// endregion

	if err := cfg.Faults.Apply(ctx); err != nil {
		httpjson.Error(w, r, http.StatusInternalServerError, err)
		return
	}
	resp, err := cfg.Speak.Speak(ctx, &studyv1.SpeakRequest{Student: req.Student, Text: req.Text})
	if err != nil {
		st := status.Convert(err)
		cfg.log(ctx, slog.LevelWarn, "study failed", "code", st.Code().String(), "error", st.Message())
		httpjson.Error(w, r, httpStatus(err), fmt.Errorf("speak: %s: %s", st.Code(), st.Message()))
		return
	}
	cfg.log(ctx, slog.LevelInfo, "study answered", "words", resp.GetRead().GetWords())
	httpjson.Write(w, http.StatusOK, StudyResponse{
		TraceID: httpjson.TraceID(ctx), RequestID: requestID, Student: req.Student,
		Reply: resp.GetReply(), Read: resp.GetRead(), Write: resp.GetWrite(),
	})
}

func (cfg Config) log(ctx context.Context, level slog.Level, msg string, args ...any) {
	if cfg.Logger != nil {
		cfg.Logger.Log(ctx, level, msg, args...)
	}
}

func (req StudyRequest) validate() error {
	switch {
	case strings.TrimSpace(req.Student) == "":
		return errors.New("student is required")
	case utf8.RuneCountInString(req.Student) > MaxStudentLength:
		return fmt.Errorf("student is longer than %d characters", MaxStudentLength)
	case strings.TrimSpace(req.Text) == "":
		return errors.New("text is required")
	}
	return nil
}

// region: study-baggage

// withStudyBaggage puts the student, the request ID and the fault knobs (?slow=…&fail=…) in
// the request's baggage: from here on, they travel to every service with the trace context.
func withStudyBaggage(ctx context.Context, student, requestID string, query map[string][]string) (context.Context, error) {
	values := map[string]string{BaggageStudent: student, BaggageRequestID: requestID}
	for param, key := range map[string]string{"slow": faults.BaggageSlow, "fail": faults.BaggageFail} {
		v, err := knob(param, query[param])
		if err != nil {
			return ctx, err
		}
		if v != "" {
			values[key] = v
		}
	}
	// endregion
	var members []baggage.Member
	for k, v := range values {
		m, err := baggage.NewMemberRaw(k, v)
		if err != nil {
			return ctx, fmt.Errorf("baggage %s: %w", k, err)
		}
		members = append(members, m)
	}
	b, err := baggage.New(members...)
	if err != nil {
		return ctx, err
	}
	return baggage.ContextWithBaggage(ctx, b), nil
}

// maxEcho bounds how much of a refused knob value an error repeats: enough to recognise it, and
// never a client's whole megabyte back at it.
const maxEcho = 32

// knob reads one fault knob (?slow= or ?fail=) from the query's values for param: "" when it is
// absent, else the one service it names. What it does not understand it refuses, so a reader
// never wonders why a knob did nothing: an empty value, the knob given twice, a name that is not
// a service.
func knob(param string, values []string) (string, error) {
	switch {
	case len(values) == 0:
		return "", nil
	case len(values) > 1:
		return "", fmt.Errorf("%s is given %d times: name one service, e.g. ?%s=read", param, len(values), param)
	case values[0] == "":
		return "", fmt.Errorf("%s is empty: want one of %v", param, Services)
	case !isService(values[0]):
		return "", fmt.Errorf("%s=%q: want one of %v", param, truncate(values[0], maxEcho), Services)
	}
	return values[0], nil
}

// truncate returns s cut to at most n runes, with "…" when it was longer.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func isService(name string) bool {
	return slices.Contains(Services, name)
}

// httpStatus maps a failed downstream call to the edge's answer: 504 when the deadline passed,
// 502 for any other failure behind the edge.
func httpStatus(err error) int {
	if status.Code(err) == codes.DeadlineExceeded {
		return http.StatusGatewayTimeout
	}
	return http.StatusBadGateway
}
