package check

import (
	"net/http"
	"time"
)

// visit is what sing's handler saw of one request.
type visit struct {
	hasDeadline bool
	left        time.Duration // the time to its context's deadline, as the handler started
	ended       error         // why the work stopped: its context's error, or nil after the minute
	took        time.Duration
}

// sing is a stand-in for sing's handler whose work takes a minute, unless its context is done
// first. It reports what it saw on seen when it returns.
func sing(seen chan<- visit) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		var v visit
		if deadline, ok := r.Context().Deadline(); ok {
			v.hasDeadline, v.left = true, time.Until(deadline)
		}
		work := time.NewTimer(time.Minute)
		defer work.Stop()
		select {
		case <-r.Context().Done():
			v.ended = r.Context().Err()
		case <-work.C:
		}
		v.took = time.Since(start)
		seen <- v
	})
}

// arrived reports the header's value, as the request reached the server, on headers, then serves
// it with next.
func arrived(header string, headers chan<- string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		headers <- r.Header.Get(header)
		next.ServeHTTP(w, r)
	})
}

// newClient is an HTTP client whose transport is d's Transport around a transport of its own, and
// the function that closes that transport's idle connections, so no goroutine outlives a check.
func newClient(d Deadline) (*http.Client, func()) {
	base := http.DefaultTransport.(*http.Transport).Clone()
	return &http.Client{Transport: d.Transport(base)}, base.CloseIdleConnections
}

// receive waits a few seconds for what ch reports, and says whether anything came.
func receive[T any](ch <-chan T) (T, bool) {
	select {
	case v := <-ch:
		return v, true
	case <-time.After(5 * time.Second):
		var zero T
		return zero, false
	}
}
