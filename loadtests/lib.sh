# Shared by the load scripts (source it from the repository root; bash): a scratch folder removed on
# exit, and the processes under test started in it, each waited for until /readyz answers 200, and
# stopped with SIGTERM on exit (so a bidder's log flushes). Loopback only.
#
#   source loadtests/lib.sh
#   bidder_start "$url" [--BidEngine:...=...]       # one bidder: sets $bidder_pid; exits the script if it dies or stalls
#   bidder_stop
#   target_start NAME floor|bidder PORT [args]      # several at once: sets target_url[NAME], target_pid[NAME]
#   target_stop NAME
#   port="$(free_port 5391)"                        # the first port from 5391 on that nothing answers on

work="$(mktemp -d)"
bidder_pid=""
bidder_dll="$PWD/src/BidEngine.Server/bin/Release/net10.0/BidEngine.Server.dll"
loadtool_dll="$PWD/loadtests/BidEngine.LoadTests/bin/Release/net10.0/BidEngine.LoadTests.dll"
declare -A target_url target_pid target_metrics

_lib_cleanup() {
  local p
  for p in $bidder_pid "${target_pid[@]}"; do
    kill "$p" 2> /dev/null || true
  done
  for p in $bidder_pid "${target_pid[@]}"; do
    wait "$p" 2> /dev/null || true
  done
  rm -rf "$work"
}
trap _lib_cleanup EXIT

# _lib_wait_ready WHAT URL PID LOG: until URL/readyz answers; exits the script if PID dies or 300 s pass.
_lib_wait_ready() {
  local what="$1" url="$2" pid="$3" log="$4"
  for _ in $(seq 1 600); do
    curl -sf "$url/readyz" > /dev/null 2>&1 && return 0
    kill -0 "$pid" 2> /dev/null || { echo "$what exited before it was ready" >&2; tail -n 5 "$log" >&2; exit 1; }
    sleep 0.5
  done
  echo "$what was not ready within 300 s" >&2
  tail -n 5 "$log" >&2
  exit 1
}

bidder_start() {
  local url="$1"
  shift
  # Its management listener (/metrics) on the first free port after 5391 + 1000: $bidder_metrics.
  bidder_metrics="http://127.0.0.1:$(free_port 6391)"
  (cd "$work" && exec dotnet "$bidder_dll" --urls "$url" "--BidEngine:Management:Url=$bidder_metrics" "$@" > "$work/server.log" 2>&1) &
  bidder_pid=$!
  _lib_wait_ready "the bidder" "$url" "$bidder_pid" "$work/server.log"
}

bidder_stop() {
  kill -TERM "$bidder_pid" 2> /dev/null || true
  wait "$bidder_pid" 2> /dev/null || true
  bidder_pid=""
}

# target_start NAME floor|bidder PORT [server args]: the floor (the load tool's Kestrel endpoint that
# reads the body and answers 204) or a bidder on 127.0.0.1:PORT, logging to $work/NAME.log.
target_start() {
  local name="$1" kind="$2" port="$3"
  shift 3
  target_url[$name]="http://127.0.0.1:$port"
  if [ "$kind" = floor ]; then
    (cd "$work" && exec dotnet "$loadtool_dll" serve-floor --port "$port" --duration 60m > "$work/$name.log" 2>&1) &
  else
    # Its management listener (/metrics): $target_metrics[NAME].
    target_metrics[$name]="http://127.0.0.1:$(free_port $((port + 1000)))"
    (cd "$work" && exec dotnet "$bidder_dll" --urls "${target_url[$name]}" "--BidEngine:Management:Url=${target_metrics[$name]}" "$@" > "$work/$name.log" 2>&1) &
  fi
  target_pid[$name]=$!
  _lib_wait_ready "$name" "${target_url[$name]}" "${target_pid[$name]}" "$work/$name.log"
}

target_stop() {
  kill -TERM "${target_pid[$1]}" 2> /dev/null || true
  wait "${target_pid[$1]}" 2> /dev/null || true
  unset "target_pid[$1]" "target_url[$1]" "target_metrics[$1]"
}

# free_port P: the first port from P on that nothing on loopback answers (others may run load scripts too).
free_port() {
  local p="$1"
  while (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null; do
    p=$((p + 1))
  done
  echo "$p"
}
