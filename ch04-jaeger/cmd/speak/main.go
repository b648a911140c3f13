// Command speak runs chapter 4's speak service alone (`all` runs the five in one process).
// Flags set the services' addresses and the fault knobs' delay (-h lists them); the standard
// OTEL_* variables set the exporter (OTEL_EXPORTER_OTLP_ENDPOINT, default 127.0.0.1:4317) and the
// sampler.
package main

import (
	"os"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
)

func main() { os.Exit(chain.Main(chain.ProgramOf("speak"))) }
