// Package bugs is chapter 4's "find the bug" lab: six ways to break a trace, each a small broken
// variant next to its fix. The lab's checker, ch04-jaeger/internal/bugcheck, reads the spans of
// one request and says what is wrong with the trace's shape.
//
//	bug                                    file                 the broken trace                 Check reports
//	1 context captured at startup          ctxcapture.go        split in two at the gRPC hop     SplitTrace
//	2 span ended before its request        spanend.go           a child after its parent ended   ParentEndedFirst
//	3 a TracerProvider per request         tracerperrequest.go  one service, many providers      ManyProviders
//	4 provider never shut down             noshutdown.go        the program's spans missing      SpanCount, MissingParent
//	5 no propagator set                    nopropagator.go      split in two at the HTTP hop     SplitTrace
//	6 log.Fatal after the provider exists  fatalexit.go         the failed request's spans gone  SpanCount, MissingParent
//
// Bugs 1 to 4 are the source article's go-jaeger-demo's (written with jaeger-client-go and
// OpenTracing), rebuilt with OpenTelemetry; 5 and 6 are the two most common today. Each file has
// a Broken… and a Fixed… function around the same few lines of code, and a diff of the two is
// the lesson.
//
// Labs 1, 2, 3 and 5 run both services of a hop from chapter 4's chain in the calling process,
// on loopback ports, and return the spans of one request. They record spans synchronously, with
// a tracetest.SpanRecorder, so that nothing is lost by accident. Labs 4 and 6 are about what a
// process loses when it ends, so they are programs: the tests run each in a child process with a
// real batch span processor, and what its exporter wrote before the process ended is all the
// trace a backend would ever get.
package bugs

// Student is the service.name of the lost-spans labs' programs (bugs 4 and 6): a short-lived
// client of sing, the way a command-line tool or a batch job calls a service and ends.
const Student = "student"

// tracerName is the instrumentation scope of the spans this package makes by hand.
const tracerName = "github.com/rpc-tracing/workbook/ch04-jaeger/bugs"
