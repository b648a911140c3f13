# Shared by the chapters' demo scripts (sourced, not run).

# wait_for_serving PID LOG PATTERN HINT: waits at most 5 s for the server PID to write a line
# matching PATTERN to LOG, and fails with the log and HINT if it exits first (a port in use, say)
# or never does.
wait_for_serving() {
  local pid=$1 log=$2 pattern=$3 hint=$4
  for _ in $(seq 50); do
    grep -qs -- "$pattern" "$log" && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$log" >&2
      echo "the server did not start ($hint)" >&2
      exit 1
    fi
    sleep 0.1
  done
  cat "$log" >&2
  echo "the server did not start in 5 s" >&2
  exit 1
}

# port_in_use ADDR: succeeds when something accepts TCP connections at ADDR (host:port).
port_in_use() {
  (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null
}

# wait_for_port PID ADDR: waits at most 5 s for the server PID to accept connections at ADDR, and
# fails if it exits first or never does. For a server that logs nothing, like the article's.
wait_for_port() {
  local pid=$1 addr=$2
  for _ in $(seq 50); do
    port_in_use "$addr" && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the server did not start" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "the server did not start in 5 s" >&2
  exit 1
}
