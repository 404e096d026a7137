#!/usr/bin/env bash
# The bidder's throughput with every traffic and supply check On against every one Off, in one run:
# two bidders from the same build and config, started side by side, and wrk (loadtests/wrk/bid.lua,
# -t1 -cN) alternating between them, off, on, off, on..., so that a busy machine drifts alike for
# both; after one unreported warm-up pass on each. The body (loadtests/traffic/passes-every-check.json,
# through the exchange route /openrtb2/exchx/bid) passes every check, so both bidders do the same
# work after the checks: the difference is what the checks cost. "On" runs: the shipped bot list,
# a data-centre list of 100,000 IPv4 /24 and 20,000 IPv6 /48 random blocks (seeded), the rates with
# limits no burst reaches (so they count every request but refuse none), the supply-chain policy
# (complete, at most 2 hops), sellers.json and ads.txt from the test fixtures (tests/Shared/Traffic),
# missing files refused. Reports each round (requests/s, latency, and the bidder's own CPU time per
# request from its /metrics) and the median of each side, on ÷ off, and the CPU the checks add.
# --many sends the body from 4,096 addresses and users in turn (loadtests/wrk/bid-many.lua), as an
# exchange's traffic comes; without it every request is the same address and user, the rate checks'
# worst case (every core adds to the same counters). --no-rates leaves the two rate checks Off on
# the "on" side, to show their share.
#
#   loadtests/traffic-throughput.sh [-d 5s] [-c 16] [-r 5] [--heuristic] [--many] [--no-rates]
#
# Loopback only; bounded by wrk's duration × rounds × 2. Needs wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
args="$*"
duration=5s
connections=16
rounds=5
extra=()
script=bid.lua
rates=On
while [ "$#" -gt 0 ]; do
  case "$1" in
    -d) duration="$2"; shift 2 ;;
    -c) connections="$2"; shift 2 ;;
    -r) rounds="$2"; shift 2 ;;
    --heuristic) extra+=(--BidEngine:UseModel=false); shift ;;
    --many) script=bid-many.lua; shift ;;
    --no-rates) rates=Off; shift ;;
    *) echo "usage: $0 [-d 5s] [-c 16] [-r 5] [--heuristic] [--many] [--no-rates]" >&2; exit 2 ;;
  esac
done
command -v wrk > /dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }

dotnet build -c Release src/BidEngine.Server > /dev/null
source loadtests/lib.sh

# One config folder for both: the shipped settings and campaigns, the fixture supply folder, a big data-centre list.
config="$work/config"
mkdir -p "$config"
cp config/bidengine.json config/campaigns.json "$config/"
cp -r config/ivt "$config/ivt"
cp -r tests/Shared/Traffic/supply "$config/supply"
awk 'BEGIN { srand(17); for (i = 0; i < 100000; i++) { a = 1 + int(rand() * 223); if (a == 203) a = 204; printf "%d.%d.%d.0/24\n", a, int(rand() * 256), int(rand() * 256) } for (i = 0; i < 20000; i++) printf "2a0%d:%x:%x::/48\n", int(rand() * 10), int(rand() * 65536), int(rand() * 65536) }' > "$config/datacentres.txt"
common=(--config "$config" --BidEngine:ReloadCampaigns=false "--BidEngine:Exchanges:exchx:Domain=exchange.example" "${extra[@]}")
all_checks=(MissingUserAgent ImpossibleUserAgent MissingIp ImpossibleIp ZeroAdId KnownBots DataCentres IpRate UserRate)
on=() off=()
# ONLY="KnownBots DataCentres ..." turns on only those checks on the "on" side (to find which one costs).
only=" ${ONLY:-} "
mode() { if [ "$only" = "  " ] || [[ "$only" == *" $1 "* ]]; then echo On; else echo Off; fi; }
for check in "${all_checks[@]}"; do on+=("--BidEngine:Traffic:$check=$(mode "$check")"); off+=("--BidEngine:Traffic:$check=Off"); done
[ "$rates" = On ] || on+=("--BidEngine:Traffic:IpRate=Off" "--BidEngine:Traffic:UserRate=Off")
for check in SupplyChain Sellers AdsTxt; do on+=("--BidEngine:Supply:$check=$(mode "$check")"); off+=("--BidEngine:Supply:$check=Off"); done
on+=(--BidEngine:Traffic:DataCentresPath=datacentres.txt --BidEngine:Traffic:MaxRequestsPerIp=100000000 --BidEngine:Traffic:MaxRequestsPerUser=100000000
  --BidEngine:Supply:Policy:RequireComplete=true --BidEngine:Supply:Policy:MaxHops=2
  --BidEngine:Supply:WhenSellersFileMissing=NoBid --BidEngine:Supply:WhenAdsTxtMissing=NoBid)

