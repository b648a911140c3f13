#!/usr/bin/env bash
# Chapter 1's demo: build the server and client, start the server in the background, make one call
# of each kind (including a division by zero), then stop the server. The trap stops the server
# whatever happens, so no process is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."

addr=${CH01_ADDR:-127.0.0.1:1234}
mkdir -p bin
echo "# building bin/ch01-server and bin/ch01-client"
go build -o bin/ch01-server ./ch01-netrpc/cmd/server
go build -o bin/ch01-client ./ch01-netrpc/cmd/client

log=$(mktemp)
bin/ch01-server -addr "$addr" 2>"$log" &
server=$!
stop_server() {
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  echo "# server log"
  cat "$log"
  rm -f "$log"
}
trap stop_server EXIT

# Wait until the server answers (at most 5 s).
for _ in $(seq 50); do
  bin/ch01-client -addr "$addr" -op add -a 0 -b 0 >/dev/null 2>&1 && break
  sleep 0.1
done

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
