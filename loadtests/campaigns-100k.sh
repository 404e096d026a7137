#!/usr/bin/env bash
# Makes a config folder with 100,000 generated campaigns beside the shipped settings, and measures
# loading them (loader, rules, index, a reload): time, managed memory and RSS.
#
#   loadtests/campaigns-100k.sh [folder] [count]
#
# Then, for the load test against it beside a 5-campaign run:
#   dotnet run -c Release --project src/BidEngine.Server -- --config <folder>
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
folder="${1:-$(mktemp -d -t bidengine-campaigns-XXXXXX)}"
count="${2:-100000}"

mkdir -p "$folder"
cp "$root"/config/*.json "$folder"/
dotnet build -c Release "$root/src/BidEngine.Training" --nologo -v quiet >/dev/null
dotnet "$root/src/BidEngine.Training/bin/Release/net10.0/BidEngine.Training.dll" \
  campaigns --count "$count" --seed 7 --out "$folder/campaigns.json" --measure-load

echo "config folder: $folder"
echo "bidder:        dotnet run -c Release --project src/BidEngine.Server -- --config $folder"
