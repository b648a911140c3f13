#!/usr/bin/env bash
# Chapter 1's demo: build the server and client, start the server in the background, make one call
# of each kind (including a division by zero), then stop the server with SIGTERM and check that it
# exited cleanly. The trap stops the server whatever happens, so no process is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

addr=${CH01_ADDR:-127.0.0.1:1234}
mkdir -p bin
echo "# building bin/ch01-server and bin/ch01-client"
go build -o bin/ch01-server ./ch01-netrpc/cmd/server
go build -o bin/ch01-client ./ch01-netrpc/cmd/client

log=$(mktemp)
bin/ch01-server -addr "$addr" 2>"$log" &
server=$!
cleanup() {
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT

wait_for_serving "$server" "$log" 'msg="serving Calculator"' "is $addr in use? set CH01_ADDR=127.0.0.1:PORT"

call() {
  echo "\$ bin/ch01-client -addr $addr $*"
  bin/ch01-client -addr "$addr" "$@" 2>&1
}

call -op add -a 2 -b 3
call -op sub -a 2 -b 3
call -op mul -a 6 -b 7
call -op div -a 7 -b 2
# A division by zero must fail: the demo fails if it does not.
if call -op div -a 7 -b 0; then
  echo "expected the division by zero to fail" >&2
  exit 1
fi

echo "# stopping the server with SIGTERM"
kill -TERM "$server"
status=0
wait "$server" || status=$?
echo "# server log (exit status $status)"
cat "$log"
[ "$status" -eq 0 ] || { echo "the server did not exit cleanly" >&2; exit 1; }
