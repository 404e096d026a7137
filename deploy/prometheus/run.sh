#!/usr/bin/env bash
# Prometheus (Debian's package) with the shipped prometheus.yml and bidengine-rules.yml, scraping the
# bidders given, in the foreground on 127.0.0.1; Ctrl+C stops it and removes its data. See
# deploy/README.md, "Monitoring".
#
#   deploy/prometheus/run.sh [--port 9090] ADDRESS...
#
#   ADDRESS  host:port (or http://host:port) of a bidder's management listener (BidEngine:Management:Url),
#            where it serves /metrics; never its bid port (404 there)
#   --port   Prometheus's own port [9090]
#
# A fleet from deploy/fleet.sh N --info fleet.env:  deploy/prometheus/run.sh $(. ./fleet.env; echo $MANAGEMENT)
# Installs prometheus with apt-get when it is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

usage() {
  sed -n '6,13p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

port=9090
while [ "$#" -gt 0 ]; do
  case "$1" in
    --port) port="${2:-}"; shift 2 ;;
    -h | --help) usage ;;
    -*) echo "unknown argument: $1" >&2; usage ;;
    *) break ;;
  esac
done
[ "$#" -ge 1 ] || usage
[[ "$port" =~ ^[0-9]+$ ]] || { echo "--port must be a port number, not '$port'" >&2; exit 2; }

if ! command -v prometheus > /dev/null; then
  echo "installing prometheus (apt-get)" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus > /dev/null \
    || { $sudo apt-get update -qq > /dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus > /dev/null; }
fi

work="$(mktemp -d -t bidengine-prometheus.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# The shipped file's one target line becomes one line per address given.
targets=""
for address in "$@"; do
  address="${address#http://}"
  address="${address%/}"
  [[ "$address" =~ ^[^[:space:]/]+:[0-9]+$ ]] || { echo "not a host:port: '$address'" >&2; exit 2; }
  targets+="          - $address"$'\n'
done
shipped="          - 127.0.0.1:5001"
grep -qxF -- "$shipped" "$here/prometheus.yml" || { echo "prometheus.yml no longer lists '$shipped' on a line of its own" >&2; exit 1; }
while IFS= read -r line; do
  if [ "$line" = "$shipped" ]; then printf '%s' "$targets"; else printf '%s\n' "$line"; fi
done < "$here/prometheus.yml" > "$work/prometheus.yml"
cp "$here/bidengine-rules.yml" "$work/"

echo "Prometheus at http://127.0.0.1:$port (targets: http://127.0.0.1:$port/targets, alerts: /alerts), scraping: $*" >&2
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$port" --log.level=warn
