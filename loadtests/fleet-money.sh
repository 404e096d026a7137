#!/usr/bin/env bash
# The fleet's money run: writes a campaign file with one budgeted campaign (300x250, bids 5 CPM, total
# budget --budget USD, asap) and two unbudgeted ones (728x90), starts deploy/fleet.sh N on it with the
# store, and runs the load tool's `money` subcommand against the front and the nodes: bids at --rate
# for --duration, bills ~70% at random nodes, losses for 25%, replays 5% of bills to another node;
# then waits 15 s and reads the campaign's spend from the store. Prints the load tool's report and
# the command; exits with its code (0 goals met, 1 missed). Loopback only; bounded by --duration.
#
#   loadtests/fleet-money.sh [-n 2] [--store redis|garnet] [--rate 400] [--duration 40s] [--budget 8] [--min-threads T] [--out FILE] [--loss-ratio F]
# (--loss-ratio 0.3 with the 0.7 billed leaves no bid silent: a silent bid's price stays reserved for the
# reservation's time to live by design, which otherwise shows as money left at the end.)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
command_line="loadtests/fleet-money.sh $*"

nodes=2
store=redis
rate=400
duration=40s
budget=8
out=""
money_args=()
fleet_args=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    -n) nodes="$2"; shift 2 ;;
    --store) store="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --budget) budget="$2"; shift 2 ;;
    --min-threads) fleet_args+=(--min-threads "$2"); shift 2 ;;
    --out) out="$(realpath -m "$2")"; shift 2 ;;
    --loss-ratio) money_args+=(--loss-ratio "$2"); shift 2 ;;
    *) echo "usage: $0 [-n 2] [--store redis|garnet] [--rate 400] [--duration 40s] [--budget 8] [--min-threads T] [--out FILE] [--loss-ratio F]" >&2; exit 2 ;;
  esac
done

dotnet build -c Release src/BidEngine.Server > /dev/null
dotnet build -c Release loadtests/BidEngine.LoadTests > /dev/null
loadtool="$root/loadtests/BidEngine.LoadTests/bin/Release/net10.0/BidEngine.LoadTests.dll"

work="$(mktemp -d -t bidengine-money.XXXXXX)"
fleet_pid=""
cleanup() {
  if [ -n "$fleet_pid" ]; then
    kill -TERM "$fleet_pid" 2> /dev/null || true
    wait "$fleet_pid" 2> /dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The campaigns: value far above the cap, so every bid is exactly maxBidCpm; no frequency caps.
mkdir -p "$work/config"
cp "$root/config/bidengine.json" "$work/config/"
campaign() { # id w h budget-json
  cat << EOF
    { "id": "$1", "adomain": [ "$1.example" ], "cat": [ "IAB1" ], "valuePerClick": 10, "maxBidCpm": 5, "ctrPrior": 0.5,
      "pacing": "asap"$4,
      "creatives": [ { "id": "$1-$2x$3", "kind": "banner", "w": $2, "h": $3, "adm": "<img src=\"https://$1.example/$2x$3.png\">" } ] }
EOF
}
{
  echo '{ "campaigns": ['
  campaign cmp-budgeted 300 250 ", \"budget\": { \"total\": $budget }"
  echo ','
  campaign cmp-open-a 728 90 ""
  echo ','
  campaign cmp-open-b 728 90 ""
  echo '] }'
} > "$work/config/campaigns.json"

deploy/fleet.sh "$nodes" --store "$store" --config "$work/config" "${fleet_args[@]}" --for 900 --info "$work/fleet.env" > "$work/fleet.log" 2>&1 &
fleet_pid=$!
for _ in $(seq 1 300); do
  [ -f "$work/fleet.env" ] && break
  kill -0 "$fleet_pid" 2> /dev/null || { echo "the fleet did not start:" >&2; cat "$work/fleet.log" >&2; exit 3; }
  sleep 0.5
done
[ -f "$work/fleet.env" ] || { echo "the fleet was not ready within 150 s" >&2; cat "$work/fleet.log" >&2; exit 3; }
# shellcheck disable=SC1091
source "$work/fleet.env"
cat "$work/fleet.log"

node_args=()
for n in $NODES; do node_args+=(--node "$n"); done
for m in $MANAGEMENT; do node_args+=(--management "$m"); done
echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) vCPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), .NET $(dotnet --version), $store $( [ "$store" = redis ] && redis-server --version | awk '{ print $3 }'), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start. \`$command_line\`"
code=0
dotnet "$loadtool" money --front "$FRONT" "${node_args[@]}" --store "$STORE" --campaign cmp-budgeted --budget "$budget" \
  --rate "$rate" --duration "$duration" ${out:+--out "$out"} "${money_args[@]}" || code=$?
# What the nodes logged beyond their start (warnings, errors), for the record.
for f in "$LOGS"/node*.log; do
  n="$(grep -ciE 'warn|fail|error|exception' "$f" || true)"
  [ "$n" = 0 ] || { echo "$(basename "$f"): $n warning/error lines, the first:"; grep -iE 'warn|fail|error|exception' "$f" | head -n 3; }
done
exit "$code"
