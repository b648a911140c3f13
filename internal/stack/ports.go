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
