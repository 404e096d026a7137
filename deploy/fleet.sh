#!/usr/bin/env bash
# A bidder fleet on this machine, on loopback only: one Redis-protocol store (redis-server, or Garnet),
# N bidders sharing it and one generated notice signing key, and HAProxy in front (roundrobin, health
# checks on /readyz). Prints the front's, each node's and the store's address once all are ready, and
# stops everything on exit, Ctrl+C or SIGTERM. See deploy/README.md.
#
#   deploy/fleet.sh N [--store redis|garnet] [--embedded] [--config DIR] [--port FRONT] [--for SECONDS] [--info FILE]
#
#   --store      redis (default; appendonly yes, appendfsync everysec) or garnet (--lua --lua-transaction-mode)
#   --embedded   no store: each node keeps its own durable state in a folder of its own (for comparison)
#   --config     folder with bidengine.json and campaigns.json [config/]
#   --port       the front's port [the first free from 8080]
#   --for        stop by itself after this many seconds [run until Ctrl+C]
#   --info FILE  also write the addresses there as shell variables (FRONT, NODES, STORE, NODE_PIDS)
#   --min-threads T  start each bidder with a thread-pool minimum of T workers
#                (DOTNET_ThreadPool_ForceMinWorkerThreads; see src/BidEngine.State.Redis/README.md) [runtime default]
#
# Needs redis-server (or the .NET SDK for Garnet) and haproxy; installs them with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

usage() {
  sed -n '6,18p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ "$#" -ge 1 ] || usage
nodes="$1"
shift
[[ "$nodes" =~ ^[0-9]+$ ]] && [ "$nodes" -ge 1 ] && [ "$nodes" -le 16 ] || { echo "N must be a number of bidders from 1 to 16, not '$nodes'" >&2; exit 2; }
store=redis
embedded=false
config="$root/config"
front_port=""
run_for=""
info=""
min_threads=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --store) store="${2:-}"; shift 2 ;;
    --embedded) embedded=true; shift ;;
    --config) config="$(realpath "${2:-}")"; shift 2 ;;
    --port) front_port="${2:-}"; shift 2 ;;
    --for) run_for="${2:-}"; shift 2 ;;
    --info) info="${2:-}"; shift 2 ;;
    --min-threads) min_threads="${2:-}"; shift 2 ;;
    -h | --help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done
[[ "$store" =~ ^(redis|garnet)$ ]] || { echo "--store must be redis or garnet, not '$store'" >&2; exit 2; }
[ -f "$config/bidengine.json" ] && [ -f "$config/campaigns.json" ] || { echo "--config $config needs bidengine.json and campaigns.json" >&2; exit 2; }
[ -z "$front_port" ] || [[ "$front_port" =~ ^[0-9]+$ ]] || { echo "--port must be a port number, not '$front_port'" >&2; exit 2; }
[ -z "$min_threads" ] || [[ "$min_threads" =~ ^[0-9]+$ ]] || { echo "--min-threads must be a number, not '$min_threads'" >&2; exit 2; }
[ -z "$run_for" ] || [[ "$run_for" =~ ^[0-9]+$ ]] || { echo "--for must be a whole number of seconds, not '$run_for'" >&2; exit 2; }

# apt_need COMMAND PACKAGE: installs PACKAGE when COMMAND is missing (apt-get update once).
apt_updated=false
apt_need() {
  command -v "$1" > /dev/null && return 0
  echo "installing $2 (apt-get)" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $apt_updated || { $sudo apt-get update -qq > /dev/null; apt_updated=true; }
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" > /dev/null
}
apt_need haproxy haproxy
apt_need curl curl

dll="$root/src/BidEngine.Server/bin/Release/net10.0/BidEngine.Server.dll"
if [ ! -f "$dll" ]; then
  echo "building src/BidEngine.Server (Release)" >&2
  dotnet build -c Release src/BidEngine.Server > /dev/null
fi

