//go:build !unix

package cpubench

// cpuTime cannot tell on this platform.
func cpuTime() (used, bool) { return 0, false }
