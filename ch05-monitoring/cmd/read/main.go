// Command read runs chapter 4's read service with chapter 5's monitoring.
// Each service exports traces over OTLP, serves metrics on its own /metrics listener
// (-metrics-<service> flags) and logs the trace and span IDs of every request it logs about.
package main

import (
	"os"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch05-monitoring/monitor"
)

func main() { os.Exit(chain.Main(monitor.ProgramOf("read"))) }
