// Package httpdeadline is the solution to chapter 4's second exercise: carry the deadline over
// the HTTP hop. gRPC sends the caller's remaining time with every call (the grpc-timeout header),
// so read and write stop when the edge gives up. Plain HTTP has no such header, so sing never
// knows: it would keep working for a caller that left long ago. This package adds one, the way
// gRPC does: the time remaining, not a wall-clock instant, so the two machines' clocks need not
// agree.
package httpdeadline

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Header carries the caller's remaining time, e.g. "243ms".
const Header = "X-Request-Timeout"

// Transport adds Header to every request whose context has a deadline.
type Transport struct {
	Next http.RoundTripper
}

// region: round-trip

// RoundTrip sends req with its remaining time.
func (t Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if deadline, ok := req.Context().Deadline(); ok {
		req = req.Clone(req.Context()) // a RoundTripper must not change the caller's request
		req.Header.Set(Header, time.Until(deadline).Round(time.Millisecond).String())
	}
	return t.Next.RoundTrip(req)
}

// Handler gives each request that carries Header a context with that deadline, so the handler
// (and anything it calls with the context) stops when the caller stops waiting. A malformed
// value is a 400: silently ignoring it would hide the caller's bug.
func Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := r.Header.Get(Header)
		if v == "" {
			next.ServeHTTP(w, r)
			return
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			http.Error(w, fmt.Sprintf("%s: want a positive duration, got %q", Header, v), http.StatusBadRequest)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// endregion