target_start off bidder "$(free_port 5395)" "${common[@]}" --BidEngine:State:Folder="$work/state-off" "${off[@]}"
target_start on bidder "$(free_port 5405)" "${common[@]}" --BidEngine:State:Folder="$work/state-on" "${on[@]}"

body=loadtests/traffic/passes-every-check.json
export WRK_BODY="$body" WRK_PATH=/openrtb2/exchx/bid
for side in off on; do
  answer="$(curl -s "${target_url[$side]}$WRK_PATH" -H 'Content-Type: application/json' --data-binary @"$body")"
  case "$answer" in *seatbid*) ;; *) echo "the body got no bid from the '$side' bidder: $answer" >&2; exit 1 ;; esac
  wrk -t1 -c"$connections" -d2s -s "$root/loadtests/wrk/$script" "${target_url[$side]}" > /dev/null
done

echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) vCPUs, .NET $(dotnet --version), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; wrk -t1 -c$connections -d$duration -s $script, $rounds rounds, rate checks $rates${extra:+ (heuristic only)}; loadtests/traffic-throughput.sh $args"
echo
# The bidder's own CPU seconds and answers so far (its /metrics): CPU per request is steadier than
# requests/s on a machine others share, since it does not count the time the bidder waited for a core.
usage() { curl -s "${target_metrics[$1]}/metrics" | awk '/^bidengine_cpu_seconds_total / { c = $2 } /^bidengine_answers_total/ { n += $2 } END { printf "%.6f %d\n", c, n }'; }

echo "| round | checks | rps | p50 | p99 | bidder CPU µs / request |"
echo "| --- | --- | --- | --- | --- | --- |"
declare -A all cpu
for round in $(seq 1 "$rounds"); do
  for side in off on; do
    read -r c0 n0 <<< "$(usage "$side")"
    out="$(wrk -t1 -c"$connections" -d"$duration" --latency -s "$root/loadtests/wrk/$script" "${target_url[$side]}")"
    read -r c1 n1 <<< "$(usage "$side")"
    rps="$(awk '/^Requests\/sec/ { print $2 }' <<< "$out")"
    p50="$(awk '$1 == "50%" { print $2 }' <<< "$out")"
    p99="$(awk '$1 == "99%" { print $2 }' <<< "$out")"
    us="$(awk -v c0="$c0" -v c1="$c1" -v n0="$n0" -v n1="$n1" 'BEGIN { printf "%.2f", (c1 - c0) / (n1 - n0) * 1e6 }')"
    echo "| $round | $side | $rps | $p50 | $p99 | $us |"
    all[$side]="${all[$side]:-} $rps"
    cpu[$side]="${cpu[$side]:-} $us"
  done
  # Each round's pair, run seconds apart, shares the machine's mood: its ratio is the steadier figure.
  pairs="${pairs:-} $(awk -v off="${all[off]##* }" -v on="${all[on]##* }" 'BEGIN { printf "%.4f", on / off }')"
  cpu_pairs="${cpu_pairs:-} $(awk -v off="${cpu[off]##* }" -v on="${cpu[on]##* }" 'BEGIN { printf "%.4f", on / off }')"
done
echo
median() { tr ' ' '\n' <<< "$1" | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
m_off="$(median "${all[off]}")"
m_on="$(median "${all[on]}")"
awk -v off="$m_off" -v on="$m_on" 'BEGIN { printf "medians: every check Off %.0f rps, every check On %.0f rps; on / off %.3f (%+.1f%%)\n", off, on, on / off, (on / off - 1) * 100 }'
c_off="$(median "${cpu[off]}")"
c_on="$(median "${cpu[on]}")"
awk -v off="$c_off" -v on="$c_on" 'BEGIN { printf "bidder CPU per request, medians: Off %.2f µs, On %.2f µs; the checks %+.2f µs (%+.1f%%)\n", off, on, on - off, (on / off - 1) * 100 }'
echo "median of the rounds' own ratios: requests/s on / off $(median "$pairs"), CPU per request on / off $(median "$cpu_pairs")"

# The "on" bidder's checks refused nothing: the body passed every check all along. (A few answers
# "refused" on either side are requests wrk cut off at the end of a round: bodies Kestrel never got whole.)
for side in off on; do
  refused="$(curl -s "${target_metrics[$side]}/metrics" | awk '/^bidengine_traffic_refused_total/ { s += $2 } END { print s + 0 }')"
  answers="$(curl -s "${target_metrics[$side]}/metrics" | grep '^bidengine_answers_total' | sed 's/bidengine_answers_total//' | tr '\n' ' ')"
  echo "$side: refused by a check $refused; answers $answers"
done
