//go:build unix

package cpubench

import "syscall"

// cpuTime is the process's user and system time so far, every thread counted.
func cpuTime() (used, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return used(ru.Utime.Nano() + ru.Stime.Nano()), true
}
