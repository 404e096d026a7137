#!/usr/bin/env bash
# Bid throughput of a fleet through its front with the shared store against the same fleet with
# embedded state: deploy/fleet.sh N, then deploy/fleet.sh N --embedded, wrk at the same connections
# and duration against each front, --rounds times in turn (store, embedded, store, ...) so a slow
# minute of the shared machine lands on both. Bids only (no notices). Prints each run, the medians and
# store ÷ embedded. Loopback only; bounded by wrk's duration.
#
#   loadtests/fleet-throughput.sh [-n 2] [-c 32] [-d 15s] [--rounds 2] [--min-threads T]
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
command_line="loadtests/fleet-throughput.sh $*"

nodes=2
connections=32
duration=15s
rounds=2
fleet_args=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    -n) nodes="$2"; shift 2 ;;
    -c) connections="$2"; shift 2 ;;
    -d) duration="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --min-threads) fleet_args+=(--min-threads "$2"); shift 2 ;;
    *) echo "usage: $0 [-n 2] [-c 32] [-d 15s] [--rounds 2] [--min-threads T]" >&2; exit 2 ;;
  esac
done
command -v wrk > /dev/null || { apt-get update -qq > /dev/null && apt-get install -y -qq wrk > /dev/null; }
dotnet build -c Release src/BidEngine.Server > /dev/null

work="$(mktemp -d -t bidengine-throughput.XXXXXX)"
fleet_pid=""
stop_fleet() {
  if [ -n "$fleet_pid" ]; then
    kill -TERM "$fleet_pid" 2> /dev/null || true
    wait "$fleet_pid" 2> /dev/null || true
    fleet_pid=""
  fi
}
trap 'stop_fleet; rm -rf "$work"' EXIT

# run MODE: one fleet (store or embedded), one wrk run; prints "rps non2xx".
run() {
  local mode="$1" extra=()
  [ "$mode" = embedded ] && extra=(--embedded)
  rm -f "$work/fleet.env"
  deploy/fleet.sh "$nodes" "${extra[@]}" "${fleet_args[@]}" --for 600 --info "$work/fleet.env" > "$work/fleet-$mode.log" 2>&1 &
  fleet_pid=$!
  for _ in $(seq 1 300); do
    [ -f "$work/fleet.env" ] && break
    kill -0 "$fleet_pid" 2> /dev/null || { cat "$work/fleet-$mode.log" >&2; exit 3; }
    sleep 0.5
  done
  # shellcheck disable=SC1091
  source "$work/fleet.env"
  local out
  out="$(wrk -t1 -c"$connections" -d"$duration" --latency -s "$root/loadtests/wrk/bid.lua" "$FRONT")"
  stop_fleet
  local rps non2xx p99
  rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<< "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $5 }' <<< "$out")"
  p99="$(awk '$1 == "99%" { print $2 }' <<< "$out")"
  echo "$rps ${non2xx:-0} $p99"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) vCPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), .NET $(dotnet --version), wrk -t1 -c$connections -d$duration, body app-banner-phone-usa-2.6.json, shipped config/; fleet, HAProxy, store and wrk on the same cores; load average $(cut -d' ' -f1-3 /proc/loadavg) at the start. \`$command_line\`"
echo
echo "| round | state | rps through the front | non-2xx | p99 |"
echo "| --- | --- | --- | --- | --- |"
store_rps=()
embedded_rps=()
for r in $(seq 1 "$rounds"); do
  for mode in store embedded; do
    read -r rps non2xx p99 <<< "$(run "$mode")"
    echo "| $r | $mode | $rps | $non2xx | $p99 |"
    if [ "$mode" = store ]; then store_rps+=("$rps"); else embedded_rps+=("$rps"); fi
  done
done
s="$(printf '%s\n' "${store_rps[@]}" | median)"
e="$(printf '%s\n' "${embedded_rps[@]}" | median)"
echo
echo "median: store $s rps, embedded $e rps, store ÷ embedded $(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.3f", a / b }') (goal >= 0.95)"
