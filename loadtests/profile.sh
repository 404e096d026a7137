#!/usr/bin/env bash
# Where a request's CPU goes: the floor (Kestrel reading the body and answering 204), the bidder on
# its heuristic only and the bidder with the model, each under the same wrk load in turn, sampled
# by `perf record` (999 Hz, call stacks) for the whole run. Each sample is charged to one part by its
# stack (ONNX Runtime's library anywhere in it; else the kernel by what it was doing; else the
# innermost frame of ours, of Kestrel or of the thread pool), and each part is printed as CPU µs per
# request: samples × 1/999 s ÷ requests answered. GC pauses come from the runtime's own counter
# (dotnet-counters, when installed), since the runtime's native frames carry no symbols.
#
#   loadtests/profile.sh [-d 8s] [-c 32] [--body FILE]
#
# Needs perf (apt-get install -y linux-perf), wrk, and optionally dotnet-counters
# (dotnet tool install -g dotnet-counters). The targets run with DOTNET_PerfMapEnabled=1 (the JIT
# writes /tmp/perf-<pid>.map) and DOTNET_EnableWriteXorExecute=0 (without it perf cannot name JIT-ed
# code); both change the process a little, so read the parts against each other and against the
# floor in the same run, not against perf.sh's table. Loopback only, bounded by wrk's duration.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
duration=8s
connections=32
body="corpus/requests/app-banner-phone-usa-2.6.json"
while [ "$#" -gt 0 ]; do
  case "$1" in
    -d) duration="$2"; shift 2 ;;
    -c) connections="$2"; shift 2 ;;
    --body) body="$2"; shift 2 ;;
    *) echo "usage: $0 [-d 8s] [-c 32] [--body FILE]" >&2; exit 2 ;;
  esac
done
command -v perf > /dev/null || { echo "perf is not installed (apt-get install -y linux-perf)" >&2; exit 1; }
command -v wrk > /dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
[ -f "$body" ] || { echo "no such body file: $body" >&2; exit 1; }
body="$(realpath "$body")"
counters="$(command -v dotnet-counters || echo "$HOME/.dotnet/tools/dotnet-counters")"
[ -x "$counters" ] || counters=""
seconds="${duration%s}"
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "-d must be whole seconds, like 8s" >&2; exit 2; }

dotnet build -c Release src/BidEngine.Server > /dev/null
dotnet build -c Release loadtests/BidEngine.LoadTests > /dev/null
source loadtests/lib.sh
port=5411
# start NAME floor|bidder [server args]: one target on the next port, with perf maps on and W^X off.
start() {
  local name="$1" kind="$2"
  shift 2
  port="$(free_port "$port")"
  DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 target_start "$name" "$kind" "$port" "$@"
  port=$((port + 1))
}

# The part a sample belongs to, from its stack (perf script, one blank-line-separated record each;
# frames leaf first). Prints "part<TAB>count" lines.
classify() {
  awk 'BEGIN { RS = ""; FS = "\n" }
  {
    part = ""
    for (i = 2; i <= NF; i++) if ($i ~ /libonnxruntime/) { part = "model: ONNX Runtime call"; break }
    if (part == "" && $2 ~ /\[kernel\.kallsyms\]/) {
      stack = $0
      if (stack ~ /sched_yield|schedule|futex|finish_task_switch|nanosleep|do_idle/) part = "kernel: scheduling, waits, yields"
      else if (stack ~ /tcp_|sock|epoll|recv|send|ip_|net_|skb|__x64_sys_write|__x64_sys_read/) part = "kernel: network"
      else part = "kernel: other (page faults, timers)"
    }
    for (i = 2; part == "" && i <= NF; i++) {
      f = $i
      if (f ~ /RunWatchdog|QueueDelayProbe|CpuMetrics|PriorRefresher|Reloader/) part = "background threads (watchdog, probes)"
      else if (f ~ /BidEngine\.Core\.Events|EventLog/) part = "bid log"
      else if (f ~ /Prometheus|HdrHistogram|BidEngine\.Server\.Metrics/) part = "metrics"
      else if (f ~ /BidEngine\.OpenRtb\.Parsing/) part = "parse"
      else if (f ~ /BidEngine\.OpenRtb\.Writing|WriteBidAsync|WriteWithinCap|GzipEncoder/) part = "write the answer"
      else if (f ~ /BidEngine\.Model|ScoreWithModelAsync|BidEngine\.Core\.Features/) part = "model: features, slot (ours)"
      else if (f ~ /BidEngine\.Core/) part = "decide (candidates, budgets, pricing, consent)"
      else if (f ~ /BidEngine\.Server|Routing/) part = "endpoint (admission, body, headers)"
      else if (f ~ /Microsoft\.AspNetCore|System\.IO\.Pipelines|System\.Net\.Sockets|SocketAsyncEngine/) part = "Kestrel, sockets"
      else if (f ~ /ThreadPool|LowLevelLifoSemaphore|WorkerThread/) part = "thread pool"
    }
    if (part == "") part = "runtime (GC, JIT, stubs, libc)"
    n[part]++
  }
  END { for (p in n) printf "%s\t%d\n", p, n[p] }'
}

