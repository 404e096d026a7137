#!/usr/bin/env bash
# The throughput cost of the consent step: one bidder, wrk alternating between the same EU banner
# request without privacy signals and with a TCF v2.3 string (GDPR applies; ranges of vendors up to
# 30000 and the disclosed-vendors segment; our vendor id 901 has consent) and with a GPP string
# (usnat + usca sections), in rounds A, B, C, A, B, C... so that a busy machine drifts alike for all,
# after one unreported warm-up pass over the three. Reports each body's median round.
# --bench first runs the BenchmarkDotNet consent benchmarks (decode time and bytes allocated per
# request, ConsentBenchmarks, short job) and prints their table above the throughput rounds, so both
# come from one run on one machine state (about 8 minutes more).
#
#   loadtests/consent/cost.sh [-d 3s] [-c 8] [-r 7] [--heuristic] [--bench]
#
# Loopback only; bounded by wrk's duration × rounds. Needs wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
duration=3s
connections=8
rounds=7
bench=false
extra=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    -d) duration="$2"; shift 2 ;;
    -c) connections="$2"; shift 2 ;;
    -r) rounds="$2"; shift 2 ;;
    --heuristic) extra+=(--BidEngine:UseModel=false); shift ;;
    --bench) bench=true; shift ;;
    *) echo "usage: $0 [-d 3s] [-c 8] [-r 7] [--heuristic] [--bench]" >&2; exit 2 ;;
  esac
done
command -v wrk > /dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }

dotnet build -c Release src/BidEngine.Server > /dev/null
port=5393
url="http://127.0.0.1:$port"
source loadtests/lib.sh

if $bench; then
  # Before the bidder starts, so the benchmarks have the cores to themselves.
  echo "Load average $(cut -d' ' -f1-3 /proc/loadavg) before the benchmarks."
  dotnet run -c Release --project loadtests/BidEngine.Benchmarks -- --filter '*ConsentBenchmarks*' --job short \
    --artifacts "$work/bdn" > "$work/bdn.log" 2>&1 || { tail -n 20 "$work/bdn.log" >&2; exit 1; }
  echo
  cat "$work"/bdn/results/*ConsentBenchmarks-report-github.md
  echo
fi
bidder_start "$url" --BidEngine:Privacy:VendorId=901 "${extra[@]}"

# Each body must bid: a no-bid would measure a shorter path.
for body in no-signals tcf-v23 gpp-usnat-usca; do
  status="$(curl -s -o /dev/null -w '%{http_code}' "$url/openrtb2/bid" -H 'Content-Type: application/json' --data-binary @"loadtests/consent/$body.json")"
  [ "$status" = 200 ] || { echo "$body.json got $status, not a bid" >&2; exit 1; }
done

for body in no-signals tcf-v23 gpp-usnat-usca; do
  WRK_BODY="loadtests/consent/$body.json" wrk -t1 -c"$connections" -d2s -s "$root/loadtests/wrk/bid.lua" "$url" > /dev/null
done

echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) vCPUs, .NET $(dotnet --version), wrk -t1 -c$connections -d$duration, $rounds rounds${extra:+ (heuristic only)}; loadtests/consent/cost.sh"
echo
echo "| body | round | rps | p50 | p99 |"
echo "| --- | --- | --- | --- | --- |"
declare -A all
for round in $(seq 1 "$rounds"); do
  for body in no-signals tcf-v23 gpp-usnat-usca; do
    out="$(WRK_BODY="loadtests/consent/$body.json" wrk -t1 -c"$connections" -d"$duration" --latency -s "$root/loadtests/wrk/bid.lua" "$url")"
    rps="$(awk '/^Requests\/sec/ { print $2 }' <<< "$out")"
    p50="$(awk '$1 == "50%" { print $2 }' <<< "$out")"
    p99="$(awk '$1 == "99%" { print $2 }' <<< "$out")"
    echo "| $body | $round | $rps | $p50 | $p99 |"
    all[$body]="${all[$body]:-} $rps"
  done
done
echo
median() { tr ' ' '\n' <<< "$1" | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
base="$(median "${all[no-signals]}")"
for body in no-signals tcf-v23 gpp-usnat-usca; do
  m="$(median "${all[$body]}")"
  awk -v b="$body" -v m="$m" -v base="$base" 'BEGIN { printf "%s: median %.0f rps, %+.1f%% against no-signals\n", b, m, (m / base - 1) * 100 }'
done
