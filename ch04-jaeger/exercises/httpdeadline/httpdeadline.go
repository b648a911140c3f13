// Package httpdeadline is chapter 4's second exercise: carry the caller's deadline over the HTTP
// hop to sing. gRPC sends the caller's remaining time with every call (the grpc-timeout header),
// so read and write stop when the edge gives up. Plain HTTP has no such header, so sing never
// knows: it keeps working for a caller that left long ago. Edit this file, then check your work
// with `make exercise EX=ch04/httpdeadline`.
package httpdeadline

import (
	"net/http"
)

// Header carries the caller's remaining time, e.g. "243ms".
const Header = "X-Request-Timeout"

// Transport adds Header to every request whose context has a deadline.
type Transport struct {
	Next http.RoundTripper
}

// RoundTrip sends req with its remaining time.
//
// TODO: when req's context has a deadline, send the time left until it in Header, written so
// that time.ParseDuration reads it back ("243ms"). Send a duration, not a clock time, so the two
// machines' clocks need not agree. A RoundTripper must not change the request it is given. As it
// stands, req goes out as it is and sing never learns how long its caller will wait.
func (t Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.Next.RoundTrip(req)
}

// Handler wraps sing's handler.
//
// TODO: when a request carries Header, serve next with a context that has that deadline, so sing's
// handler (and anything it calls with the context) stops when its caller stops waiting. A value
// that is not a positive duration is the caller's bug: answer 400 Bad Request rather than hide
// it. A request without the header is served as it is. As it stands, the header is ignored.
func Handler(next http.Handler) http.Handler {
	return next
}