names=(floor heuristic model)
start floor floor
start heuristic bidder --BidEngine:UseModel=false
start model bidder

declare -A requests rps gc
for name in "${names[@]}"; do
  # A short run first, so that every method has reached its final JIT tier before the sampled one.
  WRK_BODY="$body" wrk -t1 -c"$connections" -d3s -s "$root/loadtests/wrk/bid.lua" "${target_url[$name]}" > /dev/null
  WRK_BODY="$body" wrk -t1 -c"$connections" -d"$duration" -s "$root/loadtests/wrk/bid.lua" "${target_url[$name]}" > "$work/$name.wrk" &
  wrk_pid=$!
  counters_pid=""
  if [ -n "$counters" ]; then
    "$counters" collect -p "${target_pid[$name]}" --counters System.Runtime --duration "00:00:$(printf '%02d' "$((seconds - 1))")" \
      --format csv -o "$work/$name.counters.csv" > /dev/null 2>&1 &
    counters_pid=$!
  fi
  perf record -F 999 -g -p "${target_pid[$name]}" -o "$work/$name.perf" -- sleep "$seconds" > /dev/null 2>&1
  wait "$wrk_pid"
  [ -z "$counters_pid" ] || wait "$counters_pid" || true
  requests[$name]="$(awk '/ requests in / { print $1 }' "$work/$name.wrk")"
  rps[$name]="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$work/$name.wrk")"
  perf script -i "$work/$name.perf" 2> /dev/null | classify > "$work/$name.parts"
  # GC pause time per second (the runtime's counter, ms/s), as µs per request.
  gc[$name]=""
  if [ -f "$work/$name.counters.csv" ]; then
    gc[$name]="$(awk -F, -v r="${rps[$name]}" '/gc.pause.time/ { s += $NF; n++ } END { if (n && r) printf "%.2f", s / n / r * 1e6 }' "$work/$name.counters.csv")"
  fi
done

us() { awk -v s="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.1f", s * 1e6 / 999 / n; else print "" }'; }
echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) vCPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), .NET $(dotnet --version), wrk -t1 -c$connections -d$duration, body $(basename "$body"), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; perf 999 Hz per process. \`loadtests/profile.sh $*\`"
echo
echo "| CPU µs per request | floor | bidder, heuristic | bidder, model |"
echo "| --- | --- | --- | --- |"
cut -f1 "$work"/*.parts | sort -u > "$work/all.parts"
while IFS= read -r part; do
  row="| $part"
  for name in "${names[@]}"; do
    count="$(awk -F'\t' -v p="$part" '$1 == p { print $2 }' "$work/$name.parts")"
    row="$row | $(us "${count:-0}" "${requests[$name]}")"
  done
  echo "$row |"
done < "$work/all.parts"
row="| **total**"
for name in "${names[@]}"; do
  row="$row | **$(us "$(awk -F'\t' '{ s += $2 } END { print s }' "$work/$name.parts")" "${requests[$name]}")**"
done
echo "$row |"
row="| of which GC pauses (runtime counter)"
for name in "${names[@]}"; do row="$row | ${gc[$name]:-n/a}"; done
echo "$row |"
row="| requests/s under perf"
for name in "${names[@]}"; do row="$row | ${rps[$name]}"; done
echo "$row |"
