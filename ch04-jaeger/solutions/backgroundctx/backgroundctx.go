// Package backgroundctx is listen, the HTTP edge, as the original go-jaeger-demo's gateway
// handled a request, with its defect fixed: it asks speak (gRPC) to answer a student's text.
package backgroundctx

import (
	"fmt"
	"net/http"

	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// Handler is listen's HTTP handler. Speak is its client of speak, made once and shared by every
// request.
type Handler struct {
	Speak studyv1.SpeakServiceClient
}

// ServeHTTP answers GET /listen?student=Ada&text=… with speak's reply. The call to speak is made
// with the request's context: it carries the request's span, which the call's span becomes a
// child of, and the request's deadline and cancellation, which speak then keeps to as well. A
// context.Background() made here carries none of them.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	resp, err := h.Speak.Speak(r.Context(), &studyv1.SpeakRequest{Student: q.Get("student"), Text: q.Get("text")})
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	fmt.Fprintln(w, resp.GetReply())
}
