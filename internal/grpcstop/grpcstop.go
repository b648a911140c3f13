// Package grpcstop stops a gRPC server gracefully within a time limit: chapter 3's calculator
// and chapter 4's services both stop this way.
package grpcstop

import (
	"time"

	"google.golang.org/grpc"
)

// Graceful stops srv: it accepts no new calls and waits for the ones in flight to finish. Past
// timeout it cuts the remaining calls off and reports that it had to (cutOff is true).
// grpc.Server.GracefulStop alone would wait forever for a call that never ends.
func Graceful(srv *grpc.Server, timeout time.Duration) (cutOff bool) {
	stopped := make(chan struct{})
	go func() {
		srv.GracefulStop()
		close(stopped)
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-stopped:
		return false
	case <-timer.C:
		srv.Stop()
		<-stopped
		return true
	}
}
