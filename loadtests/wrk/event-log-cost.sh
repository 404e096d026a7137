#!/usr/bin/env bash
# What the bid log costs: the bidder (model, defaults) with the log off and on, interleaved in one
# run (off, on, off, on, ...), wrk at the same load each time. Prints each run's requests/s, the
# mean of each side, their ratio, and the log's bytes per bid (the log folder's size after the
# bidder flushed it on shutdown, over the bids the bidder answered while it logged).
#
#   loadtests/wrk/event-log-cost.sh [-d 10s] [-c 32] [-r 3]
#
# Loopback only; bounded by wrk's duration times 2 × rounds. Needs wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
duration=10s
connections=32
rounds=3
while [ "$#" -gt 0 ]; do
  case "$1" in
    -d) duration="$2"; shift 2 ;;
    -c) connections="$2"; shift 2 ;;
    -r) rounds="$2"; shift 2 ;;
    *) echo "usage: $0 [-d 10s] [-c 32] [-r 3]" >&2; exit 2 ;;
  esac
done
command -v wrk > /dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
dotnet build -c Release src/BidEngine.Server > /dev/null
body="$root/corpus/requests/app-banner-phone-usa-2.6.json"
port=5392
url="http://127.0.0.1:$port"
source loadtests/lib.sh

value() { awk -v s="$1 " 'index($0, s) == 1 { v = substr($0, length(s) + 1) } END { printf "%.0f\n", v + 0 }'; }

off_total=0
on_total=0
log_bytes=0
log_bids=0
echo "| run | event log | requests/s | bids |"
echo "| --- | --- | --- | --- |"
for round in $(seq 1 "$rounds"); do
  for side in off on; do
    args=()
    if [ "$side" = on ]; then
      rm -rf "$work/log"
      args=(--BidEngine:EventLog:Folder="$work/log")
    fi
    bidder_start "$url" "${args[@]}"
    before="$(curl -sf "$bidder_metrics/metrics")"
    out="$(WRK_BODY="$body" wrk -t1 -c"$connections" -d"$duration" -s "$root/loadtests/wrk/bid.lua" "$url")"
    after="$(curl -sf "$bidder_metrics/metrics")"
    bidder_stop
    rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<< "$out")"
    bids=$(( $(value 'bidengine_answers_total{outcome="bid"}' <<< "$after") - $(value 'bidengine_answers_total{outcome="bid"}' <<< "$before") ))
    echo "| $round | $side | $rps | $bids |"
    if [ "$side" = on ]; then
      on_total=$(( on_total + rps ))
      log_bytes=$(( log_bytes + $(du -sb "$work/log" | cut -f1) ))
      log_bids=$(( log_bids + bids ))
    else
      off_total=$(( off_total + rps ))
    fi
  done
done
echo
awk -v off="$off_total" -v on="$on_total" -v n="$rounds" -v bytes="$log_bytes" -v bids="$log_bids" 'BEGIN {
  printf "mean requests/s: log off %.0f, log on %.0f; on ÷ off %.3f (cost %.1f%%)\n", off / n, on / n, on / off, 100 * (1 - on / off)
  if (bids > 0) printf "log bytes per bid: %.0f (%d bytes for %d bids, every bid logged, no-bids not sampled)\n", bytes / bids, bytes, bids
}'
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) vCPUs, wrk -t1 -c$connections -d$duration, body $(basename "$body"); \`loadtests/wrk/event-log-cost.sh -d $duration -c $connections -r $rounds\`."
