#!/usr/bin/env bash
# Chapter 1's demo. Step 1: the article's server and client as the article wrote them, 4 + 5.
# Step 2: the version done properly: build its server and client, start the server in the
# background, make one call of each kind (including a division by zero), then stop the server
# with SIGTERM and check that it exited cleanly. The trap stops the servers whatever happens, so
# no process is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

addr=${CH01_ADDR:-127.0.0.1:1234}
hint="is $addr in use? set CH01_ADDR=127.0.0.1:PORT"
if port_in_use "$addr"; then
  echo "$addr: address already in use ($hint)" >&2
  exit 1
fi
mkdir -p bin
article=
server=
log=$(mktemp)
cleanup() {
  for pid in $article $server; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -f "$log"
}
trap cleanup EXIT

echo "# step 1: the article's calculator, as the article wrote it (ch01-netrpc/article)"
go build -o bin/ch01-article-server ./ch01-netrpc/article/server
go build -o bin/ch01-article-client ./ch01-netrpc/article/client
ARTICLE_ADDR=$addr bin/ch01-article-server &
article=$!
wait_for_port "$article" "$addr"
echo "\$ ARTICLE_ADDR=$addr bin/ch01-article-client"
ARTICLE_ADDR=$addr bin/ch01-article-client
kill -TERM "$article"
wait "$article" 2>/dev/null || true
article=

echo
echo "# step 2: done properly (ch01-netrpc/cmd): building bin/ch01-server and bin/ch01-client"
go build -o bin/ch01-server ./ch01-netrpc/cmd/server
go build -o bin/ch01-client ./ch01-netrpc/cmd/client
bin/ch01-server -addr "$addr" 2>"$log" &
server=$!

wait_for_serving "$server" "$log" 'msg="serving Calculator"' "$hint"

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
server=
echo "# server log (exit status $status)"
cat "$log"
[ "$status" -eq 0 ] || { echo "the server did not exit cleanly" >&2; exit 1; }
