package stack

import (
	"fmt"
	"net"
	"net/url"
)

// ensureFree fails if something already listens where a backend is about to: its health check
// would otherwise be answered by that other process, and the demo would quietly use it.
func ensureFree(healthURL string) error {
	u, err := url.Parse(healthURL)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", u.Host)
	if err != nil {
		return fmt.Errorf("%s is taken (another Jaeger or Prometheus still running? stop it first): %w", u.Host, err)
	}
	return ln.Close()
}

// FreeAddrs returns n addresses on 127.0.0.1, each on a port free at this moment and none the
// same: every port is held until all are chosen.
func FreeAddrs(n int) ([]string, error) {
	var held []net.Listener
	defer func() {
		for _, l := range held {
			_ = l.Close()
		}
	}()
	addrs := make([]string, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		held = append(held, l)
		addrs = append(addrs, l.Addr().String())
	}
	return addrs, nil
}

// FreeAddrsFor returns an address on a port free at this moment for each name, e.g. one per
// service, none the same.
func FreeAddrsFor(names []string) (map[string]string, error) {
	free, err := FreeAddrs(len(names))
	if err != nil {
		return nil, err
	}
	addrs := make(map[string]string, len(names))
	for i, name := range names {
		addrs[name] = free[i]
	}
	return addrs, nil
}
