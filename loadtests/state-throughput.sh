#!/usr/bin/env bash
# One bidder's bid throughput with its money state in the shared store against embedded state, no
# HAProxy and no second bidder: the same bidder on 127.0.0.1, wrk -t1 -c32 (loadtests/wrk/bid.lua,
# bids only) for --duration, in turn: embedded, store (the default thread-pool minimum on a store, 64),
# store with State:MinThreadsWithStore=0; --rounds times, then the medians and store ÷ embedded.
# Starts its own redis-server (no persistence) on a free port and stops everything at the end.
#
#   loadtests/state-throughput.sh [--rounds 3] [--duration 10s]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
duration=10s
while [ "$#" -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    *) echo "usage: $0 [--rounds 3] [--duration 10s]" >&2; exit 2 ;;
  esac
done

command -v wrk > /dev/null || { apt-get update -qq > /dev/null && apt-get install -y -qq wrk > /dev/null; }
command -v redis-server > /dev/null || { apt-get update -qq > /dev/null && apt-get install -y -qq redis-server > /dev/null; }
dotnet build -c Release src/BidEngine.Server > /dev/null
source loadtests/lib.sh
store_port="$(free_port 6391)"
redis-server --port "$store_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" > "$work/redis.log" 2>&1 &
target_pid[store]=$!

# run NAME [settings...]: requests/s of one wrk run against a fresh bidder.
run() {
  local name="$1"; shift
  local url; url="http://127.0.0.1:$(free_port 5391)"
  bidder_start "$url" --BidEngine:State:Folder="$work/state-$name-$RANDOM" "$@"
  wrk -t1 -c32 -d"$duration" -s loadtests/wrk/bid.lua "$url" | awk '/Requests\/sec/ { print $2 }'
  bidder_stop
}

echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) vCPUs, .NET $(dotnet --version), redis $(redis-server --version | awk '{ print $3 }'), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start. \`loadtests/state-throughput.sh --rounds $rounds --duration $duration\`"
echo
echo "| round | embedded | store | store, pool minimum left as is |"
echo "| --- | --- | --- | --- |"
: > "$work/results"
for round in $(seq 1 "$rounds"); do
  e="$(run embedded)"
  s="$(run store --BidEngine:State:Redis="127.0.0.1:$store_port")"
  z="$(run store0 --BidEngine:State:Redis="127.0.0.1:$store_port" --BidEngine:State:MinThreadsWithStore=0)"
  echo "| $round | $e | $s | $z |"
  echo "$e $s $z" >> "$work/results"
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
e="$(awk '{ print $1 }' "$work/results" | median)"
s="$(awk '{ print $2 }' "$work/results" | median)"
z="$(awk '{ print $3 }' "$work/results" | median)"
echo
echo "medians: embedded $e, store $s, store with the runtime's pool minimum $z requests/s; store ÷ embedded $(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", s / e }')"
