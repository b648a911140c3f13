package bugs

import (
	"context"
	"log"
)

// region: fatal-exit

// BrokenFatalExit is the main of a program that asks sing for a song and stops with log.Fatal
// when it gets none, as countless Go examples do. logFatal is log.Fatal: a parameter only so
// that this package never ends a process itself (the tests run it in a child process and pass
// the real one).
//
// log.Fatal prints and calls os.Exit(1), and os.Exit ends the process where it stands: deferred
// calls do not run. The deferred Shutdown looks right and never happens, so the spans in the
// batch are lost, and the request lost is the one that failed: the trace needed most.
func BrokenFatalExit(ctx context.Context, p Program, logFatal func(v ...any)) {
	tp := newBatchProvider(p.Exporter)
	defer tp.Shutdown(ctx)
	if err := p.study(ctx, tp); err != nil {
		logFatal(err)
	}
}

// FixedFatalExit is main as the workbook writes it: the work is in a run function that returns
// its error (FixedNoShutdown, whose deferred Shutdown flushes), and main exits only after run
// has returned. exit is os.Exit, a parameter for the same reason as BrokenFatalExit's logFatal.
func FixedFatalExit(ctx context.Context, p Program, exit func(code int)) {
	if err := FixedNoShutdown(ctx, p); err != nil {
		log.Print(err)
		exit(1)
	}
}

// endregion
