package stack

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
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
// same: every port is held until all are chosen. The ports come from below the kernel's range of
// ephemeral ports, the range every outgoing connection takes its local port from: a port chosen
// there can be taken by any connection between the moment it is chosen and the moment a backend
// binds it, and under go test ./... that happens.
func FreeAddrs(n int) ([]string, error) {
	var held []net.Listener
	defer func() {
		for _, l := range held {
			_ = l.Close()
		}
	}()
	lo, hi := 10000, ephemeralLow()
	if hi-lo < 1000 {
		lo, hi = 0, 0 // no room below the ephemeral range: let the kernel pick (port 0)
	}
	addrs := make([]string, 0, n)
	for tries := 0; len(addrs) < n; tries++ {
		port := 0
		if hi > lo && tries < 100*n {
			port = lo + rand.IntN(hi-lo)
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			if port != 0 {
				continue // taken: try another
			}
			return nil, err
		}
		held = append(held, l)
		addrs = append(addrs, l.Addr().String())
	}
	return addrs, nil
}

// ephemeralLow is the first port of the kernel's ephemeral range (Linux's default, 32768, where
// the range cannot be read).
func ephemeralLow() int {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 32768
	}
	fields := strings.Fields(string(data))
	if len(fields) != 2 {
		return 32768
	}
	low, err := strconv.Atoi(fields[0])
	if err != nil {
		return 32768
	}
	return low
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
