#!/usr/bin/env bash
# Installs what Broker needs on a fresh Debian 12 machine with the .NET 10 SDK, then restores and builds.
# Idempotent: skips what is present.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# Kafka transport (Confluent.Kafka binds Debian's librdkafka) and the Redis-backed router state; tests start their own
dpkg-query -W -f='${Status}' librdkafka1 2>/dev/null | grep -q "ok installed" || need+=(librdkafka1)
command -v kcat >/dev/null 2>&1 || need+=(kcat)   # reading the audit topic (tests check it is readable with kcat)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq "${need[@]}" >/dev/null; fi
fi
command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet restore Broker.sln --verbosity quiet
dotnet build Broker.sln --no-restore --configuration Release --verbosity quiet -nologo
