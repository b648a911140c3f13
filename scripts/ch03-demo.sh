#!/usr/bin/env bash
# Chapter 3's demo: build the gRPC server and client, start the server in the background, take
# the client's tour (every call kind, a failing Div, a missed deadline), check health, stop the
# server with SIGTERM (it drains and flushes its spans), then draw every trace from both sides'
# span files. The trap stops the server whatever happens, so no process is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

addr=${CH03_ADDR:-127.0.0.1:50051}
mkdir -p bin
echo "# building bin/ch03-server, bin/ch03-client and bin/ch03-waterfall"
go build -o bin/ch03-server ./ch03-grpc/cmd/server
go build -o bin/ch03-client ./ch03-grpc/cmd/client
go build -o bin/ch03-waterfall ./ch03-grpc/internal/cmd/waterfall

work=$(mktemp -d "${TMPDIR:-/tmp}/ch03-demo.XXXXXX") # the span files and the server log
bin/ch03-server -addr "$addr" -spans "$work/server.json" 2>"$work/server.log" &
server=$!
cleanup() {
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_for_serving "$server" "$work/server.log" 'msg=serving' "is $addr in use? set CH03_ADDR=127.0.0.1:PORT"

echo "\$ bin/ch03-client -addr $addr -timeout 500ms -slow 2s -spans $work/client.json"
bin/ch03-client -addr "$addr" -timeout 500ms -slow 2s -spans "$work/client.json"
echo "\$ bin/ch03-client -addr $addr -health -spans /dev/null"
bin/ch03-client -addr "$addr" -health -spans /dev/null

echo "# stopping the server with SIGTERM"
kill -TERM "$server"
status=0
wait "$server" || status=$?
echo "# server log (exit status $status)"
cat "$work/server.log"
[ "$status" -eq 0 ] || { echo "the server did not exit cleanly" >&2; exit 1; }

echo "# every trace, from both processes' spans"
bin/ch03-waterfall "$work/client.json" "$work/server.json"
