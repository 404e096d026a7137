#!/usr/bin/env bash
# How a running bidder answers one request body under wrk, read from its own /metrics: for each
# connection count, wrk's rps and p99, and the /metrics deltas of the run (answers by outcome,
# the share of requests priced by the model, the heuristic or nothing, and how many were shed).
# It starts nothing: start the bidder first (in Release, ideally with
# --BidEngine:Http:DebugPathHeader=true) and wait for /readyz.
#
#   loadtests/wrk/model-share.sh [-t threads] [-d duration] URL BODY CONNECTIONS...
#   loadtests/wrk/model-share.sh http://127.0.0.1:5000 path/to/request.json 8 32
#   (/metrics is read from BIDENGINE_METRICS_URL, default http://127.0.0.1:5001, the management listener)
set -euo pipefail

threads=1
duration=10s
while getopts "t:d:" opt; do
  case "$opt" in
    t) threads="$OPTARG" ;;
    d) duration="$OPTARG" ;;
    *) echo "usage: $0 [-t threads] [-d duration] URL BODY CONNECTIONS..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ "$#" -lt 3 ]; then
  echo "usage: $0 [-t threads] [-d duration] URL BODY CONNECTIONS..." >&2
  exit 2
fi

url="${1%/}"
body="$2"
shift 2
# /metrics is on the bidder's management listener (BidEngine:Management:Url), not the bid port.
metrics="${BIDENGINE_METRICS_URL:-http://127.0.0.1:5001}"
here="$(cd "$(dirname "$0")" && pwd)"
command -v wrk > /dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
[ -f "$body" ] || { echo "no such body file: $body" >&2; exit 1; }
curl -sf "$url/readyz" > /dev/null || { echo "$url/readyz is not 200: is the bidder up and warm?" >&2; exit 1; }

# The value of one series ("name{labels}") in Prometheus text on stdin; 0 when absent.
value() {
  awk -v s="$1 " 'index($0, s) == 1 { v = substr($0, length(s) + 1) } END { printf "%.0f\n", v + 0 }'
}

delta() {
  echo $(( $(value "$1" <<< "$after") - $(value "$1" <<< "$before") ))
}

share() {
  awk -v n="$1" -v d="$2" 'BEGIN { if (d > 0) printf "%.2f%%", 100 * n / d; else printf "n/a" }'
}

for connections in "$@"; do
  before="$(curl -sf "$metrics/metrics")"
  out="$(WRK_BODY="$body" wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$here/bid.lua" "$url")"
  after="$(curl -sf "$metrics/metrics")"

  rps="$(awk '/^Requests\/sec:/ { print $2 }' <<< "$out")"
  p99="$(awk '$1 == "99%" { print $2 }' <<< "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<< "$out")"

  requests="$(delta bidengine_request_duration_seconds_count)"
  bid="$(delta 'bidengine_answers_total{outcome="bid"}')"
  nobid="$(delta 'bidengine_answers_total{outcome="nobid"}')"
  refused="$(delta 'bidengine_answers_total{outcome="refused"}')"
  failed="$(delta 'bidengine_answers_total{outcome="failed"}')"
  shed="$(delta 'bidengine_answers_total{outcome="shed"}')"
  model="$(delta 'bidengine_scoring_path_total{path="model"}')"
  heuristic="$(delta 'bidengine_scoring_path_total{path="heuristic"}')"
  none="$(delta 'bidengine_scoring_path_total{path="none"}')"
  nocandidates="$(delta bidengine_no_candidates_total)"
  late="$(delta bidengine_late_answers_total)"

  echo "== wrk -t$threads -c$connections -d$duration: $rps rps, p99 $p99, non-2xx/3xx ${non2xx:-0}"
  echo "   requests (/metrics): $requests; late: $late"
  echo "   answers: bid $bid, nobid $nobid, refused $refused, failed $failed, shed $shed"
  echo "   path: model $model ($(share "$model" "$requests")), heuristic $heuristic ($(share "$heuristic" "$requests")), none $none incl. shed ($(share "$none" "$requests")), no candidates $nocandidates"
  echo "   shed: $shed ($(share "$shed" "$requests"))"
done