work="$(mktemp -d -t bidengine-fleet.XXXXXX)"
pids=()
stopping=false
cleanup() {
  $stopping && return
  stopping=true
  local p
  # Bidders first (they return their leases to the store), then the front, then the store.
  for p in "${pids[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
  for _ in $(seq 1 100); do
    local alive=false
    for p in "${pids[@]}"; do kill -0 "$p" 2> /dev/null && alive=true; done
    $alive || break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# free_port P: the first port from P on that nothing on loopback listens on (skipping ports taken here).
taken=" "
free_port() {
  local p="$1"
  while [[ "$taken" == *" $p "* ]] || (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null; do
    p=$((p + 1))
  done
  taken+="$p "
  echo "$p"
}

# wait_for WHAT PID LOG COMMAND...: until COMMAND succeeds; gives up when PID exits or after 120 s.
wait_for() {
  local what="$1" pid="$2" log="$3"
  shift 3
  for _ in $(seq 1 240); do
    "$@" > /dev/null 2>&1 && return 0
    kill -0 "$pid" 2> /dev/null || { echo "$what exited before it was ready; its log:" >&2; tail -n 20 "$log" >&2; exit 1; }
    sleep 0.5
  done
  echo "$what was not ready within 120 s; its log:" >&2
  tail -n 20 "$log" >&2
  exit 1
}

front_port="$(free_port "${front_port:-8080}")"
front="http://127.0.0.1:$front_port"

# The store.
store_addr=""
state_args=()
if ! $embedded; then
  store_port="$(free_port 6390)"
  store_addr="127.0.0.1:$store_port"
  mkdir -p "$work/store"
  if [ "$store" = redis ]; then
    apt_need redis-server redis-server
    apt_need redis-cli redis-tools
    redis-server --bind 127.0.0.1 --port "$store_port" --dir "$work/store" --appendonly yes --appendfsync everysec \
      --save "" --protected-mode yes --daemonize no > "$work/store.log" 2>&1 &
    pids+=($!)
    wait_for "redis-server" "${pids[-1]}" "$work/store.log" redis-cli -p "$store_port" ping
  else
    garnet_dir="${XDG_CACHE_HOME:-$HOME/.cache}/bidengine-garnet"
    if [ ! -x "$garnet_dir/garnet-server" ]; then
      echo "installing Garnet 2.2.12 into $garnet_dir (dotnet tool)" >&2
      dotnet tool install garnet-server --version 2.2.12 --tool-path "$garnet_dir" > /dev/null
    fi
    # Persistence: Garnet's append-only file (--aof), committed every second as Redis's everysec.
    "$garnet_dir/garnet-server" --bind 127.0.0.1 --port "$store_port" --lua --lua-transaction-mode \
      --aof --aof-commit-freq 1000 --logdir "$work/store" --checkpointdir "$work/store" > "$work/store.log" 2>&1 &
    pids+=($!)
    wait_for "garnet-server" "${pids[-1]}" "$work/store.log" bash -c "exec 3<> /dev/tcp/127.0.0.1/$store_port && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG"
  fi
  state_args=("--BidEngine:State:Redis=$store_addr")
fi

# The bidders: one signing key for all, passed in the environment (not on a command line others can read).
BidEngine__Notices__SigningKey="$(head -c 32 /dev/urandom | base64)"
export BidEngine__Notices__SigningKey
# The runtime reads this knob as hexadecimal.
[ -z "$min_threads" ] || export DOTNET_ThreadPool_ForceMinWorkerThreads="$(printf '%x' "$min_threads")"
node_urls=()
node_management=()
node_pids=()
for i in $(seq 1 "$nodes"); do
  port="$(free_port $((5400 + i * 10)))"
  url="http://127.0.0.1:$port"
  management="http://127.0.0.1:$(free_port $((port + 1)))"
  mkdir -p "$work/node$i"
  args=(--urls "$url" "--BidEngine:Management:Url=$management" --config "$config" "--BidEngine:Notices:BaseUrl=$front")
  if $embedded; then
    args+=("--BidEngine:State:Folder=$work/node$i/state")
  else
    args+=("${state_args[@]}")
  fi
  (cd "$work/node$i" && exec dotnet "$dll" "${args[@]}" > "$work/node$i.log" 2>&1) &
  pids+=($!)
  node_pids+=($!)
  node_urls+=("$url")
  node_management+=("$management")
done
for i in $(seq 1 "$nodes"); do
  wait_for "node $i" "${node_pids[$((i - 1))]}" "$work/node$i.log" curl -sf "${node_urls[$((i - 1))]}/readyz"
done

# The front.
{
  cat << EOF
global
    maxconn 4096
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    option http-keep-alive
frontend bidders
    bind 127.0.0.1:$front_port
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
EOF
  for i in $(seq 1 "$nodes"); do
    echo "    server node$i ${node_urls[$((i - 1))]#http://} check inter 1s fall 2 rise 2"
  done
} > "$work/haproxy.cfg"
haproxy -db -f "$work/haproxy.cfg" > "$work/haproxy.log" 2>&1 &
pids+=($!)
# Ready once the front has seen every node pass its health check.
wait_for "haproxy" "${pids[-1]}" "$work/haproxy.log" curl -sf "$front/readyz"
sleep 2.5

mode="store $store at $store_addr"
$embedded && mode="embedded state (one folder per node)"
[ -z "$min_threads" ] || mode+=", thread-pool minimum $min_threads"
echo "fleet of $nodes, $mode; logs in $work"
echo "front  $front"
for i in $(seq 1 "$nodes"); do echo "node$i  ${node_urls[$((i - 1))]}  metrics ${node_management[$((i - 1))]}/metrics  pid ${node_pids[$((i - 1))]}"; done
[ -n "$store_addr" ] && echo "store  $store_addr"
if [ -n "$info" ]; then
  {
    echo "FRONT=$front"
    echo "NODES=\"${node_urls[*]}\""
    echo "MANAGEMENT=\"${node_management[*]}\""
    echo "NODE_PIDS=\"${node_pids[*]}\""
    echo "STORE=$store_addr"
    echo "LOGS=$work"
  } > "$info.tmp"
  mv "$info.tmp" "$info"
fi
echo "ready$([ -n "$run_for" ] && echo ", stopping in $run_for s" || echo "; Ctrl+C stops all")"

# Watch: a dead process ends the fleet (and says which); --for ends it on time.
start=$SECONDS
while true; do
  for p in "${pids[@]}"; do
    kill -0 "$p" 2> /dev/null || { echo "process $p exited; stopping the fleet" >&2; exit 1; }
  done
  [ -n "$run_for" ] && [ $((SECONDS - start)) -ge "$run_for" ] && exit 0
  sleep 1 &
  wait $! || true
done
