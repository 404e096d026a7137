# Shared by the load scripts (source it; bash): a scratch folder removed on exit, and one bidder
# process started in it, waited for until /readyz answers 200, and stopped with SIGTERM (so the bid
# log flushes). Loopback only: callers pass a 127.0.0.1 URL.
#
#   source loadtests/lib.sh
#   bidder_start "$url" [--BidEngine:...=...]   # sets $bidder_pid; exits the script if it dies or stalls
#   bidder_stop

work="$(mktemp -d)"
bidder_pid=""
bidder_dll="$PWD/src/BidEngine.Server/bin/Release/net10.0/BidEngine.Server.dll"

_lib_cleanup() {
  [ -n "$bidder_pid" ] && kill "$bidder_pid" 2> /dev/null && wait "$bidder_pid" 2> /dev/null
  rm -rf "$work"
}
trap _lib_cleanup EXIT

bidder_start() {
  local url="$1"
  shift
  (cd "$work" && exec dotnet "$bidder_dll" --urls "$url" "$@" > "$work/server.log" 2>&1) &
  bidder_pid=$!
  for _ in $(seq 1 600); do
    curl -sf "$url/readyz" > /dev/null 2>&1 && return 0
    kill -0 "$bidder_pid" 2> /dev/null || { echo "the bidder exited before it was ready" >&2; tail -n 5 "$work/server.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "the bidder was not ready within 300 s" >&2
  exit 1
}

bidder_stop() {
  kill -TERM "$bidder_pid" 2> /dev/null || true
  wait "$bidder_pid" 2> /dev/null || true
  bidder_pid=""
}
