package stack

import (
	"net"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEnsureFree(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	err = ensureFree("http://" + addr + "/status")
	require.Error(t, err, "a port in use is refused")
	assert.Contains(t, err.Error(), "is taken")
	require.NoError(t, ln.Close())
	assert.NoError(t, ensureFree("http://"+addr+"/status"), "a free port is fine")
}

func TestFreeAddrsForGivesEachNameItsOwnPort(t *testing.T) {
	addrs, err := FreeAddrsFor([]string{"listen", "speak", "read"})
	require.NoError(t, err)
	require.Len(t, addrs, 3)
	seen := map[string]bool{}
	for name, addr := range addrs {
		assert.Contains(t, addr, "127.0.0.1:", name)
		assert.False(t, seen[addr], "%s chosen twice", addr)
		seen[addr] = true
	}
}

func TestFreeAddrsAvoidTheEphemeralRange(t *testing.T) {
	addrs, err := FreeAddrs(20)
	require.NoError(t, err)
	low := ephemeralLow()
	for _, addr := range addrs {
		_, port, err := net.SplitHostPort(addr)
		require.NoError(t, err)
		p, err := strconv.Atoi(port)
		require.NoError(t, err)
		assert.Less(t, p, low, "%s is in the ephemeral range, where an outgoing connection may take it", addr)
		ln, err := net.Listen("tcp", addr)
		require.NoError(t, err, "%s is free once FreeAddrs returns", addr)
		require.NoError(t, ln.Close())
	}
}
