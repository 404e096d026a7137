#!/usr/bin/env bash
# The README's performance table, from one run: the floor (Kestrel reading the body and answering
# 204), the bidder on its heuristic only, the bidder with the model, and (with --campaigns FILE)
# the bidder with that campaign file, each under wrk at the same connection counts, one after the
# other in this one invocation. For the bidders it reads /metrics before and after each wrk run and
# reports how the requests were answered (model share, shed, late). Prints a Markdown table with
# the date and the machine; paste it whole, never merged with cells from another run.
#
#   loadtests/perf.sh [-d 10s] [-c "8 32"] [--campaigns FILE] [--body FILE]
#
# Loopback only; every run is bounded by wrk's duration. Needs wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

duration=10s
connections="8 32"
campaigns=""
body="corpus/requests/app-banner-phone-usa-2.6.json"
while [ "$#" -gt 0 ]; do
  case "$1" in
    -d) duration="$2"; shift 2 ;;
    -c) connections="$2"; shift 2 ;;
    --campaigns) campaigns="$(realpath "$2")"; shift 2 ;;
    --body) body="$2"; shift 2 ;;
    *) echo "usage: $0 [-d 10s] [-c \"8 32\"] [--campaigns FILE] [--body FILE]" >&2; exit 2 ;;
  esac
done
command -v wrk > /dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
[ -f "$body" ] || { echo "no such body file: $body" >&2; exit 1; }
body="$(realpath "$body")"

dotnet build -c Release src/BidEngine.Server > /dev/null
dotnet build -c Release loadtests/BidEngine.LoadTests > /dev/null
server_dll="$root/src/BidEngine.Server/bin/Release/net10.0/BidEngine.Server.dll"
loadtool_dll="$root/loadtests/BidEngine.LoadTests/bin/Release/net10.0/BidEngine.LoadTests.dll"
port=5391
url="http://127.0.0.1:$port"
work="$(mktemp -d)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2> /dev/null && wait "$pid" 2> /dev/null
  rm -rf "$work"
}
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 600); do
    curl -sf "$url/readyz" > /dev/null 2>&1 && return 0
    kill -0 "$pid" 2> /dev/null || { echo "the target exited before it was ready" >&2; return 1; }
    sleep 0.5
  done
  echo "the target was not ready within 300 s" >&2
  tail -n 5 "$work"/*.log >&2
  return 1
}

stop() {
  kill "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  pid=""
}

# The value of one series ("name{labels}") in Prometheus text on stdin; 0 when absent.
value() { awk -v s="$1 " 'index($0, s) == 1 { v = substr($0, length(s) + 1) } END { printf "%.0f\n", v + 0 }'; }
delta() { echo $(( $(value "$1" <<< "$after") - $(value "$1" <<< "$before") )); }
share() { awk -v n="$1" -v d="$2" 'BEGIN { if (d > 0) printf "%.2f%%", 100 * n / d; else printf "n/a" }'; }

declare -A floor_rps

# run LABEL KIND: wrk at every connection count against the target now on $url.
run() {
  local label="$1" kind="$2" c out rps p50 p99 p999 requests model heuristic shed late bids ratio
  for c in $connections; do
    [ "$kind" = bidder ] && before="$(curl -sf "$url/metrics")"
    out="$(WRK_BODY="$body" wrk -t1 -c"$c" -d"$duration" --latency -s "$root/loadtests/wrk/bid.lua" "$url")"
    rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<< "$out")"
    p50="$(awk '$1 == "50%" { print $2 }' <<< "$out")"
    p99="$(awk '$1 == "99%" { print $2 }' <<< "$out")"
    if [ "$kind" = floor ]; then
      floor_rps[$c]="$rps"
      echo "| $label | $c | $rps | 1.00 | $p50 | $p99 | | | | |"
      continue
    fi
    after="$(curl -sf "$url/metrics")"
    requests="$(delta bidengine_request_duration_seconds_count)"
    bids="$(delta 'bidengine_answers_total{outcome="bid"}')"
    model="$(delta 'bidengine_scoring_path_total{path="model"}')"
    heuristic="$(delta 'bidengine_scoring_path_total{path="heuristic"}')"
    shed="$(delta 'bidengine_answers_total{outcome="shed"}')"
    late="$(delta bidengine_late_answers_total)"
    ratio="$(awk -v a="$rps" -v b="${floor_rps[$c]:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }')"
    echo "| $label | $c | $rps | $ratio | $p50 | $p99 | $(share "$bids" "$requests") | $(share "$model" "$requests") / $(share "$heuristic" "$requests") | $shed | $late |"
  done
}

bidder() {
  (cd "$work" && exec dotnet "$server_dll" --urls "$url" "$@" > "$work/server.log" 2>&1) &
  pid=$!
  wait_ready
}

echo "Measured $(date -u +%Y-%m-%d) on $(nproc) vCPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), .NET $(dotnet --version), wrk -t1 -d$duration, body $(basename "$body"), target and wrk on the same cores; \`loadtests/perf.sh$( [ -n "$campaigns" ] && echo " --campaigns ...")\`."
echo
echo "| target | connections | rps | ÷ floor | p50 | p99 | bid share | model / heuristic share | shed | late (bidder's clock) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
(cd "$work" && exec dotnet "$loadtool_dll" serve-floor --port "$port" --duration 30m > "$work/floor.log" 2>&1) &
pid=$!
wait_ready
run "floor (Kestrel, 204)" floor
stop

bidder --BidEngine:UseModel=false
run "bidder, heuristic only (UseModel=false)" bidder
stop

bidder
run "bidder, model (defaults)" bidder
stop

if [ -n "$campaigns" ]; then
  mkdir -p "$work/config"
  cp "$root"/config/*.json "$work/config/"
  cp "$campaigns" "$work/config/campaigns.json"

  bidder --config "$work/config"
  run "bidder, model, $(grep -o '"valuePerClick"' "$campaigns" | wc -l) campaigns" bidder
  stop
fi

