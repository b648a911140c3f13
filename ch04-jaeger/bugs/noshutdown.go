package bugs

import (
	"context"
	"errors"
)

// region: no-shutdown

// BrokenNoShutdown is the run function of a program that asks sing for one song and ends. It
// builds its TracerProvider and never shuts it down, as the original demo's programs threw away
// the closer their tracer came with (tracer, _, err := NewJaegerTracer(…)).
//
// The spans end and wait in the batch processor's queue for the batch to fill or its timeout to
// pass. The program ends first, its process with it, and the queue with the process: none of
// the program's spans reach the backend. Sing's span does, so the backend holds a trace made of
// one span whose parent never arrives.
func BrokenNoShutdown(ctx context.Context, p Program) error {
	tp := newBatchProvider(p.Exporter)
	return p.study(ctx, tp)
}

// FixedNoShutdown shuts the provider down on the way out, whichever way that is: Shutdown
// exports what is still queued and waits until the exporter has it. Its error joins the
// program's, so a flush that fails is reported, not lost.
func FixedNoShutdown(ctx context.Context, p Program) (err error) {
	tp := newBatchProvider(p.Exporter)
	defer func() { err = errors.Join(err, tp.Shutdown(ctx)) }()
	return p.study(ctx, tp)
}

// endregion
