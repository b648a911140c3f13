package load

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// ErrNotLoopback is the error for a target the load generator will not send to.
var ErrNotLoopback = errors.New("target is not on loopback")

// CheckTarget parses raw and accepts it only if it is a plain http URL whose host is
// "localhost", an IPv4 address in 127.0.0.0/8 or the IPv6 address ::1.
//
// Other host names are refused without being looked up: a name that resolves to loopback today
// can resolve elsewhere tomorrow, and a load generator aimed at someone else's server is an
// attack. https is refused too, because the chain's edge speaks plain HTTP on loopback and a
// TLS target is by that fact somewhere else.
func CheckTarget(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("load: target %q: %w", raw, err)
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("load: target %q: scheme %q, want http", raw, u.Scheme)
	}
	if u.Opaque != "" || u.Host == "" {
		return nil, fmt.Errorf("load: target %q has no host", raw)
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return u, nil
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || !isLoopback(addr) {
		return nil, fmt.Errorf("load: target %q: host %q: %w", raw, host, ErrNotLoopback)
	}
	return u, nil
}

// isLoopback reports whether addr is in 127.0.0.0/8 or is ::1 (an IPv4 loopback address
// written as IPv6, ::ffff:127.0.0.1, counts: it is dialled as IPv4). A zone makes it a
// link-local-style address, which loopback never is.
func isLoopback(addr netip.Addr) bool {
	return addr.Zone() == "" && addr.Unmap().IsLoopback()
}

// dialLoopbackOnly is the dialer's Control hook: it runs after the name is resolved and before
// the connection is made, so even "localhost" in a strange /etc/hosts cannot take a request off
// the machine.
func dialLoopbackOnly(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !isLoopback(ap.Addr()) {
		return fmt.Errorf("load: dial %s: %w", address, ErrNotLoopback)
	}
	return nil
}
