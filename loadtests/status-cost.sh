#!/usr/bin/env bash
# What the status page costs the bid path: one bidder (model, shipped config), wrk on the bid port for
# --duration without and with a curl of the whole /status/data (on the management port) once a second,
# the two sides in turn within each round and the order swapped every round (without, with; with,
# without; ...) so that drift over the run (budgets, ledger, a slow minute of the shared machine) falls
# on both. Prints each run's requests/s, the mean of each side and with ÷ without, and what was polled.
# A full document each second is more than the page asks once it has loaded (it asks ?since= the last
# second it has). The curls themselves run on the same cores: part of the "with" side's cost.
#
#   loadtests/status-cost.sh [--rounds 3] [--duration 15s] [-c 32]
#
# Loopback only; bounded by wrk's duration × 2 × rounds plus one warm-up. Needs wrk (installed with apt when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
rounds=3
duration=15s
connections=32
while [ "$#" -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    -c) connections="$2"; shift 2 ;;
    *) echo "usage: $0 [--rounds 3] [--duration 15s] [-c 32]" >&2; exit 2 ;;
  esac
done
command -v wrk > /dev/null || { apt-get update -qq > /dev/null && apt-get install -y -qq wrk > /dev/null; }
dotnet build -c Release src/BidEngine.Server > /dev/null
source loadtests/lib.sh

url="http://127.0.0.1:$(free_port 5391)"
bidder_start "$url" --BidEngine:State:Folder="$work/state"
poller_pid=""
stop_poller() {
  if [ -n "$poller_pid" ]; then
    kill "$poller_pid" 2> /dev/null || true
    wait "$poller_pid" 2> /dev/null || true
    poller_pid=""
  fi
}
trap 'stop_poller; _lib_cleanup' EXIT

# poll: what a person with the page open asks, at its rate, taken to the worst case (every sample, every
# second). Writes one line per poll: status code and size of the answer.
poll() {
  while :; do
    curl -s -o /dev/null -w '%{http_code} %{size_download}\n' "$bidder_metrics/status/data" >> "$work/polls" || true
    sleep 1
  done
}

# run SIDE: requests/s of one wrk run, with the poller going or not.
run() {
  if [ "$1" = with ]; then
    poll &
    poller_pid=$!
  fi
  local out
  out="$(wrk -t1 -c"$connections" -d"$duration" -s "$root/loadtests/wrk/bid.lua" "$url")"
  stop_poller
  awk '/^Requests\/sec:/ { printf "%.0f\n", $2 }' <<< "$out"
}

: > "$work/polls"
echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) vCPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), .NET $(dotnet --version), wrk -t1 -c$connections -d$duration, body app-banner-phone-usa-2.6.json, shipped config/, one bidder for the whole run; load average $(cut -d' ' -f1-3 /proc/loadavg) at the start. \`loadtests/status-cost.sh --rounds $rounds --duration $duration -c $connections\`"
echo
echo "| round | /status/data polled once a second | requests/s |"
echo "| --- | --- | --- |"
without_total=0
with_total=0
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order=(without with); else order=(with without); fi
  for side in "${order[@]}"; do
    rps="$(run "$side")"
    echo "| $round | $side | $rps |"
    if [ "$side" = with ]; then with_total=$((with_total + rps)); else without_total=$((without_total + rps)); fi
  done
done
polls="$(wc -l < "$work/polls")"
failed="$(awk '$1 != 200' "$work/polls" | wc -l)"
largest="$(awk '{ if ($2 > m) m = $2 } END { print m + 0 }' "$work/polls")"
samples="$(curl -s "$bidder_metrics/status/data" | grep -o '"t":\[[0-9,]*\]' | tr ',' '\n' | wc -l)"
echo
awk -v a="$without_total" -v b="$with_total" -v n="$rounds" 'BEGIN {
  printf "mean requests/s: without %.0f, with %.0f; with ÷ without %.3f (cost %.1f%%)\n", a / n, b / n, b / a, 100 * (1 - b / a)
}'
echo "polls: $polls of /status/data, $failed not 200, the largest answer $largest bytes; $samples samples of history at the end (600 at most)"

# The same cost without the noise of a throughput run: the bidder's own CPU time (utime + stime) over
# 300 polls back to back, less what it uses idle over as long (its sweeps, the sampler).
cpu() { awk '{ print $14 + $15 }' "/proc/$bidder_pid/stat"; }
now() { date +%s.%N; }
c0="$(cpu)"; t0="$(now)"; sleep 5; c1="$(cpu)"; t1="$(now)"
c2="$(cpu)"; t2="$(now)"
for _ in $(seq 1 300); do curl -s -o /dev/null "$bidder_metrics/status/data"; done
c3="$(cpu)"; t3="$(now)"
awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v c2="$c2" -v c3="$c3" -v t2="$t2" -v t3="$t3" -v hz="$(getconf CLK_TCK)" 'BEGIN {
  idle = (c1 - c0) / (t1 - t0)
  per = ((c3 - c2) - idle * (t3 - t2)) / 300 / hz * 1000
  printf "CPU per poll of the whole document: %.2f ms (idle bidder: %.1f ms of CPU a second); polled once a second, %.3f%% of one core\n", per, idle / hz * 1000, per / 10
}'
