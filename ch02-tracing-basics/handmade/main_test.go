package handmade_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// logRecorder is an io.Writer for a slog.JSONHandler that keeps every record, so tests assert on
// what was logged instead of reading it. The mutex matters: the server logs from net/rpc's
// goroutines while the test reads.
type logRecorder struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// newLogRecorder returns a recorder and a logger writing JSON records into it.
func newLogRecorder() (*logRecorder, *slog.Logger) {
	r := &logRecorder{}
	return r, slog.New(slog.NewJSONHandler(r, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func (r *logRecorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.buf.Write(p)
}

// records decodes every record logged so far; msg selects those with that message ("" for all).
func (r *logRecorder) records(t *testing.T, msg string) []map[string]any {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(r.buf.Bytes()))
	for sc.Scan() {
		var rec map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec), "log line %s", sc.Text())
		if msg == "" || rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	require.NoError(t, sc.Err())
	return out
}

// only returns the single record with message msg, failing the test if there is not exactly one.
func (r *logRecorder) only(t *testing.T, msg string) map[string]any {
	t.Helper()
	recs := r.records(t, msg)
	require.Len(t, recs, 1, "records with msg %q", msg)
	return recs[0]
}
