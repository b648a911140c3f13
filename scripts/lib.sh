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
