package httpdeadline_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch04-jaeger/solutions/httpdeadline"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// slow waits up to a minute for its context, and reports how it ended.
func slow(ended chan<- error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
			ended <- r.Context().Err()
		case <-time.After(time.Minute):
			ended <- nil
		}
	})
}

func TestTheServerStopsWhenTheCallerDoes(t *testing.T) {
	ended := make(chan error, 1)
	srv := httptest.NewServer(httpdeadline.Handler(slow(ended)))
	defer srv.Close()
	client := &http.Client{Transport: httpdeadline.Transport{Next: http.DefaultTransport}}
	defer client.CloseIdleConnections()

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	// Either side's deadline can fire first: the client gives up, or the server's handler
	// returns first and its empty answer arrives just in time. Neither waits a minute.
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
	} else {
		require.ErrorIs(t, err, context.DeadlineExceeded)
	}
	// The server's work ended long before its minute: by the deadline it was sent or, when the
	// client's own deadline fired first and it hung up, by the closed connection. Which comes
	// first is a race; both mean the server stopped working for a caller that left.
	err = <-ended
	assert.True(t, errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled), "ended by %v", err)
}

func TestHeaderCarriesTheRemainingTime(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got <- r.Header.Get(httpdeadline.Header) }))
	defer srv.Close()
	client := &http.Client{Transport: httpdeadline.Transport{Next: http.DefaultTransport}}
	defer client.CloseIdleConnections()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	resp, err := client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	d, err := time.ParseDuration(<-got)
	require.NoError(t, err)
	assert.InDelta(t, 30*time.Second, d, float64(5*time.Second))
	assert.Empty(t, req.Header.Get(httpdeadline.Header), "the caller's request is not modified")
}

func TestMalformedHeaderIsABadRequest(t *testing.T) {
	srv := httptest.NewServer(httpdeadline.Handler(http.NotFoundHandler()))
	defer srv.Close()
	req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	req.Header.Set(httpdeadline.Header, "soon")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	http.DefaultClient.CloseIdleConnections()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
}
