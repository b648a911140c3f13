// Package backgroundctx is listen, the HTTP edge, as the original go-jaeger-demo's gateway
// handled a request, cut down to one defect: it asks speak (gRPC) to answer a student's text.
package backgroundctx

import (
	"context"
	"fmt"
	"net/http"

	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// Handler is listen's HTTP handler. Speak is its client of speak, made once and shared by every
// request.
type Handler struct {
	Speak studyv1.SpeakServiceClient
}

// ServeHTTP answers GET /listen?student=Ada&text=… with speak's reply.
//
// TODO: the request is traced and so is the call to speak, yet they are not one trace: the call
// and speak's handling of it start a trace of their own, apart from the request's, and speak
// never learns how long the caller will wait. Find out why, and fix it so that one request is
// one trace.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	resp, err := h.Speak.Speak(context.Background(), &studyv1.SpeakRequest{Student: q.Get("student"), Text: q.Get("text")})
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	fmt.Fprintln(w, resp.GetReply())
}
