#!/usr/bin/env bash
# What full message logging costs the whole network's exchange rate, as recorded in docs/benchmarks.md.
# Runs `broker up --message-log Off`, `--message-log Full` and Full with archiving deferred (`--archive-window` set to
# an hour that starts two hours from now, as an operator defers archiving to the night) in turn (PAIRS times,
# alternating, so that the VM's drifting speed hits all alike). Each run: a WARM-second warm-up at CONCURRENCY clients (tiered JIT settles), then SECONDS
# measured at CONCURRENCY clients. Per run it prints the rate, the `broker up` process's CPU time per exchange (user + system,
# /proc/<pid>/stat), and how much of that the message-log writer threads and the archiver took (its pass threads,
# named log-archiver, whether still running at the end of the window or ended during it), and the machine's context
# switches per exchange and the share of time its CPUs were idle (/proc/stat). Ends with the medians
# and the rate ratio Full/Off.
# usage: benchmarks/log-cost.sh [PAIRS=3] [SECONDS=30] [WARM=60]
#   CONCURRENCY=128 benchmarks/log-cost.sh …   clients in flight (default 64)
#   MODES="Off Deferred" benchmarks/log-cost.sh …   only these modes (default "Off Full Deferred")
#   STATE_ROOT=/dev/shm benchmarks/log-cost.sh …   puts each run's state directory (and so the log) on tmpfs, where
#   fdatasync does nothing: what the disk costs is the difference to a run on disk
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-3}; seconds=${2:-30}; warm=${3:-60}; concurrency=${CONCURRENCY:-64}; modes=${MODES:-Off Full Deferred}
scripts/setup.sh > /dev/null
dotnet build benchmarks/Broker.LoadTest -c Release -v q -nologo > /dev/null
load=benchmarks/Broker.LoadTest/bin/Release/net10.0/Broker.LoadTest
bus=http://127.0.0.1:8080/r1/MN/GOV/GASR/civil-registry/citizens/UB99010112
client=MN/GOV/LAND/land-services

# CPU ticks of the process or of one thread (the comm field may hold spaces: split after the last ')')
ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
# the machine's idle and iowait ticks, and all its ticks (/proc/stat)
idle() { awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
# one line per live thread: tid name-prefix ticks
threads() {
  local t
  for t in /proc/$1/task/*; do
    echo "${t##*/} $(cat "$t/comm" 2>/dev/null | tr ' ' _ | cut -c1-11) $(ticks "${t#/proc/}" 2>/dev/null || echo 0)"
  done
}
# from two snapshots: the window's ticks of the threads named $3*, and of all threads alive at the end
window_ticks() { # before after prefix
  awk -v prefix="$3" 'NR == FNR { start[$1] = $3; next }
    { d = $3 - ($1 in start ? start[$1] : 0); all += d; if (index($2, prefix) == 1) named += d }
    END { print named + 0, all + 0 }' "$1" "$2"
}

run() { # Off|Full|Deferred -> "rate cpu_us writer_us archiver_us switches idle_percent"
  local mode=$1 state log broker args
  state=$(mktemp -d -p "${STATE_ROOT:-${TMPDIR:-/tmp}}"); log="$state/up.log"
  case $mode in
    Deferred) args=(--message-log Full --archive-window "$(date -d '+2 hours' +%H:%M)-$(date -d '+3 hours' +%H:%M)") ;;
    *) args=(--message-log "$mode") ;;
  esac
  dotnet src/Broker.Cli/bin/Release/net10.0/broker.dll up --state "$state" "${args[@]}" > "$log" 2>&1 &
  broker=$!
  for _ in $(seq 1 60); do grep -q "Ctrl-C" "$log" && break; sleep 0.5; done
  grep -q "Ctrl-C" "$log" || { cat "$log"; echo "error: broker up did not start" >&2; kill $broker; exit 1; }
  $load $bus --client $client --concurrency "$concurrency" --seconds "$warm" > /dev/null
  local p0 p1 c0 c1 i0 i1 out rate n writer alive before after
  before=$(mktemp); after=$(mktemp)
  c0=$(awk '/^ctxt/ {print $2}' /proc/stat); i0=$(idle); p0=$(ticks $broker); threads $broker > "$before"
  out=$($load $bus --client $client --concurrency "$concurrency" --seconds "$seconds")
  c1=$(awk '/^ctxt/ {print $2}' /proc/stat); i1=$(idle); p1=$(ticks $broker); threads $broker > "$after"
  read -r writer alive < <(window_ticks "$before" "$after" message-log)
  read -r archiver _ < <(window_ticks "$before" "$after" log-archiver)
  rm -f "$before" "$after"
  kill -TERM $broker; wait $broker 2>/dev/null || true; rm -rf "$state"
  rate=$(echo "$out" | grep -oE '[0-9]+ exchanges/s' | grep -oE '^[0-9]+')
  n=$((rate * seconds))
  local hz; hz=$(getconf CLK_TCK)
  # the archiver: its pass threads alive at the end, and the threads that ended during the window (what the live ones
  # do not account for: almost all of it archive passes, each on a thread of its own)
  echo "$rate $(( (p1 - p0) * 1000000 / hz / n )) $(( writer * 1000000 / hz / n )) $(( (archiver + (p1 - p0) - alive) * 1000000 / hz / n )) $(( (c1 - c0) / n )) $(echo "$i0 $i1" | awk '{ printf "%.0f", 100 * ($3 - $1) / ($4 - $2) }')"
}

printf '%-8s %8s %14s %12s %12s %14s %6s\n' mode rate/s cpu_us/exch writer_us archiver_us switches/exch idle%
off=(); full=(); deferred=()
for _ in $(seq 1 "$pairs"); do
  for mode in $modes; do
    read -r rate cpu writer archiver switches idle < <(run $mode)
    printf '%-8s %8s %14s %12s %12s %14s %6s\n' $mode "$rate" "$cpu" "$writer" "$archiver" "$switches" "$idle"
    case $mode in Off) off+=("$rate") ;; Full) full+=("$rate") ;; Deferred) deferred+=("$rate") ;; esac
  done
done
median() { [ $# -gt 0 ] || { echo -; return; }; printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mo=$(median "${off[@]}"); mf=$(median "${full[@]}"); md=$(median "${deferred[@]}")
ratio() { [ "$1" != - ] && [ "$2" != - ] || { echo -; return; }; awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
# each pair's ratio (the runs of one pair are minutes apart, so the VM's drift hits them alike), and their quartiles
per_pair() { # name of an array of rates, each against Off's at the same index -> "median M, quartiles Q1-Q3, N pairs: …"
  local -n rates=$1; local i ratios=()
  for i in "${!rates[@]}"; do ratios+=("$(ratio "${rates[$i]}" "${off[$i]}")"); done
  printf '%s\n' "${ratios[@]}" | sort -n | awk -v m="$(median "${ratios[@]}")" '{a[NR] = $1; all = all (NR > 1 ? " " : "") $1}
    END {printf "median %.2f, quartiles %s-%s, %d pairs: %s", m, a[int((NR+3)/4)], a[int((3*NR+1)/4)], NR, all}'
}
[ ${#full[@]} -eq 0 ] || echo "Full/Off per pair: $(per_pair full)"
[ ${#deferred[@]} -eq 0 ] || echo "Deferred/Off per pair: $(per_pair deferred)"
echo "median rate: Off $mo/s, Full $mf/s, Full with archiving deferred $md/s; Full/Off = $(ratio "$mf" "$mo"), Deferred/Off = $(ratio "$md" "$mo")"
