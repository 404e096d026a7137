#!/usr/bin/env bash
# Notice endpoint throughput against the floor, in one run (issue 11: a notice must cost no more
# than a bid request). Rows, each under wrk at the same connection counts, one after the other:
#   floor POST /openrtb2/bid      Kestrel reading the body and answering 204 (perf.sh's floor)
#   floor GET notice URL          the same floor process, a billing notice URL it has no route for (404)
#   bidder POST /openrtb2/bid     the bidder, heuristic only, notices on: the cost of a bid request
#   bidder burl, fresh            each billing notice once: verify, replay window, ledger settle, caps, priors
#   bidder burl, replayed         one billing notice over and over: verified, refused as a replay (204)
#   bidder burl, forged           one character of the token changed: refused (403)
# The fresh URLs come from a collection pass (wrk on /openrtb2/bid, burls written to a file) run
# for 3x the duration first; when a row sends more notices than were collected it starts over, and
# the share actually taken (from the bidder's /metrics) is printed beside it.
#
#   loadtests/wrk/notices.sh [-d 10s] [-c "8 32"] [--body FILE]
#
# Loopback only; every run is bounded by wrk's duration. Needs wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"

duration=10s
connections="8 32"
body="corpus/requests/app-banner-phone-usa-2.6.json"
while [ "$#" -gt 0 ]; do
  case "$1" in
    -d) duration="$2"; shift 2 ;;
    -c) connections="$2"; shift 2 ;;
    --body) body="$2"; shift 2 ;;
    *) echo "usage: $0 [-d 10s] [-c \"8 32\"] [--body FILE]" >&2; exit 2 ;;
  esac
done
command -v wrk > /dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
[ -f "$body" ] || { echo "no such body file: $body" >&2; exit 1; }
body="$(realpath "$body")"
seconds="${duration%s}"

dotnet build -c Release src/BidEngine.Server > /dev/null
dotnet build -c Release loadtests/BidEngine.LoadTests > /dev/null
source loadtests/lib.sh
# Not perf.sh's ports (5391 and up): both may run at once on a shared machine. A port in use stops the run.
port="${NOTICES_PORT:-5417}"
url="http://127.0.0.1:$port"
if curl -s -o /dev/null "$url/healthz"; then
  echo "something already answers on $url: set NOTICES_PORT to a free port" >&2
  exit 1
fi
# The value of one series ("name{labels}") in Prometheus text on stdin; 0 when absent.
value() { awk -v s="$1 " 'index($0, s) == 1 { v = substr($0, length(s) + 1) } END { printf "%.0f\n", v + 0 }'; }
delta() { echo $(( $(value "$1" <<< "$after") - $(value "$1" <<< "$before") )); }

declare -A floor_rps

# row LABEL KIND SCRIPT [env...]: wrk at every connection count. KIND floor sets the ÷ floor base;
# notices rows report the bidder's notice counters; fresh rows take a part of the collected URLs each.
row() {
  local label="$1" kind="$2" script="$3" c out rps p50 p99 ratio note list part=0
  shift 3
  for c in $connections; do
    part=$((part + 1))
    list="$work/notices.txt"
    [ "$kind" = fresh ] && list="$work/part.$part"
    [ "$kind" = floor-get ] && list="$work/floor-url.txt"
    case "$kind" in floor*) ;; *) before="$(curl -sf "${target_metrics[bidder]}/metrics")" ;; esac
    out="$(env WRK_BODY="$body" WRK_NOTICES="$list" "$@" wrk -t1 -c"$c" -d"$duration" --latency -s "$script" "$url")"
    rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<< "$out")"
    p50="$(awk '$1 == "50%" { print $2 }' <<< "$out")"
    p99="$(awk '$1 == "99%" { print $2 }' <<< "$out")"
    [ "$kind" = floor ] && floor_rps[$c]="$rps"
    ratio="$(awk -v a="$rps" -v b="${floor_rps[$c]:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }')"
    note=""
    case "$kind" in
      fresh | notices)
        after="$(curl -sf "${target_metrics[bidder]}/metrics")"
        note="taken $(delta 'bidengine_notices_total{kind="imp"}'), replayed $(delta 'bidengine_notices_refused_total{reason="replayed"}'), bad_token $(delta 'bidengine_notices_refused_total{reason="bad_token"}'), other refusals $(( $(delta 'bidengine_notices_refused_total{reason="price_above_bid"}') + $(delta 'bidengine_notices_refused_total{reason="expired"}') ))"
        [ "$kind" = fresh ] && note="$note; $(wc -l < "$list") URLs"
        ;;
    esac
    echo "| $label | $c | $rps | $ratio | $p50 | $p99 | $note |"
  done
}

echo "Measured $(date -u +%Y-%m-%d) on $(nproc) vCPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), .NET $(dotnet --version), wrk -t1 -d$duration, target and wrk on the same cores; \`loadtests/wrk/notices.sh\`."
echo
echo "| target | connections | rps | ÷ floor | p50 | p99 | notices (bidder's /metrics) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"

# The floor in its own process, as perf.sh starts it; its GET row asks for a notice URL of the real
# length (a 150-character token), for which the floor has no route.
printf '/openrtb2/notice/imp?t=%s&p=${AUCTION_PRICE}&cur=${AUCTION_CURRENCY}\n' "$(head -c 150 /dev/zero | tr '\0' 'A')" > "$work/floor-url.txt"
target_start floor floor "$port"
row "floor POST /openrtb2/bid (204)" floor "$root/loadtests/wrk/bid.lua"
row "floor GET notice URL (404, no route)" floor-get "$root/loadtests/wrk/notices.lua" WRK_NOTICE_MODE=replay
target_stop floor

# The bidder, heuristic only, notices on, a key of this run's own. Its bids are collected first (for
# 3x the duration) so that every fresh notice has a reservation in this same process.
key="$(head -c 32 /dev/urandom | base64)"
BidEngine__Notices__SigningKey="$key" target_start bidder bidder "$port" --BidEngine:UseModel=false --BidEngine:Notices:BaseUrl="$url"
: > "$work/notices.txt"
WRK_BODY="$body" WRK_NOTICES_OUT="$work/notices.txt" wrk -t1 -c8 -d"$((seconds * 3))s" -s "$root/loadtests/wrk/notice-collect.lua" "$url" > /dev/null
parts=$(wc -w <<< "$connections")
(cd "$work" && split -n "l/$parts" -d -a 1 notices.txt part.tmp. && for i in $(seq 1 "$parts"); do mv "part.tmp.$((i - 1))" "part.$i"; done)
row "bidder POST /openrtb2/bid (heuristic, notices on)" bidder "$root/loadtests/wrk/bid.lua"
row "bidder burl, fresh" fresh "$root/loadtests/wrk/notices.lua" WRK_NOTICE_MODE=fresh
row "bidder burl, replayed" notices "$root/loadtests/wrk/notices.lua" WRK_NOTICE_MODE=replay
row "bidder burl, forged" notices "$root/loadtests/wrk/notices.lua" WRK_NOTICE_MODE=forged
target_stop bidder
echo
echo "$(wc -l < "$work/notices.txt") billing notice URLs collected; a fresh row that sends more than its part starts over on it (those are replays)."
