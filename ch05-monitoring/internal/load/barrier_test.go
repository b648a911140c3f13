package load_test

import (
	"net/http"
	"sync"
)

// barrier holds requests until n of them are in, then lets the n go together, and remembers
// the most it ever held at once.
type barrier struct {
	n        int
	mu       sync.Mutex
	waiting  int
	release  chan struct{}
	inFlight int
	most     int
}

func newBarrier(n int) *barrier { return &barrier{n: n, release: make(chan struct{})} }

// wait is the fake edge's before hook. A request gives up waiting if its client does.
func (b *barrier) wait(r *http.Request) {
	b.mu.Lock()
	b.inFlight++
	b.most = max(b.most, b.inFlight)
	b.waiting++
	release := b.release
	if b.waiting == b.n {
		close(release)
		b.release, b.waiting = make(chan struct{}), 0
	}
	b.mu.Unlock()

	select {
	case <-release:
	case <-r.Context().Done():
	}
	b.mu.Lock()
	b.inFlight--
	b.mu.Unlock()
}

func (b *barrier) maxInFlight() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.most
}
