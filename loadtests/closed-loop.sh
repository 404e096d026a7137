#!/usr/bin/env bash
# The bidder learning from its own log, end to end: writes a config folder with the simulated
# world's campaigns, starts the bidder on it with the bid log on and notice URLs pointing at
# itself, sends it the simulator's traffic (closed-loop run: auctions, notices and clicks from the
# ground truth), stops it, and prints the held-out AUC of a model trained on the bidder's log beside
# one trained on the simulator's log of the same impressions, each with its ceiling (the true CTR).
#
#   loadtests/closed-loop.sh [--requests 200000] [--concurrency 16] [--out data/closed-loop] [more closed-loop run options]
#
# Loopback only; bounded by the request count (the default takes a few minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

out="data/closed-loop"
args=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --bidder|--log) echo "$1 is set by this script" >&2; exit 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

port=5397
url="http://127.0.0.1:$port"
rm -rf "$out"
mkdir -p "$out"
out="$(realpath "$out")"

dotnet build -c Release src/BidEngine.Server > /dev/null
dotnet build -c Release src/BidEngine.Training > /dev/null
server_dll="$root/src/BidEngine.Server/bin/Release/net10.0/BidEngine.Server.dll"
training_dll="$root/src/BidEngine.Training/bin/Release/net10.0/BidEngine.Training.dll"

dotnet "$training_dll" closed-loop config --out "$out/config"

pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
  fi
}
trap cleanup EXIT

dotnet "$server_dll" --urls "$url" --BidEngine:Management:Url="http://127.0.0.1:$((port + 1000))" --config "$out/config" \
  --BidEngine:EventLog:Folder="$out/log" --BidEngine:Notices:BaseUrl="$url" > "$out/bidder.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  curl -sf "$url/readyz" > /dev/null 2>&1 && break
  kill -0 "$pid" 2> /dev/null || { echo "the bidder exited before it was ready:" >&2; tail -n 20 "$out/bidder.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "$url/readyz" > /dev/null || { echo "the bidder was not ready within 300 s" >&2; exit 1; }

dotnet "$training_dll" closed-loop run --bidder "$url" --log "$out/log" --out "$out" "${args[@]}"
