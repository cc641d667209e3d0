#!/usr/bin/env bash
# Whole-network load measurement, as recorded in docs/benchmarks.md: starts `broker up` (Release build), runs one
# discarded 10 s warm-up at 64 clients (tiered JIT and PGO settle during it), then 3 runs of 10 s at 64 clients,
# 2 runs of 8 s at 1 client, the provider service directly at 1 and 64 clients, prints the consumer security
# server's signature counters, and stops the network. Arguments go to `broker up`, e.g. `--transport kafka`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh > /dev/null
dotnet build benchmarks/Broker.LoadTest -c Release -v q -nologo > /dev/null
state=$(mktemp -d)
log="$state/up.log"
dotnet src/Broker.Cli/bin/Release/net10.0/broker.dll up --state "$state" "$@" > "$log" 2>&1 &
broker=$!
trap 'kill -TERM $broker 2>/dev/null; wait $broker 2>/dev/null; rm -rf "$state"' EXIT
for _ in $(seq 1 60); do grep -q "Ctrl-C" "$log" && break; sleep 0.5; done
grep -q "Ctrl-C" "$log" || { cat "$log"; echo "error: broker up did not start" >&2; exit 1; }

load=benchmarks/Broker.LoadTest/bin/Release/net10.0/Broker.LoadTest
bus=http://127.0.0.1:8080/r1/MN/GOV/GASR/civil-registry/citizens/UB99010112
direct=http://127.0.0.1:9101/citizens/UB99010112
client=MN/GOV/LAND/land-services
$load $bus --client $client --concurrency 64 --seconds 10 > /dev/null
for _ in 1 2 3; do $load $bus --client $client --concurrency 64 --seconds 10; done
for _ in 1 2; do $load $bus --client $client --concurrency 1 --seconds 8; done
$load $direct --concurrency 1 --seconds 5
$load $direct --concurrency 64 --seconds 5
echo "consumer security server: $(curl -s http://127.0.0.1:8080/health | grep -o '"signatures.*')"
